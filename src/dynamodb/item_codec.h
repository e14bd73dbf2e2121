#pragma once
// Attribute values and items on the wire (DynamoDB JSON: {"S": "..."}, {"N": "12"}, {"M": {...}}, ...), as
// pure functions: writers for request bodies (strings checked for UTF-8) and readers for responses
// (simdjson On-Demand, tolerating explicit nulls). Errors name the attribute path. The JSON writer and reader
// are the aws module's (the AWS JSON protocol): one set for both AWS JSON APIs.

#include <string_view>

#include "aws/json_reader.h"
#include "aws/json_writer.h"
#include "common/result.h"
#include "dynamodb/attribute_value.h"

namespace pk::dynamodb {

using JsonOut = aws::JsonWriter;

// DynamoDB nests documents at most 32 levels deep; deeper input is refused rather than recursed into.
constexpr int kMaxNesting = 32;

// Writes {"<type>": <value>}. Checks UTF-8 of strings and names, number syntax and non-empty sets.
Status write_attribute_value(JsonOut& out, const AttributeValue& value);
// Writes {"<name>": <attribute value>, ...}.
Status write_item(JsonOut& out, const Item& item);
// Writes a string value, checking its UTF-8; `what` names it in the error.
Status write_string(JsonOut& out, std::string_view text, std::string_view what);

// Builds a request body: an object whose members `fill(JsonOut&) -> Status` writes; errors get `operation` in
// front ("PutItem: Item: leaseOwner: S: invalid UTF-8 at byte 3").
template <typename Fill>
Result<std::string> json_body(std::string_view operation, Fill&& fill) {
  JsonOut out(operation);
  Status s = fill(out);
  if (!s.ok()) return std::move(s).error().with_context(operation);
  return std::move(out).finish();
}

using JsonValue = aws::json::value;
Result<AttributeValue> read_attribute_value(JsonValue v, int depth = 0);
// Reads {"<name>": <attribute value>, ...} (null = empty) into `out`.
Status read_item(JsonValue v, std::string_view field, Item& out, int depth = 0);

}  // namespace pk::dynamodb
