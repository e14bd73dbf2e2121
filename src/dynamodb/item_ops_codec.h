#pragma once
// DynamoDB item operations as pure functions: GetItem (consistent reads), PutItem / UpdateItem / DeleteItem with
// condition expressions and placeholders, and Scan pages with a filter. Request bodies and responses; the
// client sends them. A lost condition comes back as an error response (ConditionalCheckFailedException), not here.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "dynamodb/attribute_value.h"

namespace pk::dynamodb {

enum class ReturnValues { kNone, kAllOld, kUpdatedOld, kAllNew, kUpdatedNew };
std::string_view to_string(ReturnValues v);

// The placeholders of expressions: "#name" -> attribute name, ":value" -> value.
struct ExpressionAttributes {
  std::map<std::string, std::string, std::less<>> names;
  Item values;
};

struct GetItemRequest {
  std::string table;
  Item key;
  bool consistent_read = true;
  std::string projection_expression;  // optional
  ExpressionAttributes attributes;    // names only (GetItem takes no values)
};

struct PutItemRequest {
  std::string table;
  Item item;
  std::string condition_expression;  // optional: "attribute_not_exists(leaseKey)"
  ExpressionAttributes attributes;
  ReturnValues return_values = ReturnValues::kNone;  // NONE or ALL_OLD
};

struct UpdateItemRequest {
  std::string table;
  Item key;
  std::string update_expression;     // "SET leaseCounter = :next"
  std::string condition_expression;  // optional: "leaseCounter = :n"
  ExpressionAttributes attributes;
  ReturnValues return_values = ReturnValues::kNone;
};

struct DeleteItemRequest {
  std::string table;
  Item key;
  std::string condition_expression;  // optional
  ExpressionAttributes attributes;
  ReturnValues return_values = ReturnValues::kNone;  // NONE or ALL_OLD
};

struct ScanRequest {
  std::string table;
  std::string filter_expression;      // optional
  std::string projection_expression;  // optional
  ExpressionAttributes attributes;
  std::optional<Item> exclusive_start_key;  // the previous page's LastEvaluatedKey
  std::optional<int> limit;                 // items evaluated per page (>= 1)
  bool consistent_read = false;
};

Result<std::string> build_get_item_body(const GetItemRequest& request);
Result<std::string> build_put_item_body(const PutItemRequest& request);
Result<std::string> build_update_item_body(const UpdateItemRequest& request);
Result<std::string> build_delete_item_body(const DeleteItemRequest& request);
Result<std::string> build_scan_body(const ScanRequest& request);

// {"Item": {...}}, or {} when there is no such item.
Result<std::optional<Item>> parse_get_item_response(std::string_view body);
// PutItem / UpdateItem / DeleteItem: {"Attributes": {...}} when ReturnValues asked for them, else {} (empty item).
Result<Item> parse_write_item_response(std::string_view body, std::string_view operation);

struct ScanPage {
  std::vector<Item> items;
  std::optional<Item> last_evaluated_key;  // more pages follow when set
  int64_t count = 0;
  int64_t scanned_count = 0;
};
Result<ScanPage> parse_scan_response(std::string_view body);

}  // namespace pk::dynamodb
