#include "formats/avro_decode.h"

#include <bit>
#include <charconv>
#include <cstring>

#include <fmt/format.h>

#include "formats/java_string.h"
#include "formats/json_text.h"

namespace pk::formats::avro {
namespace {

constexpr int64_t kMaxEmptyItems = int64_t{1} << 20;

// Two's complement big-endian bytes -> sign and decimal digits of the magnitude.
void twos_complement_to_decimal(std::string_view bytes, bool& negative, std::string& digits) {
  std::vector<uint8_t> mag(bytes.begin(), bytes.end());
  negative = !mag.empty() && (mag[0] & 0x80) != 0;
  if (negative) {  // magnitude = ~x + 1
    for (auto& b : mag) b = static_cast<uint8_t>(~b);
    for (size_t i = mag.size(); i-- > 0;) {
      if (++mag[i] != 0) break;
    }
  }
  // Repeated division by 10^9 of the big-endian magnitude.
  std::vector<uint32_t> chunks;
  size_t start = 0;
  while (start < mag.size() && mag[start] == 0) ++start;
  while (start < mag.size()) {
    uint64_t rem = 0;
    for (size_t i = start; i < mag.size(); ++i) {
      const uint64_t cur = (rem << 8) | mag[i];
      mag[i] = static_cast<uint8_t>(cur / 1000000000u);
      rem = cur % 1000000000u;
    }
    chunks.push_back(static_cast<uint32_t>(rem));
    while (start < mag.size() && mag[start] == 0) ++start;
  }
  digits.clear();
  if (chunks.empty()) {
    digits = "0";
    negative = false;
    return;
  }
  digits = std::to_string(chunks.back());
  for (size_t i = chunks.size() - 1; i-- > 0;) {
    const std::string part = std::to_string(chunks[i]);
    digits.append(9 - part.size(), '0');
    digits.append(part);
  }
}

class Decoder {
 public:
  Decoder(const Schema& schema, std::string_view bytes, ValueTree& tree, DecodeScratch& scratch)
      : schema_(schema),
        begin_(bytes.data()),
        p_(bytes.data()),
        end_(bytes.data() + bytes.size()),
        t_(tree),
        s_(scratch) {}

  Result<uint32_t> run() { return value(schema_.root(), 0); }

 private:
  Error fail(std::string_view what) const {
    return make_error(ErrorCode::kMalformedInput,
                      fmt::format("Avro: {} at offset {}", what, static_cast<size_t>(p_ - begin_)));
  }

  Result<int32_t> read_int() {
    uint32_t n = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      if (p_ == end_) return fail("unexpected end of data in an int");
      const auto b = static_cast<uint8_t>(*p_++);
      n |= static_cast<uint32_t>(b & 0x7F) << shift;  // bits past 32 are dropped, as by Avro's reader
      if ((b & 0x80) == 0) return static_cast<int32_t>((n >> 1) ^ (~(n & 1) + 1));
    }
    return fail("invalid int encoding");
  }

  Result<int64_t> read_long() {
    uint64_t n = 0;
    for (int shift = 0; shift < 70; shift += 7) {
      if (p_ == end_) return fail("unexpected end of data in a long");
      const auto b = static_cast<uint8_t>(*p_++);
      n |= static_cast<uint64_t>(b & 0x7F) << shift;
      if ((b & 0x80) == 0) return static_cast<int64_t>((n >> 1) ^ (~(n & 1) + 1));
    }
    return fail("invalid long encoding");
  }

  Result<std::string_view> read_span(int64_t size) {
    if (size < 0) return fail("negative length");
    if (size > end_ - p_) return fail("length past the end of the data");
    std::string_view s(p_, static_cast<size_t>(size));
    p_ += size;
    return s;
  }

  Result<std::string_view> read_bytes() {
    PK_ASSIGN_OR_RETURN(const int64_t size, read_long());
    return read_span(size);
  }

  // Block count of an array or map: a negative count is followed by the block's byte size.
  Result<int64_t> read_block_count() {
    PK_ASSIGN_OR_RETURN(int64_t count, read_long());
    if (count < 0) {
      if (count == INT64_MIN) return fail("invalid block count");
      PK_TRY(read_long());
      count = -count;
    }
    return count;
  }

