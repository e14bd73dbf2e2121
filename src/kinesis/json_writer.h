#pragma once
// A small JSON writer for the Kinesis request bodies that are not hot (everything but PutRecords): objects,
// arrays, strings checked for valid UTF-8, integers and raw numbers. The first bad string stops the writer and
// finish() returns an error naming the operation and the field. Not thread-safe; one per request.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "kinesis/model.h"

namespace pk::kinesis {

class JsonWriter {
 public:
  // `operation` prefixes error messages ("CreateStream: StreamName: invalid UTF-8 at byte 3").
  explicit JsonWriter(std::string_view operation);

  // Members of the current object. Keys are our own ASCII literals and are written as they are.
  JsonWriter& string(std::string_view key, std::string_view value);
  JsonWriter& integer(std::string_view key, int64_t value);
  JsonWriter& boolean(std::string_view key, bool value);
  JsonWriter& number_text(std::string_view key, std::string_view number);  // already valid JSON number text
  JsonWriter& begin_object(std::string_view key);
  JsonWriter& begin_array(std::string_view key);
  // Elements of the current array.
  JsonWriter& string_element(std::string_view value);
  JsonWriter& begin_object_element();
  JsonWriter& end_object();
  JsonWriter& end_array();

  // Closes the top-level object; the body or the first error.
  Result<std::string> finish() &&;

 private:
  void separator();
  void write_key(std::string_view key);
  void write_string(std::string_view value, std::string_view field);

  std::string_view operation_;
  std::string out_;
  std::optional<Error> error_;
  bool first_ = true;  // no member / element written yet at the current level
};

// Writes StreamARN when the reference has one, else StreamName; an error when it has neither.
Status write_stream(JsonWriter& w, std::string_view operation, const StreamRef& stream);

// Writes a starting position's members: `type_key` with the type, then `sequence_key` (AT_/AFTER_SEQUENCE_NUMBER)
// or Timestamp (AT_TIMESTAMP). GetShardIterator and SubscribeToShard name the first two differently.
Status write_starting_position(JsonWriter& w, std::string_view operation, const StartingPosition& position,
                               std::string_view type_key, std::string_view sequence_key);

}  // namespace pk::kinesis
