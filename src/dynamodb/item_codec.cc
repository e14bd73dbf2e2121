#include "dynamodb/item_codec.h"

#include <fmt/format.h>

#include "common/base64.h"

namespace pk::dynamodb {
namespace {

namespace json = aws::json;

Error invalid(std::string_view what, std::string_view problem) {
  return make_error(ErrorCode::kInvalidArgument, fmt::format("{}: {}", what, problem));
}

Status write_set(JsonOut& out, const AttributeValue& value, const std::vector<std::string>& set) {
  const std::string_view type = to_string(value.type());
  if (set.empty()) return invalid(type, "empty set");
  out.begin_array_value();
  for (const std::string& element : set) {
    if (value.type() == AttributeType::kBS) {
      PK_TRY(out.string_value(base64_encode(element)));
    } else {
      if (value.type() == AttributeType::kNS && !is_valid_number(element)) {
        return invalid(type, fmt::format("\"{}\" is not a number", element));
      }
      PK_TRY(write_string(out, element, type));
    }
  }
  out.end_array();
  return ok_status();
}

}  // namespace

Status write_string(JsonOut& out, std::string_view text, std::string_view what) {
  Status s = out.string_value(text);
  if (!s.ok()) return invalid(what, s.error().message);
  return ok_status();
}

Status write_attribute_value(JsonOut& out, const AttributeValue& value) {
  out.begin_object_value();
  out.literal_key(to_string(value.type()));
  switch (value.type()) {
    case AttributeType::kS:
      PK_TRY(write_string(out, *value.as_s(), "S"));
      break;
    case AttributeType::kN:
      if (!is_valid_number(*value.as_n())) return invalid("N", fmt::format("\"{}\" is not a number", *value.as_n()));
      PK_TRY(write_string(out, *value.as_n(), "N"));
      break;
    case AttributeType::kB:
      PK_TRY(out.string_value(base64_encode(*value.as_b())));
      break;
    case AttributeType::kSS:
    case AttributeType::kNS:
    case AttributeType::kBS:
      PK_TRY(write_set(out, value, *value.as_set()));
      break;
    case AttributeType::kBool:
      out.bool_value(*value.as_bool());
      break;
    case AttributeType::kNull:
      out.bool_value(true);
      break;
    case AttributeType::kM:
      PK_TRY(write_item(out, *value.as_m()));
      break;
    case AttributeType::kL: {
      out.begin_array_value();
      size_t index = 0;
      for (const AttributeValue& element : *value.as_l()) {
        Status s = write_attribute_value(out, element);
        if (!s.ok()) return std::move(s).error().with_context(fmt::format("L[{}]", index));
        ++index;
      }
      out.end_array();
      break;
    }
  }
  out.end_object();
  return ok_status();
}

Status write_item(JsonOut& out, const Item& item) {
  out.begin_object_value();
  for (const auto& [name, value] : item) {
    if (name.empty()) return invalid("attribute name", "empty");
    Status k = out.key(name);
    if (!k.ok()) return invalid("attribute name", k.error().message);
    Status s = write_attribute_value(out, value);
    if (!s.ok()) return std::move(s).error().with_context(name);
  }
  out.end_object();
  return ok_status();
}

Result<AttributeValue> read_attribute_value(JsonValue v, int depth) {
  if (depth > kMaxNesting) {
    return json::field_error("attribute value", fmt::format("nested more than {} levels", kMaxNesting));
  }
  std::optional<AttributeValue> result;
  Status read = json::for_each_member(v, "attribute value", [&](std::string_view key, JsonValue member) -> Status {
    simdjson::ondemand::json_type type;
    if (auto e = member.type().get(type)) return json::json_error(key, e);
    if (type == simdjson::ondemand::json_type::null) return ok_status();
    if (result) return json::field_error(key, "a second type in one attribute value");
    if (key == "S" || key == "N") {
      PK_ASSIGN_OR_RETURN(auto s, json::get_string(member, key));
      if (key == "N" && !is_valid_number(*s)) return json::field_error(key, fmt::format("\"{}\" is not a number", *s));
      result = key == "S" ? AttributeValue::s(std::string(*s)) : AttributeValue::n(std::string(*s));
    } else if (key == "B") {
      std::string bytes;
      PK_TRY(json::append_base64(member, key, bytes));
      result = AttributeValue::b(std::move(bytes));
    } else if (key == "SS" || key == "NS" || key == "BS") {
      std::vector<std::string> set;
      PK_TRY(json::for_each_element(member, key, [&](size_t index, JsonValue element) -> Status {
        Status s = ok_status();
        if (key == "BS") {
          auto has = json::append_base64(element, "", set.emplace_back());
          if (has.ok() && !*has) has = json::field_error("", "null in a set");
          if (!has.ok()) s = std::move(has).error();
        } else {
          auto text = json::required_string(element, "");
          if (text.ok() && key == "NS" && !is_valid_number(*text)) text = json::field_error("", "not a number");
          if (text.ok()) set.push_back(std::move(*text));
          if (!text.ok()) s = std::move(text).error();
        }
        if (!s.ok()) return json::in_element(std::move(s).error(), key, index);
        return ok_status();
      }));
      result = key == "SS"   ? AttributeValue::ss(std::move(set))
               : key == "NS" ? AttributeValue::ns(std::move(set))
                             : AttributeValue::bs(std::move(set));
    } else if (key == "BOOL" || key == "NULL") {
      PK_ASSIGN_OR_RETURN(auto b, json::get_bool(member, key));
      if (key == "NULL" && !*b) return json::field_error(key, "must be true");
      result = key == "BOOL" ? AttributeValue::boolean(*b) : AttributeValue::null();
    } else if (key == "M") {
      AttributeMap members;
      PK_TRY(read_item(member, "M", members, depth + 1));
      result = AttributeValue::m(std::move(members));
    } else if (key == "L") {
      std::vector<AttributeValue> elements;
      PK_TRY(json::for_each_element(member, key, [&](size_t index, JsonValue element) -> Status {
        auto item = read_attribute_value(element, depth + 1);
        if (!item.ok()) return json::in_element(std::move(item).error(), "L", index);
        elements.push_back(std::move(*item));
        return ok_status();
      }));
      result = AttributeValue::l(std::move(elements));
    } else {
      return json::field_error(key, "unknown attribute type");
    }
    return ok_status();
  });
  if (!read.ok()) return std::move(read).error();
  if (!result) return json::field_error("attribute value", "no type");
  return std::move(*result);
}

Status read_item(JsonValue v, std::string_view field, Item& out, int depth) {
  return json::for_each_member(v, field, [&](std::string_view name, JsonValue member) -> Status {
    auto value = read_attribute_value(member, depth);
    if (!value.ok()) return json::in_field(std::move(value).error(), fmt::format("{}: {}", field, name));
    out.insert_or_assign(std::string(name), std::move(*value));
    return ok_status();
  });
}

}  // namespace pk::dynamodb
