#pragma once
// A small JSON writer for the AWS JSON protocol's request bodies that are not hot (every Kinesis body but
// PutRecords, every DynamoDB body): a top-level object, nested objects and arrays, strings checked for valid UTF-8,
// integers, booleans and raw numbers. Two ways to use it:
//   - fluent, for members named by our own ASCII literals: w.string("StreamName", name).integer("Limit", n);
//     the first bad string is remembered and finish() returns it, naming the operation and the field;
//   - checked primitives (key(), value()) that return the error at once, for callers that add their own
//     context as it bubbles up (DynamoDB attribute paths).
// Not thread-safe; one per request.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace pk::aws {

class JsonWriter {
 public:
  // `operation` prefixes error messages ("CreateStream: StreamName: invalid UTF-8 at byte 3").
  explicit JsonWriter(std::string_view operation);

  // Fluent members of the current object; keys are ASCII literals written as they are.
  JsonWriter& string(std::string_view key, std::string_view value);
  JsonWriter& integer(std::string_view key, int64_t value);
  JsonWriter& boolean(std::string_view key, bool value);
  JsonWriter& number_text(std::string_view key, std::string_view number);  // already valid JSON number text
  JsonWriter& begin_object(std::string_view key);
  JsonWriter& begin_array(std::string_view key);
  // Fluent elements of the current array.
  JsonWriter& string_element(std::string_view value);
  JsonWriter& begin_object_element();
  JsonWriter& end_object();
  JsonWriter& end_array();

  // Checked primitives. A key is escaped like any string; a value follows a key or is an array element.
  // Errors (kInvalidArgument) say "invalid UTF-8 at byte N" and leave the caller to name the field, except
  // string_member's, which names its key.
  Status key(std::string_view name);
  JsonWriter& literal_key(std::string_view key);  // an ASCII literal of ours, written as it is
  Status string_member(std::string_view literal_key, std::string_view text);
  Status string_value(std::string_view text);
  void int_value(int64_t number);
  void bool_value(bool flag);
  void begin_object_value();
  void begin_array_value();

  // Closes the top-level object; the body or the first error of the fluent calls.
  Result<std::string> finish() &&;

 private:
  void separator();
  Status write_string(std::string_view text);
  void fluent_string(std::string_view text, std::string_view field);

  std::string_view operation_;
  std::string out_;
  std::optional<Error> error_;
  bool first_ = true;       // no member / element written yet at the current level
  bool after_key_ = false;  // a key was written: its value needs no separator
};

}  // namespace pk::aws