  uint32_t string_node(std::string_view raw) {
    const size_t start = t_.text_start();
    append_java_normalized(raw, t_.arena());  // Utf8.toString()
    const uint32_t i = t_.add(ValueKind::kString);
    t_.node(i).text = t_.text_since(start);
    return i;
  }

  uint32_t integer_node(int64_t v) {
    char buf[24];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    return t_.add_text(ValueKind::kInteger, std::string_view(buf, static_cast<size_t>(r.ptr - buf)));
  }

  uint32_t decimal_node(const Node& n, std::string_view raw) {
    bool negative = false;
    std::string digits;
    twos_complement_to_decimal(raw, negative, digits);
    return t_.add_decimal(negative, digits, n.scale);
  }

  Result<uint32_t> value(uint32_t type, int depth) {
    if (depth > kMaxDecodeDepth) return fail("nested deeper than 500 levels");
    const Node& n = schema_.node(type);
    switch (n.type) {
      case Type::kNull:
        return t_.add(ValueKind::kNull);
      case Type::kBoolean: {
        if (p_ == end_) return fail("unexpected end of data in a boolean");
        return t_.add_bool(static_cast<uint8_t>(*p_++) == 1);
      }
      case Type::kInt: {
        PK_ASSIGN_OR_RETURN(const int32_t v, read_int());
        return integer_node(v);
      }
      case Type::kLong: {
        PK_ASSIGN_OR_RETURN(const int64_t v, read_long());
        return integer_node(v);
      }
      case Type::kFloat: {
        if (end_ - p_ < 4) return fail("unexpected end of data in a float");
        uint32_t bits = 0;
        for (int i = 0; i < 4; ++i) bits |= static_cast<uint32_t>(static_cast<uint8_t>(p_[i])) << (8 * i);
        p_ += 4;
        return t_.add_float(std::bit_cast<float>(bits));
      }
      case Type::kDouble: {
        if (end_ - p_ < 8) return fail("unexpected end of data in a double");
        uint64_t bits = 0;
        for (int i = 0; i < 8; ++i) bits |= static_cast<uint64_t>(static_cast<uint8_t>(p_[i])) << (8 * i);
        p_ += 8;
        return t_.add_double(std::bit_cast<double>(bits));
      }
      case Type::kBytes: {
        PK_ASSIGN_OR_RETURN(const std::string_view raw, read_bytes());
        if (n.decimal) return decimal_node(n, raw);
        return t_.add_text(ValueKind::kBinary, raw);
      }
      case Type::kFixed: {
        PK_ASSIGN_OR_RETURN(const std::string_view raw, read_span(n.fixed_size));
        if (n.decimal) return decimal_node(n, raw);
        return t_.add_text(ValueKind::kBinary, raw);
      }
      case Type::kString: {
        PK_ASSIGN_OR_RETURN(const std::string_view raw, read_bytes());
        return string_node(raw);
      }
      case Type::kEnum: {
        PK_ASSIGN_OR_RETURN(const int32_t index, read_int());
        if (index < 0 || static_cast<size_t>(index) >= n.names.size()) {
          return fail(fmt::format("enum index {} out of range for {}", index, n.name));
        }
        return t_.add_text(ValueKind::kString, n.names[static_cast<size_t>(index)]);
      }
      case Type::kRecord: {
        const uint32_t obj = t_.add(ValueKind::kObject);
        for (size_t f = 0; f < n.children.size(); ++f) {
          PK_ASSIGN_OR_RETURN(const uint32_t v, value(n.children[f], depth + 1));
          t_.push_member(obj, n.names[f], v);
        }
        return obj;
      }
      case Type::kArray: {
        const uint32_t arr = t_.add(ValueKind::kArray);
        const bool empty_items = zero_size(n.children[0]);
        int64_t total = 0;
        for (;;) {
          PK_ASSIGN_OR_RETURN(const int64_t count, read_block_count());
          if (count == 0) break;
          // Items of a type that takes no bytes cost nothing to claim: bound them (Java would run out of memory).
          total += count;
          if (empty_items && total > kMaxEmptyItems) return fail("too many items of an empty type in an array");
          for (int64_t i = 0; i < count; ++i) {
            if (p_ == end_ && !empty_items) return fail("unexpected end of data in an array");
            PK_ASSIGN_OR_RETURN(const uint32_t v, value(n.children[0], depth + 1));
            t_.push(arr, v);
          }
        }
        return arr;
      }
      case Type::kMap:
        return map(n, depth);
      case Type::kUnion:
        return union_value(n, depth);
    }
    return fail("unknown type");
  }

