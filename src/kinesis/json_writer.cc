#include "kinesis/json_writer.h"

#include <fmt/format.h>

#include "kinesis/json_text.h"

namespace pk::kinesis {

JsonWriter::JsonWriter(std::string_view operation) : operation_(operation), out_("{") {}

void JsonWriter::separator() {
  if (!first_) out_.push_back(',');
  first_ = false;
}

void JsonWriter::write_key(std::string_view key) {
  separator();
  out_.push_back('"');
  out_.append(key);
  out_.append("\":");
}

void JsonWriter::write_string(std::string_view value, std::string_view field) {
  if (error_) return;
  auto info = inspect_json_string(value, field);
  if (!info.ok()) {
    error_ = std::move(info).error().with_context(operation_);
    return;
  }
  const size_t old = out_.size();
  out_.resize(old + info->escaped_size + 2);
  char* p = out_.data() + old;
  *p++ = '"';
  p = write_json_escaped(value, p);
  *p = '"';
}

JsonWriter& JsonWriter::string(std::string_view key, std::string_view value) {
  write_key(key);
  write_string(value, key);
  return *this;
}

JsonWriter& JsonWriter::integer(std::string_view key, int64_t value) {
  write_key(key);
  fmt::format_to(std::back_inserter(out_), "{}", value);
  return *this;
}

JsonWriter& JsonWriter::boolean(std::string_view key, bool value) {
  write_key(key);
  out_.append(value ? "true" : "false");
  return *this;
}

JsonWriter& JsonWriter::number_text(std::string_view key, std::string_view number) {
  write_key(key);
  out_.append(number);
  return *this;
}

JsonWriter& JsonWriter::begin_object(std::string_view key) {
  write_key(key);
  out_.push_back('{');
  first_ = true;
  return *this;
}

JsonWriter& JsonWriter::begin_array(std::string_view key) {
  write_key(key);
  out_.push_back('[');
  first_ = true;
  return *this;
}

JsonWriter& JsonWriter::string_element(std::string_view value) {
  separator();
  write_string(value, "array element");
  return *this;
}

JsonWriter& JsonWriter::begin_object_element() {
  separator();
  out_.push_back('{');
  first_ = true;
  return *this;
}

JsonWriter& JsonWriter::end_object() {
  out_.push_back('}');
  first_ = false;
  return *this;
}

JsonWriter& JsonWriter::end_array() {
  out_.push_back(']');
  first_ = false;
  return *this;
}

Result<std::string> JsonWriter::finish() && {
  if (error_) return std::move(*error_);
  out_.push_back('}');
  return std::move(out_);
}

Status write_stream(JsonWriter& w, std::string_view operation, const StreamRef& stream) {
  if (!stream.arn.empty()) {
    w.string("StreamARN", stream.arn.str());
  } else if (!stream.name.empty()) {
    w.string("StreamName", stream.name.str());
  } else {
    return make_error(ErrorCode::kInvalidArgument,
                      fmt::format("{}: neither StreamName nor StreamARN given", operation));
  }
  return ok_status();
}

Status write_starting_position(JsonWriter& w, std::string_view operation, const StartingPosition& position,
                               std::string_view type_key, std::string_view sequence_key) {
  w.string(type_key, to_string(position.type));
  switch (position.type) {
    case ShardIteratorType::kAtSequenceNumber:
    case ShardIteratorType::kAfterSequenceNumber:
      if (position.sequence_number.empty()) {
        return make_error(ErrorCode::kInvalidArgument,
                          fmt::format("{}: {} needs a {}", operation, to_string(position.type), sequence_key));
      }
      w.string(sequence_key, position.sequence_number.str());
      break;
    case ShardIteratorType::kAtTimestamp:
      w.number_text("Timestamp", epoch_seconds_text(position.timestamp));
      break;
    case ShardIteratorType::kTrimHorizon:
    case ShardIteratorType::kLatest:
      break;
  }
  return ok_status();
}

}  // namespace pk::kinesis
