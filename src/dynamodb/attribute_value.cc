#include "dynamodb/attribute_value.h"

#include <charconv>

#include <fmt/format.h>

namespace pk::dynamodb {

std::string_view to_string(AttributeType type) {
  switch (type) {
    case AttributeType::kS:
      return "S";
    case AttributeType::kN:
      return "N";
    case AttributeType::kB:
      return "B";
    case AttributeType::kSS:
      return "SS";
    case AttributeType::kNS:
      return "NS";
    case AttributeType::kBS:
      return "BS";
    case AttributeType::kBool:
      return "BOOL";
    case AttributeType::kNull:
      return "NULL";
    case AttributeType::kM:
      return "M";
    case AttributeType::kL:
      return "L";
  }
  return "NULL";
}

AttributeValue AttributeValue::s(std::string text) {
  return AttributeValue(AttributeType::kS, std::move(text));
}
AttributeValue AttributeValue::n(std::string decimal) {
  return AttributeValue(AttributeType::kN, std::move(decimal));
}
AttributeValue AttributeValue::n(int64_t number) {
  return AttributeValue(AttributeType::kN, std::to_string(number));
}
AttributeValue AttributeValue::b(std::string bytes) {
  return AttributeValue(AttributeType::kB, std::move(bytes));
}
AttributeValue AttributeValue::ss(std::vector<std::string> texts) {
  return AttributeValue(AttributeType::kSS, std::move(texts));
}
AttributeValue AttributeValue::ns(std::vector<std::string> decimals) {
  return AttributeValue(AttributeType::kNS, std::move(decimals));
}
AttributeValue AttributeValue::bs(std::vector<std::string> byte_strings) {
  return AttributeValue(AttributeType::kBS, std::move(byte_strings));
}
AttributeValue AttributeValue::boolean(bool value) {
  return AttributeValue(AttributeType::kBool, value);
}
AttributeValue AttributeValue::null() {
  return AttributeValue();
}
AttributeValue AttributeValue::m(AttributeMap members) {
  return AttributeValue(AttributeType::kM, std::move(members));
}
AttributeValue AttributeValue::l(std::vector<AttributeValue> elements) {
  return AttributeValue(AttributeType::kL, std::move(elements));
}

std::optional<bool> AttributeValue::as_bool() const {
  if (const bool* b = std::get_if<bool>(&value_)) return *b;
  return std::nullopt;
}

Result<int64_t> AttributeValue::to_int64(std::string_view what) const {
  const std::string* text = as_n();
  if (text == nullptr) {
    return make_error(ErrorCode::kMalformedInput, fmt::format("{}: expected N, found {}", what, to_string(type_)));
  }
  int64_t v = 0;
  const char* end = text->data() + text->size();
  const auto [ptr, ec] = std::from_chars(text->data(), end, v);
  if (ec != std::errc{} || ptr != end) {
    return make_error(ErrorCode::kMalformedInput, fmt::format("{}: \"{}\" is not a 64-bit integer", what, *text));
  }
  return v;
}

bool is_valid_number(std::string_view t) {
  size_t i = 0;
  const auto digits = [&] {
    const size_t start = i;
    while (i < t.size() && t[i] >= '0' && t[i] <= '9') ++i;
    return i > start;
  };
  if (i < t.size() && (t[i] == '-' || t[i] == '+')) ++i;
  bool any = digits();
  if (i < t.size() && t[i] == '.') {
    ++i;
    any = digits() || any;
  }
  if (!any) return false;
  if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
    ++i;
    if (i < t.size() && (t[i] == '-' || t[i] == '+')) ++i;
    if (!digits()) return false;
  }
  return i == t.size();
}

const AttributeValue* find(const Item& item, std::string_view name) {
  const auto it = item.find(name);
  return it == item.end() ? nullptr : &it->second;
}

Result<std::optional<std::string>> get_s(const Item& item, std::string_view name) {
  const AttributeValue* v = find(item, name);
  if (v == nullptr) return std::optional<std::string>{};
  if (const std::string* s = v->as_s()) return std::optional<std::string>{*s};
  return make_error(ErrorCode::kMalformedInput,
                    fmt::format("attribute {}: expected S, found {}", name, to_string(v->type())));
}

Result<std::optional<int64_t>> get_int64(const Item& item, std::string_view name) {
  const AttributeValue* v = find(item, name);
  if (v == nullptr) return std::optional<int64_t>{};
  PK_ASSIGN_OR_RETURN(const int64_t n, v->to_int64(fmt::format("attribute {}", name)));
  return std::optional<int64_t>{n};
}

}  // namespace pk::dynamodb
