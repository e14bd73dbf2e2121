#include "aws/json_reader.h"

#include <charconv>
#include <cstring>
#include <memory>

#include "common/base64.h"

namespace pk::aws::json {
namespace {

using simdjson::ondemand::json_type;

// Reads the type of `v`; an error when it is neither null nor `want`.
Result<bool> present(value& v, json_type want, std::string_view field, std::string_view want_name) {
  json_type type;
  if (auto e = v.type().get(type)) return json_error(field, e);
  if (type == json_type::null) return false;
  if (type != want) return field_error(field, fmt::format("expected {}", want_name));
  return true;
}

}  // namespace

Error json_error(std::string_view field, simdjson::error_code code) {
  if (field.empty()) return make_error(ErrorCode::kMalformedInput, simdjson::error_message(code));
  return make_error(ErrorCode::kMalformedInput, fmt::format("{}: {}", field, simdjson::error_message(code)));
}

Error field_error(std::string_view field, std::string_view problem) {
  if (field.empty()) return make_error(ErrorCode::kMalformedInput, std::string(problem));
  return make_error(ErrorCode::kMalformedInput, fmt::format("{}: {}", field, problem));
}

Error in_field(Error e, std::string_view field) {
  if (field.empty()) return e;
  return e.with_context(field);
}

Error in_element(Error e, std::string_view array, size_t index) {
  return e.with_context(fmt::format("{}[{}]", array, index));
}

PaddedInput padded_input(std::string_view body) {
  struct PerThread {
    simdjson::ondemand::parser parser;
    std::unique_ptr<char[]> buffer;
    size_t capacity = 0;
  };
  thread_local PerThread state;
  const size_t need = body.size() + simdjson::SIMDJSON_PADDING;
  if (state.capacity < need) {
    state.capacity = std::max(need, state.capacity * 2);
    state.buffer = std::make_unique<char[]>(state.capacity);
  }
  if (!body.empty()) std::memcpy(state.buffer.get(), body.data(), body.size());
  std::memset(state.buffer.get() + body.size(), 0, simdjson::SIMDJSON_PADDING);
  return PaddedInput{&state.parser, simdjson::padded_string_view(state.buffer.get(), body.size(), state.capacity)};
}

Result<std::optional<std::string_view>> get_string(value v, std::string_view field) {
  PK_ASSIGN_OR_RETURN(const bool has, present(v, json_type::string, field, "a string"));
  if (!has) return std::optional<std::string_view>{};
  std::string_view s;
  if (auto e = v.get_string().get(s)) return json_error(field, e);
  return std::optional<std::string_view>{s};
}

Result<std::optional<int64_t>> get_int64(value v, std::string_view field) {
  PK_ASSIGN_OR_RETURN(const bool has, present(v, json_type::number, field, "a number"));
  if (!has) return std::optional<int64_t>{};
  int64_t n = 0;
  if (auto e = v.get_int64().get(n)) return json_error(field, e);
  return std::optional<int64_t>{n};
}

Result<std::optional<bool>> get_bool(value v, std::string_view field) {
  PK_ASSIGN_OR_RETURN(const bool has, present(v, json_type::boolean, field, "true or false"));
  if (!has) return std::optional<bool>{};
  bool b = false;
  if (auto e = v.get_bool().get(b)) return json_error(field, e);
  return std::optional<bool>{b};
}

Result<std::optional<double>> get_double(value v, std::string_view field, std::string_view expected) {
  PK_ASSIGN_OR_RETURN(const bool has, present(v, json_type::number, field, expected));
  if (!has) return std::optional<double>{};
  double d = 0;
  if (auto e = v.get_double().get(d)) return json_error(field, e);
  return std::optional<double>{d};
}

Result<bool> append_base64(value v, std::string_view field, std::string& out) {
  PK_ASSIGN_OR_RETURN(const bool has, present(v, json_type::string, field, "a base64 string"));
  if (!has) return false;
  std::string_view token = v.raw_json_token();
  // The raw token is the quoted text, possibly followed by white space.
  while (!token.empty() && token.back() != '"') token.remove_suffix(1);
  if (token.size() < 2 || token.front() != '"') return field_error(field, "malformed string");
  std::string_view text = token.substr(1, token.size() - 2);
  if (text.find('\\') != std::string_view::npos) {
    if (auto e = v.get_string().get(text)) return json_error(field, e);
  }
  Status s = base64_decode_append(text, out);
  if (!s.ok()) return in_field(std::move(s).error(), field);
  return true;
}

Result<std::string> required_string(value v, std::string_view field) {
  PK_ASSIGN_OR_RETURN(auto s, get_string(v, field));
  if (!s) return field_error(field, "missing");
  return std::string(*s);
}

Status require(bool present_, std::string_view field) {
  if (!present_) return field_error(field, "missing");
  return ok_status();
}

Result<FlatObject> FlatObject::parse(std::string_view text, std::string_view what) {
  FlatObject out;
  out.what_ = std::string(what);
  Status read = parse_object(text, what, [&](std::string_view key, value v) -> Status {
    Member m{std::string(key), Kind::kOther, {}};
    json_type type;
    if (auto e = v.type().get(type)) return json_error(key, e);
    if (type == json_type::null) {
      m.kind = Kind::kNull;
    } else if (type == json_type::string) {
      std::string_view s;
      if (auto e = v.get_string().get(s)) return json_error(key, e);
      m.kind = Kind::kString;
      m.text = std::string(s);
    } else if (type == json_type::number) {
      int64_t n = 0;
      if (!v.get_int64().get(n)) {
        m.kind = Kind::kInteger;
        m.text = std::to_string(n);
      }
    }
    out.members_.push_back(std::move(m));
    return ok_status();
  });
  if (!read.ok()) return std::move(read).error();
  return out;
}

const FlatObject::Member* FlatObject::find(std::string_view key) const {
  for (const auto& m : members_) {
    if (m.key == key) return &m;
  }
  return nullptr;
}

bool FlatObject::has(std::string_view key) const {
  const Member* m = find(key);
  return m != nullptr && m->kind != Kind::kNull;
}

Result<std::string> FlatObject::string(std::string_view key) const {
  const Member* m = find(key);
  if (m == nullptr || m->kind == Kind::kNull) return std::string();
  if (m->kind != Kind::kString) {
    return make_error(ErrorCode::kMalformedInput, fmt::format("{}: \"{}\" is not a string", what_, key));
  }
  return m->text;
}

Result<std::optional<int64_t>> FlatObject::integer(std::string_view key) const {
  const Member* m = find(key);
  if (m == nullptr || m->kind == Kind::kNull) return std::optional<int64_t>();
  if (m->kind == Kind::kInteger || m->kind == Kind::kString) {
    int64_t v = 0;
    const std::string& t = m->text;
    const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    if (ec == std::errc() && end == t.data() + t.size() && !t.empty()) return std::optional<int64_t>(v);
  }
  return make_error(ErrorCode::kMalformedInput, fmt::format("{}: \"{}\" is not an integer", what_, key));
}

}  // namespace pk::aws::json
