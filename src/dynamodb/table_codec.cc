#include "dynamodb/table_codec.h"

#include <fmt/format.h>

#include "dynamodb/item_codec.h"

namespace pk::dynamodb {
namespace {

namespace json = aws::json;

Result<std::string> table_only(std::string_view operation, std::string_view table) {
  if (table.empty()) return make_error(ErrorCode::kInvalidArgument, fmt::format("{}: TableName: empty", operation));
  return json_body(operation, [&](JsonOut& out) { return out.string_member("TableName", table); });
}

Status read_key_schema(JsonValue v, TableDescription& out) {
  return json::for_each_element(v, "KeySchema", [&](size_t index, JsonValue element) -> Status {
    std::string name;
    std::string type;
    Status s = json::for_each_member(element, "key", [&](std::string_view key, JsonValue member) -> Status {
      if (key == "AttributeName" || key == "KeyType") {
        PK_ASSIGN_OR_RETURN(auto text, json::get_string(member, key));
        if (text) (key == "KeyType" ? type : name).assign(*text);
      }
      return ok_status();
    });
    if (!s.ok()) return json::in_element(std::move(s).error(), "KeySchema", index);
    if (type == "HASH") out.hash_key = std::move(name);
    return ok_status();
  });
}

}  // namespace

TableStatus table_status_from(std::string_view text) {
  if (text == "ACTIVE") return TableStatus::kActive;
  if (text == "CREATING") return TableStatus::kCreating;
  if (text == "UPDATING") return TableStatus::kUpdating;
  if (text == "DELETING") return TableStatus::kDeleting;
  if (text == "INACCESSIBLE_ENCRYPTION_CREDENTIALS") return TableStatus::kInaccessibleEncryptionCredentials;
  if (text == "ARCHIVING") return TableStatus::kArchiving;
  if (text == "ARCHIVED") return TableStatus::kArchived;
  return TableStatus::kUnknown;
}

Result<std::string> build_create_table_body(std::string_view table, std::string_view hash_key) {
  if (table.empty() || hash_key.empty()) {
    return make_error(ErrorCode::kInvalidArgument, "CreateTable: TableName and the hash key name are required");
  }
  return json_body("CreateTable", [&](JsonOut& out) -> Status {
    PK_TRY(out.string_member("TableName", table));
    out.begin_array("AttributeDefinitions").begin_object_element();
    PK_TRY(out.string_member("AttributeName", hash_key));
    out.string("AttributeType", "S").end_object().end_array();
    out.begin_array("KeySchema").begin_object_element();
    PK_TRY(out.string_member("AttributeName", hash_key));
    out.string("KeyType", "HASH").end_object().end_array();
    out.string("BillingMode", "PAY_PER_REQUEST");
    return ok_status();
  });
}

Result<std::string> build_describe_table_body(std::string_view table) {
  return table_only("DescribeTable", table);
}

Result<std::string> build_delete_table_body(std::string_view table) {
  return table_only("DeleteTable", table);
}

Result<TableDescription> parse_table_description_response(std::string_view body, std::string_view operation) {
  const std::string what = fmt::format("{} response", operation);
  TableDescription out;
  PK_TRY(json::parse_object(body, what, [&](std::string_view key, JsonValue v) -> Status {
    if (key != "Table" && key != "TableDescription") return ok_status();
    Status s = json::for_each_member(v, key, [&](std::string_view k, JsonValue f) -> Status {
      if (k == "TableName" || k == "TableArn" || k == "TableStatus") {
        PK_ASSIGN_OR_RETURN(auto text, json::get_string(f, k));
        if (!text) return ok_status();
        (k == "TableName" ? out.table_name : k == "TableArn" ? out.table_arn : out.status_text).assign(*text);
      } else if (k == "ItemCount") {
        PK_ASSIGN_OR_RETURN(auto n, json::get_int64(f, k));
        out.item_count = n.value_or(0);
      } else if (k == "KeySchema") {
        return read_key_schema(f, out);
      } else if (k == "BillingModeSummary") {
        return json::for_each_member(f, k, [&](std::string_view bk, JsonValue bv) -> Status {
          if (bk != "BillingMode") return ok_status();
          PK_ASSIGN_OR_RETURN(auto mode, json::get_string(bv, "BillingModeSummary.BillingMode"));
          if (mode) out.billing_mode.assign(*mode);
          return ok_status();
        });
      }
      return ok_status();
    });
    if (!s.ok()) return json::in_field(std::move(s).error(), key);
    return ok_status();
  }));
  if (out.table_name.empty() || out.status_text.empty()) {
    return make_error(ErrorCode::kMalformedInput,
                      fmt::format("{}: {}: missing", what, out.table_name.empty() ? "TableName" : "TableStatus"));
  }
  out.status = table_status_from(out.status_text);
  return out;
}

}  // namespace pk::dynamodb
