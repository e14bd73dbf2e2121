#include "dynamodb/table_codec.h"

#include <algorithm>

#include <fmt/format.h>

#include "dynamodb/item_codec.h"

namespace pk::dynamodb {
namespace {

namespace json = aws::json;

Result<std::string> table_only(std::string_view operation, std::string_view table) {
  if (table.empty()) return make_error(ErrorCode::kInvalidArgument, fmt::format("{}: TableName: empty", operation));
  return json_body(operation, [&](JsonOut& out) { return out.string_member("TableName", table); });
}

// Reads a KeySchema array: the HASH and RANGE attribute names.
Status read_key_schema(JsonValue v, std::string& hash_key, std::string& range_key) {
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
    if (type == "HASH") hash_key = std::move(name);
    if (type == "RANGE") range_key = std::move(name);
    return ok_status();
  });
}

// Reads the string `member` of the object `v` (the value of `field`) into `out`; `what` names it in errors.
Status read_member_string(JsonValue v, std::string_view field, std::string_view member, std::string_view what,
                          std::string& out) {
  return json::for_each_member(v, field, [&](std::string_view key, JsonValue value) -> Status {
    if (key != member) return ok_status();
    PK_ASSIGN_OR_RETURN(auto text, json::get_string(value, what));
    if (text) out.assign(*text);
    return ok_status();
  });
}

Status read_index(JsonValue v, IndexDescription& out) {
  return json::for_each_member(v, "index", [&](std::string_view key, JsonValue member) -> Status {
    if (key == "IndexName" || key == "IndexStatus") {
      PK_ASSIGN_OR_RETURN(auto text, json::get_string(member, key));
      if (text) (key == "IndexName" ? out.name : out.status_text).assign(*text);
    } else if (key == "KeySchema") {
      return read_key_schema(member, out.hash_key, out.range_key);
    } else if (key == "Projection") {
      return read_member_string(member, key, "ProjectionType", "Projection.ProjectionType", out.projection_type);
    }
    return ok_status();
  });
}

Status write_key_schema(JsonOut& out, std::string_view hash_key, std::string_view range_key) {
  out.begin_array("KeySchema").begin_object_element();
  PK_TRY(out.string_member("AttributeName", hash_key));
  out.string("KeyType", "HASH").end_object();
  if (!range_key.empty()) {
    out.begin_object_element();
    PK_TRY(out.string_member("AttributeName", range_key));
    out.string("KeyType", "RANGE").end_object();
  }
  out.end_array();
  return ok_status();
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

std::string_view to_string(Projection projection) {
  return projection == Projection::kAll ? "ALL" : "KEYS_ONLY";
}

const IndexDescription* TableDescription::index(std::string_view name) const {
  for (const IndexDescription& i : global_secondary_indexes) {
    if (i.name == name) return &i;
  }
  return nullptr;
}

Result<std::string> build_create_table_body(std::string_view table, std::string_view hash_key) {
  return build_create_table_body(TableSpec{std::string(table), std::string(hash_key), {}});
}

Result<std::string> build_create_table_body(const TableSpec& spec) {
  if (spec.table.empty() || spec.hash_key.empty()) {
    return make_error(ErrorCode::kInvalidArgument, "CreateTable: TableName and the hash key name are required");
  }
  // Every key attribute once, in order of first use.
  std::vector<std::string_view> attributes{spec.hash_key};
  auto define = [&](std::string_view name) {
    if (!name.empty() && std::find(attributes.begin(), attributes.end(), name) == attributes.end()) {
      attributes.push_back(name);
    }
  };
  for (const GlobalSecondaryIndexSpec& index : spec.global_secondary_indexes) {
    if (index.name.empty() || index.hash_key.empty()) {
      return make_error(ErrorCode::kInvalidArgument,
                        "CreateTable: a global secondary index needs a name and a hash key name");
    }
    define(index.hash_key);
    define(index.range_key);
  }
  return json_body("CreateTable", [&](JsonOut& out) -> Status {
    PK_TRY(out.string_member("TableName", spec.table));
    out.begin_array("AttributeDefinitions");
    for (std::string_view name : attributes) {
      out.begin_object_element();
      PK_TRY(out.string_member("AttributeName", name));
      out.string("AttributeType", "S").end_object();
    }
    out.end_array();
    PK_TRY(write_key_schema(out, spec.hash_key, {}));
    out.string("BillingMode", "PAY_PER_REQUEST");
    if (!spec.global_secondary_indexes.empty()) {
      out.begin_array("GlobalSecondaryIndexes");
      for (const GlobalSecondaryIndexSpec& index : spec.global_secondary_indexes) {
        out.begin_object_element();
        PK_TRY(out.string_member("IndexName", index.name));
        PK_TRY(write_key_schema(out, index.hash_key, index.range_key));
        out.begin_object("Projection").string("ProjectionType", to_string(index.projection)).end_object();
        out.end_object();
      }
      out.end_array();
    }
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
        std::string range_key;
        return read_key_schema(f, out.hash_key, range_key);
      } else if (k == "GlobalSecondaryIndexes") {
        return json::for_each_element(f, k, [&](size_t index, JsonValue element) -> Status {
          IndexDescription description;
          Status read = read_index(element, description);
          if (!read.ok()) return json::in_element(std::move(read).error(), "GlobalSecondaryIndexes", index);
          out.global_secondary_indexes.push_back(std::move(description));
          return ok_status();
        });
      } else if (k == "BillingModeSummary") {
        return read_member_string(f, k, "BillingMode", "BillingModeSummary.BillingMode", out.billing_mode);
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
