#include "aws/json_writer.h"

#include <fmt/format.h>

#include "aws/json_text.h"

namespace pk::aws {

JsonWriter::JsonWriter(std::string_view operation) : operation_(operation), out_("{") {}

void JsonWriter::separator() {
  if (after_key_) {
    after_key_ = false;
  } else if (!first_) {
    out_.push_back(',');
  }
  first_ = false;
}

JsonWriter& JsonWriter::literal_key(std::string_view key) {
  separator();
  out_.push_back('"');
  out_.append(key);
  out_.append("\":");
  after_key_ = true;
  return *this;
}

Status JsonWriter::write_string(std::string_view text) {
  PK_ASSIGN_OR_RETURN(const auto info, inspect_json_string(text, ""));
  const size_t old = out_.size();
  out_.resize(old + info.escaped_size + 2);
  char* p = out_.data() + old;
  *p++ = '"';
  p = write_json_escaped(text, p);
  *p = '"';
  return ok_status();
}

void JsonWriter::fluent_string(std::string_view text, std::string_view field) {
  separator();
  if (error_) return;
  Status s = write_string(text);
  if (!s.ok()) error_ = make_error(s.error().code, fmt::format("{}: {}: {}", operation_, field, s.error().message));
}

JsonWriter& JsonWriter::string(std::string_view key, std::string_view text) {
  literal_key(key);
  fluent_string(text, key);
  return *this;
}

JsonWriter& JsonWriter::integer(std::string_view key, int64_t number) {
  literal_key(key);
  int_value(number);
  return *this;
}

JsonWriter& JsonWriter::boolean(std::string_view key, bool flag) {
  literal_key(key);
  bool_value(flag);
  return *this;
}

JsonWriter& JsonWriter::number_text(std::string_view key, std::string_view number) {
  literal_key(key);
  separator();
  out_.append(number);
  return *this;
}

JsonWriter& JsonWriter::begin_object(std::string_view key) {
  literal_key(key);
  begin_object_value();
  return *this;
}

JsonWriter& JsonWriter::begin_array(std::string_view key) {
  literal_key(key);
  begin_array_value();
  return *this;
}

JsonWriter& JsonWriter::string_element(std::string_view text) {
  fluent_string(text, "array element");
  return *this;
}

JsonWriter& JsonWriter::begin_object_element() {
  begin_object_value();
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

Status JsonWriter::key(std::string_view name) {
  separator();
  PK_TRY(write_string(name));
  out_.push_back(':');
  after_key_ = true;
  return ok_status();
}

Status JsonWriter::string_member(std::string_view key, std::string_view text) {
  literal_key(key);
  Status s = string_value(text);
  if (!s.ok()) return std::move(s).error().with_context(key);
  return ok_status();
}

Status JsonWriter::string_value(std::string_view text) {
  separator();
  return write_string(text);
}

void JsonWriter::int_value(int64_t number) {
  separator();
  fmt::format_to(std::back_inserter(out_), "{}", number);
}

void JsonWriter::bool_value(bool flag) {
  separator();
  out_.append(flag ? "true" : "false");
}

void JsonWriter::begin_object_value() {
  separator();
  out_.push_back('{');
  first_ = true;
}

void JsonWriter::begin_array_value() {
  separator();
  out_.push_back('[');
  first_ = true;
}

Result<std::string> JsonWriter::finish() && {
  if (error_) return std::move(*error_);
  out_.push_back('}');
  return std::move(out_);
}

}  // namespace pk::aws
