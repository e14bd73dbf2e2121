#include "aws/json_object.h"

#include <charconv>

#include <fmt/format.h>
#include <simdjson.h>

namespace pk::aws {

struct JsonObject::Impl {
  simdjson::dom::parser parser;
  simdjson::dom::object object;
  std::string what;

  // The member, or an empty element result for absent members.
  simdjson::simdjson_result<simdjson::dom::element> member(std::string_view key) const { return object[key]; }
};

JsonObject::JsonObject(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
JsonObject::JsonObject(JsonObject&&) noexcept = default;
JsonObject& JsonObject::operator=(JsonObject&&) noexcept = default;
JsonObject::~JsonObject() = default;

Result<JsonObject> JsonObject::parse(std::string_view text, std::string_view what) {
  auto impl = std::make_unique<Impl>();
  impl->what = std::string(what);
  simdjson::dom::element root;
  if (auto error = impl->parser.parse(text.data(), text.size()).get(root); error) {
    return make_error(ErrorCode::kMalformedInput,
                      fmt::format("{}: not valid JSON ({})", what, simdjson::error_message(error)));
  }
  if (auto error = root.get_object().get(impl->object); error) {
    return make_error(ErrorCode::kMalformedInput, fmt::format("{}: not a JSON object", what));
  }
  return JsonObject(std::move(impl));
}

bool JsonObject::has(std::string_view key) const {
  simdjson::dom::element e;
  return !impl_->member(key).get(e) && !e.is_null();
}

Result<std::string> JsonObject::string(std::string_view key) const {
  simdjson::dom::element e;
  if (impl_->member(key).get(e) || e.is_null()) return std::string();
  std::string_view s;
  if (e.get_string().get(s)) {
    return make_error(ErrorCode::kMalformedInput, fmt::format("{}: \"{}\" is not a string", impl_->what, key));
  }
  return std::string(s);
}

Result<std::optional<int64_t>> JsonObject::integer(std::string_view key) const {
  simdjson::dom::element e;
  if (impl_->member(key).get(e) || e.is_null()) return std::optional<int64_t>();
  int64_t v = 0;
  if (!e.get_int64().get(v)) return std::optional<int64_t>(v);
  std::string_view s;
  if (!e.get_string().get(s)) {
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec == std::errc() && end == s.data() + s.size() && !s.empty()) return std::optional<int64_t>(v);
  }
  return make_error(ErrorCode::kMalformedInput, fmt::format("{}: \"{}\" is not an integer", impl_->what, key));
}

}  // namespace pk::aws