  bool zero_size(uint32_t type) const {
    const Node& n = schema_.node(type);
    return n.type == Type::kNull || (n.type == Type::kRecord && n.children.empty()) ||
           (n.type == Type::kFixed && n.fixed_size == 0);
  }

  Result<uint32_t> map(const Node& n, int depth) {
    const size_t base = s_.keys.size();
    int64_t first_block = -1;
    for (;;) {
      PK_ASSIGN_OR_RETURN(const int64_t count, read_block_count());
      if (first_block < 0) first_block = count;
      if (count == 0) break;
      for (int64_t i = 0; i < count; ++i) {
        PK_ASSIGN_OR_RETURN(const std::string_view key, read_bytes());
        PK_ASSIGN_OR_RETURN(const uint32_t v, value(n.children[0], depth + 1));
        s_.keys.push_back(key);
        s_.values.push_back(v);
      }
    }
    const uint32_t obj = t_.add(ValueKind::kObject);
    const std::span<const std::string_view> keys(s_.keys.data() + base, s_.keys.size() - base);
    if (!keys.empty()) {
      // new HashMap<>(first block count), filled with put; keys are Utf8 unless the map says String.
      java_map_order(keys, MapFill::kPut, n.java_string ? KeyClass::kString : KeyClass::kAvroUtf8,
                     static_cast<int>(std::min<int64_t>(first_block, INT32_MAX)), s_.map, s_.order);
      for (const auto& e : s_.order) {
        const uint32_t v = s_.values[base + e.value];
        const size_t start = t_.text_start();
        append_java_normalized(keys[e.key], t_.arena());
        t_.node(v).key = t_.text_since(start);
        t_.push(obj, v);
      }
    }
    s_.keys.resize(base);
    s_.values.resize(base);
    return obj;
  }

  // Java's toString of a decoded scalar, as JsonConverter writes a value of another union branch when the first
  // non-null branch is a string or an enum. False when the value is not a scalar.
  bool to_java_string(uint32_t v) {
    ValueTree::Node& node = t_.node(v);
    std::string& text = s_.text;
    text.clear();
    switch (node.kind) {
      case ValueKind::kBool:
        text = node.flag ? "true" : "false";
        break;
      case ValueKind::kInteger:
        text.assign(t_.text(node.text));
        break;
      case ValueKind::kDouble:
        append_java_double(node.number, text);
        break;
      case ValueKind::kFloat:
        append_java_float(static_cast<float>(node.number), text);
        break;
      case ValueKind::kString:
        return true;
      default:
        return false;
    }
    node.kind = ValueKind::kString;
    node.text = t_.store(text);
    return true;
  }

  Result<uint32_t> union_value(const Node& n, int depth) {
    PK_ASSIGN_OR_RETURN(const int32_t index, read_int());
    if (index < 0 || static_cast<size_t>(index) >= n.children.size()) {
      return fail(fmt::format("union index {} out of range", index));
    }
    const uint32_t branch = n.children[static_cast<size_t>(index)];
    PK_ASSIGN_OR_RETURN(const uint32_t v, value(branch, depth + 1));
    // JsonConverter renders any non-null value by the union's first non-null branch.
    uint32_t first = branch;
    for (uint32_t c : n.children) {
      if (schema_.node(c).type != Type::kNull) {
        first = c;
        break;
      }
    }
    const Type first_type = schema_.node(first).type;
    const Type value_type = schema_.node(branch).type;
    if (first != branch && value_type != Type::kNull && (first_type == Type::kString || first_type == Type::kEnum) &&
        !schema_.node(branch).decimal) {
      to_java_string(v);  // else (Java fails or prints an object's toString) the value is written as itself
    }
    return v;
  }

  const Schema& schema_;
  const char* begin_;
  const char* p_;
  const char* end_;
  ValueTree& t_;
  DecodeScratch& s_;
};

}  // namespace

Result<uint32_t> decode(const Schema& schema, std::string_view bytes, ValueTree& tree, DecodeScratch& scratch) {
  const size_t keys = scratch.keys.size();
  Decoder d(schema, bytes, tree, scratch);
  auto r = d.run();
  scratch.keys.resize(keys);
  scratch.values.resize(keys);
  return r;
}

}  // namespace pk::formats::avro
