#include "dynamodb/item_ops_codec.h"

#include <fmt/format.h>

#include "dynamodb/item_codec.h"

namespace pk::dynamodb {
namespace {

namespace json = aws::json;

Error invalid(std::string_view problem) {
  return make_error(ErrorCode::kInvalidArgument, std::string(problem));
}

Status write_table(JsonOut& out, std::string_view table) {
  if (table.empty()) return invalid("TableName: empty");
  return out.string_member("TableName", table);
}

Status write_item_member(JsonOut& out, std::string_view key, const Item& item) {
  if (item.empty()) return invalid(fmt::format("{}: empty", key));
  out.literal_key(key);
  Status s = write_item(out, item);
  if (!s.ok()) return std::move(s).error().with_context(key);
  return ok_status();
}

Status write_optional(JsonOut& out, std::string_view key, std::string_view text) {
  if (text.empty()) return ok_status();
  return out.string_member(key, text);
}

Status write_attributes(JsonOut& out, const ExpressionAttributes& attributes) {
  if (!attributes.names.empty()) {
    out.literal_key("ExpressionAttributeNames").begin_object_value();
    for (const auto& [placeholder, name] : attributes.names) {
      if (placeholder.empty() || placeholder[0] != '#') {
        return invalid(fmt::format("ExpressionAttributeNames: \"{}\" does not start with '#'", placeholder));
      }
      Status s = out.key(placeholder);
      if (s.ok()) s = out.string_value(name);
      if (!s.ok()) return std::move(s).error().with_context("ExpressionAttributeNames");
    }
    out.end_object();
  }
  if (!attributes.values.empty()) {
    for (const auto& entry : attributes.values) {
      if (entry.first.empty() || entry.first[0] != ':') {
        return invalid(fmt::format("ExpressionAttributeValues: \"{}\" does not start with ':'", entry.first));
      }
    }
    PK_TRY(write_item_member(out, "ExpressionAttributeValues", attributes.values));
  }
  return ok_status();
}

Status write_return_values(JsonOut& out, ReturnValues v, bool update) {
  if (v == ReturnValues::kNone) return ok_status();
  if (!update && v != ReturnValues::kAllOld) {
    return invalid(fmt::format("ReturnValues: {} is only for UpdateItem", to_string(v)));
  }
  out.string("ReturnValues", to_string(v));
  return ok_status();
}

}  // namespace

std::string_view to_string(ReturnValues v) {
  switch (v) {
    case ReturnValues::kNone:
      return "NONE";
    case ReturnValues::kAllOld:
      return "ALL_OLD";
    case ReturnValues::kUpdatedOld:
      return "UPDATED_OLD";
    case ReturnValues::kAllNew:
      return "ALL_NEW";
    case ReturnValues::kUpdatedNew:
      return "UPDATED_NEW";
  }
  return "NONE";
}

Result<std::string> build_get_item_body(const GetItemRequest& r) {
  return json_body("GetItem", [&](JsonOut& out) -> Status {
    PK_TRY(write_table(out, r.table));
    PK_TRY(write_item_member(out, "Key", r.key));
    out.boolean("ConsistentRead", r.consistent_read);
    PK_TRY(write_optional(out, "ProjectionExpression", r.projection_expression));
    if (!r.attributes.values.empty()) return invalid("ExpressionAttributeValues: GetItem takes none");
    return write_attributes(out, r.attributes);
  });
}

Result<std::string> build_put_item_body(const PutItemRequest& r) {
  return json_body("PutItem", [&](JsonOut& out) -> Status {
    PK_TRY(write_table(out, r.table));
    PK_TRY(write_item_member(out, "Item", r.item));
    PK_TRY(write_optional(out, "ConditionExpression", r.condition_expression));
    PK_TRY(write_attributes(out, r.attributes));
    return write_return_values(out, r.return_values, false);
  });
}

Result<std::string> build_update_item_body(const UpdateItemRequest& r) {
  return json_body("UpdateItem", [&](JsonOut& out) -> Status {
    PK_TRY(write_table(out, r.table));
    PK_TRY(write_item_member(out, "Key", r.key));
    if (r.update_expression.empty()) return invalid("UpdateExpression: empty");
    PK_TRY(out.string_member("UpdateExpression", r.update_expression));
    PK_TRY(write_optional(out, "ConditionExpression", r.condition_expression));
    PK_TRY(write_attributes(out, r.attributes));
    return write_return_values(out, r.return_values, true);
  });
}

Result<std::string> build_delete_item_body(const DeleteItemRequest& r) {
  return json_body("DeleteItem", [&](JsonOut& out) -> Status {
    PK_TRY(write_table(out, r.table));
    PK_TRY(write_item_member(out, "Key", r.key));
    PK_TRY(write_optional(out, "ConditionExpression", r.condition_expression));
    PK_TRY(write_attributes(out, r.attributes));
    return write_return_values(out, r.return_values, false);
  });
}

Result<std::string> build_scan_body(const ScanRequest& r) {
  return json_body("Scan", [&](JsonOut& out) -> Status {
    PK_TRY(write_table(out, r.table));
    PK_TRY(write_optional(out, "FilterExpression", r.filter_expression));
    PK_TRY(write_optional(out, "ProjectionExpression", r.projection_expression));
    PK_TRY(write_attributes(out, r.attributes));
    if (r.exclusive_start_key) PK_TRY(write_item_member(out, "ExclusiveStartKey", *r.exclusive_start_key));
    if (r.limit) {
      if (*r.limit < 1) return invalid(fmt::format("Limit: {} < 1", *r.limit));
      out.integer("Limit", *r.limit);
    }
    if (r.consistent_read) out.boolean("ConsistentRead", true);
    return ok_status();
  });
}

Result<std::optional<Item>> parse_get_item_response(std::string_view body) {
  std::optional<Item> item;
  PK_TRY(json::parse_object(body, "GetItem response", [&](std::string_view key, JsonValue v) -> Status {
    if (key != "Item") return ok_status();
    simdjson::ondemand::json_type type;
    if (auto e = v.type().get(type)) return json::json_error(key, e);
    if (type == simdjson::ondemand::json_type::null) return ok_status();
    return read_item(v, "Item", item.emplace());
  }));
  return item;
}

Result<Item> parse_write_item_response(std::string_view body, std::string_view operation) {
  Item attributes;
  PK_TRY(json::parse_object(body, fmt::format("{} response", operation), [&](std::string_view key, JsonValue v) {
    return key == "Attributes" ? read_item(v, "Attributes", attributes) : ok_status();
  }));
  return attributes;
}

Result<ScanPage> parse_scan_response(std::string_view body) {
  ScanPage page;
  PK_TRY(json::parse_object(body, "Scan response", [&](std::string_view key, JsonValue v) -> Status {
    if (key == "Items") {
      return json::for_each_element(v, "Items", [&](size_t index, JsonValue element) -> Status {
        Status s = read_item(element, "item", page.items.emplace_back());
        if (!s.ok()) return json::in_element(std::move(s).error(), "Items", index);
        return ok_status();
      });
    }
    if (key == "LastEvaluatedKey") {
      simdjson::ondemand::json_type type;
      if (auto e = v.type().get(type)) return json::json_error(key, e);
      if (type == simdjson::ondemand::json_type::null) return ok_status();
      return read_item(v, "LastEvaluatedKey", page.last_evaluated_key.emplace());
    }
    if (key == "Count" || key == "ScannedCount") {
      PK_ASSIGN_OR_RETURN(auto n, json::get_int64(v, key));
      (key == "Count" ? page.count : page.scanned_count) = n.value_or(0);
    }
    return ok_status();
  }));
  return page;
}

}  // namespace pk::dynamodb
