#pragma once
// DynamoDB's attribute-value model: S, N, B, SS, NS, BS, BOOL, NULL, M, L. Numbers stay decimal text, as
// DynamoDB sends them (up to 38 digits); binary values are raw bytes (base64 only on the wire). An Item is a
// map from attribute name to value. Plain values, no I/O.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/result.h"

namespace pk::dynamodb {

class AttributeValue;
using AttributeMap = std::map<std::string, AttributeValue, std::less<>>;
using Item = AttributeMap;

enum class AttributeType { kS, kN, kB, kSS, kNS, kBS, kBool, kNull, kM, kL };
// The wire name: "S", "N", "B", "SS", "NS", "BS", "BOOL", "NULL", "M", "L".
std::string_view to_string(AttributeType type);

class AttributeValue {
 public:
  AttributeValue() = default;  // NULL

  static AttributeValue s(std::string text);
  static AttributeValue n(std::string decimal);  // not checked here: see is_valid_number
  static AttributeValue n(int64_t number);
  static AttributeValue b(std::string bytes);
  static AttributeValue ss(std::vector<std::string> texts);
  static AttributeValue ns(std::vector<std::string> decimals);
  static AttributeValue bs(std::vector<std::string> byte_strings);
  static AttributeValue boolean(bool value);
  static AttributeValue null();
  static AttributeValue m(AttributeMap members);
  static AttributeValue l(std::vector<AttributeValue> elements);

  AttributeType type() const { return type_; }

  // Each accessor gives nullptr (nullopt) when the value is of another type.
  const std::string* as_s() const { return type_ == AttributeType::kS ? text() : nullptr; }
  const std::string* as_n() const { return type_ == AttributeType::kN ? text() : nullptr; }
  const std::string* as_b() const { return type_ == AttributeType::kB ? text() : nullptr; }
  // SS, NS or BS, whichever this is.
  const std::vector<std::string>* as_set() const { return std::get_if<std::vector<std::string>>(&value_); }
  std::optional<bool> as_bool() const;
  const AttributeMap* as_m() const { return std::get_if<AttributeMap>(&value_); }
  const std::vector<AttributeValue>* as_l() const { return std::get_if<std::vector<AttributeValue>>(&value_); }

  // An N value as a 64-bit integer; an error (naming `what`) for another type, a fraction or an overflow.
  Result<int64_t> to_int64(std::string_view what = "number") const;

  friend bool operator==(const AttributeValue& a, const AttributeValue& b) {
    return a.type_ == b.type_ && a.value_ == b.value_;
  }

 private:
  using Value = std::variant<std::monostate, std::string, std::vector<std::string>, bool, AttributeMap,
                             std::vector<AttributeValue>>;
  AttributeValue(AttributeType type, Value value) : type_(type), value_(std::move(value)) {}
  const std::string* text() const { return std::get_if<std::string>(&value_); }

  AttributeType type_ = AttributeType::kNull;
  Value value_;
};

// Whether `text` is a DynamoDB number: an optional '-', digits with an optional fraction, an optional exponent.
bool is_valid_number(std::string_view text);

// Item lookups for callers that read known attributes (the lease table): errors name the attribute.
const AttributeValue* find(const Item& item, std::string_view name);
// The S value of `name`; nullopt when absent; an error when present with another type.
Result<std::optional<std::string>> get_s(const Item& item, std::string_view name);
// The N value of `name` as an integer; nullopt when absent.
Result<std::optional<int64_t>> get_int64(const Item& item, std::string_view name);

}  // namespace pk::dynamodb
