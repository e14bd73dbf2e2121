#pragma once
// FULL_MESSAGE_IN_JSON_EXPAND_VALUE: {"topicName", "key", "payload", "properties", "eventTime"} with the payload
// decoded by the message's schema (schema_value.h), written as Jackson writes the connector's JsonRecord
// (jsonIncludeNonNulls drops null fields; properties in the order of a fresh HashMap) or flattened
// (jsonFlatten, value_json.h). A value that does not decode gives an error naming the topic and the reason; the
// output is then left as it was. Owns its scratch (no allocation per record once warm); one per thread.

#include <string>

#include "common/result.h"
#include "formats/input_message.h"
#include "formats/property_order.h"
#include "formats/schema_value.h"
#include "formats/value_json.h"
#include "formats/value_tree.h"

namespace pk::formats {

struct ExpandOptions {
  bool include_non_nulls = true;  // jsonIncludeNonNulls
  bool flatten = false;           // jsonFlatten
};

class ExpandValueEncoder {
 public:
  explicit ExpandValueEncoder(ExpandOptions options) : options_(options) {}

  Status append(const InputMessage& message, std::string& out);

 private:
  void append_plain(const InputMessage& message, uint32_t payload, std::string& out);
  void append_flat(const InputMessage& message, uint32_t payload, std::string& out);

  ExpandOptions options_;
  ValueTree tree_;
  SchemaValueScratch value_scratch_;
  OrderScratch order_;
  std::vector<OrderedEntry> first_order_;
  std::vector<OrderedEntry> expand_order_;
  FlattenScratch flatten_;
};

}  // namespace pk::formats
