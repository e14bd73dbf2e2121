#pragma once
// The one JSON reader of the AWS JSON protocol (Kinesis and DynamoDB responses, error bodies, credential
// documents, plugin parameters), on simdjson On-Demand, tolerating what emulators do: members in any order,
// unknown members, and explicit `null` wherever a member may be absent. Errors are kMalformedInput and name the
// field; callers add the operation and the position as the error bubbles up ("GetRecords response:
// Records[3]: Data: ..."). Two ways in: parse_object() with a callback per member (the codecs: values read there
// live as long as the document), and FlatObject for small flat documents read by member name. Never an error
// message with a value in it.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <simdjson.h>

#include <fmt/format.h>

#include "common/result.h"

namespace pk::aws::json {

using simdjson::ondemand::value;

Error json_error(std::string_view field, simdjson::error_code code);
Error field_error(std::string_view field, std::string_view problem);
// The same error with "<field>" / "<array>[<index>]" in front.
Error in_field(Error e, std::string_view field);
Error in_element(Error e, std::string_view array, size_t index);

// Parses `body` (copied into a per-thread padded buffer and parsed by a per-thread parser) and calls
// `on_member(key, value)` for each member of its top-level object. Errors are prefixed with `what`.
// Not reentrant: `on_member` must not parse another document.
template <typename OnMember>
Status parse_object(std::string_view body, std::string_view what, OnMember&& on_member);

// Calls `on_member(key, value)` for each member of an object; null counts as an empty object.
template <typename OnMember>
Status for_each_member(value v, std::string_view field, OnMember&& on_member);
// Calls `on_element(index, value)` for each element of an array; null counts as an empty array.
template <typename OnElement>
Status for_each_element(value v, std::string_view field, OnElement&& on_element);

// Scalars; null gives nullopt. A value of another type is an error naming `field`.
Result<std::optional<std::string_view>> get_string(value v, std::string_view field);
Result<std::optional<int64_t>> get_int64(value v, std::string_view field);
Result<std::optional<bool>> get_bool(value v, std::string_view field);
// `expected` says what the value should have been in the error ("expected a number of epoch seconds").
Result<std::optional<double>> get_double(value v, std::string_view field, std::string_view expected = "a number");
// Base64 text (the protocol's blobs) decoded and appended to `out`; false when null. The text is read in place
// unless it carries JSON escapes (which base64 never needs but a writer may use for '/').
Result<bool> append_base64(value v, std::string_view field, std::string& out);

// A missing value (null) is an error.
Result<std::string> required_string(value v, std::string_view field);
// A member that a well-formed response always has, checked after the object has been read.
Status require(bool present, std::string_view field);

// The top-level members of a small JSON object, read once by parse_object() and then looked up by name: strings,
// integers (also written as strings of digits), and whether a member is there. Nested objects and arrays count as
// present but are neither strings nor integers. The first of duplicate members wins.
class FlatObject {
 public:
  // kMalformedInput naming `what` when `text` is not a JSON object.
  static Result<FlatObject> parse(std::string_view text, std::string_view what);

  bool has(std::string_view key) const;  // present and not null
  // The string member: empty if absent or null; an error naming the member if it is another type.
  Result<std::string> string(std::string_view key) const;
  // An integer member, also accepted as a string of digits; nullopt if absent or null.
  Result<std::optional<int64_t>> integer(std::string_view key) const;

 private:
  enum class Kind { kNull, kString, kInteger, kOther };
  struct Member {
    std::string key;
    Kind kind = Kind::kNull;
    std::string text;  // the string, or the integer's digits
  };
  const Member* find(std::string_view key) const;

  std::string what_;
  std::vector<Member> members_;
};

// ---- implementation of the templates ----

struct PaddedInput {
  simdjson::ondemand::parser* parser;
  simdjson::padded_string_view json;
};
// The per-thread parser and a copy of `body` with simdjson's padding after it.
PaddedInput padded_input(std::string_view body);

// A member's key read in place (unescaping every key costs more than the rest of a record); a null view when
// the key carries escapes. The closing quote exists: simdjson's first stage checked the string structure.
inline std::string_view raw_key(simdjson::ondemand::field& f) {
  const char* start = f.key().raw();
  const char* p = start;
  while (*p != '"') {
    if (*p == '\\') return {};
    ++p;
  }
  return std::string_view(start, static_cast<size_t>(p - start));
}

template <typename OnMember>
Status for_each_member(value v, std::string_view field, OnMember&& on_member) {
  simdjson::ondemand::json_type type;
  if (auto e = v.type().get(type)) return json_error(field, e);
  if (type == simdjson::ondemand::json_type::null) return ok_status();
  simdjson::ondemand::object object;
  if (auto e = v.get_object().get(object)) return json_error(field, e);
  for (auto member : object) {
    simdjson::ondemand::field f;
    if (auto e = std::move(member).get(f)) return json_error(field, e);
    std::string_view key = raw_key(f);
    if (key.data() == nullptr) {  // the key has escapes (no AWS key does): unescape it
      if (auto e = f.unescaped_key().get(key)) return json_error(field, e);
    }
    Status s = on_member(key, f.value());
    if (!s.ok()) return std::move(s).error();
  }
  return ok_status();
}

template <typename OnElement>
Status for_each_element(value v, std::string_view field, OnElement&& on_element) {
  simdjson::ondemand::json_type type;
  if (auto e = v.type().get(type)) return json_error(field, e);
  if (type == simdjson::ondemand::json_type::null) return ok_status();
  simdjson::ondemand::array array;
  if (auto e = v.get_array().get(array)) return json_error(field, e);
  size_t index = 0;
  for (auto element : array) {
    value item;
    if (auto e = std::move(element).get(item)) return in_element(json_error("", e), field, index);
    Status s = on_element(index, item);
    if (!s.ok()) return std::move(s).error();
    ++index;
  }
  return ok_status();
}

template <typename OnMember>
Status parse_object(std::string_view body, std::string_view what, OnMember&& on_member) {
  const auto fail = [&](Error e) { return e.with_context(what); };
  auto input = padded_input(body);
  simdjson::ondemand::document doc;
  if (auto e = input.parser->iterate(input.json).get(doc)) return fail(json_error("document", e));
  value root;
  if (auto e = doc.get_value().get(root)) return fail(json_error("document", e));
  simdjson::ondemand::json_type type;
  if (auto e = root.type().get(type)) return fail(json_error("document", e));
  if (type != simdjson::ondemand::json_type::object) return fail(field_error("document", "not a JSON object"));
  Status s = for_each_member(root, "document", on_member);
  if (!s.ok()) return fail(std::move(s).error());
  // current_location() is OUT_OF_BOUNDS once every token has been read.
  if (doc.current_location().error() != simdjson::OUT_OF_BOUNDS) {
    return fail(field_error("document", "content after the top-level object"));
  }
  return ok_status();
}

}  // namespace pk::aws::json
