#include "formats/value_json.h"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cmath>
#include <functional>

#include "common/base64.h"
#include "formats/json_text.h"

namespace pk::formats {
namespace {

Decimal decimal_of(const ValueTree& t, const ValueTree::Node& n) {
  Decimal d;
  d.negative = n.flag;
  d.digits.assign(t.text(n.text));
  d.scale = n.scale;
  return d;
}

void append_quoted_base64(std::string_view bytes, std::string& out) {
  out.push_back('"');
  base64_append(bytes, out);
  out.push_back('"');
}

// Jackson writes NaN and the infinities as strings (WRITE_NAN_AS_STRINGS).
void append_jackson_floating(const ValueTree::Node& n, std::string& out) {
  if (!std::isfinite(n.number)) out.push_back('"');
  if (n.kind == ValueKind::kFloat) {
    append_java_float(static_cast<float>(n.number), out);
  } else {
    append_java_double(n.number, out);
  }
  if (!std::isfinite(n.number)) out.push_back('"');
}

// json-flattener's JsonValueUtils.toJavaNumber(BigDecimal) and the toString of the Number it returns.
void append_flattened_number(const Decimal& bd, std::string& out) {
  if (bd.scale <= 0) {  // Integer, Long or BigInteger: plain digits
    if (bd.negative && bd.digits != "0") out.push_back('-');
    out.append(bd.digits);
    if (bd.digits != "0") out.append(static_cast<size_t>(-bd.scale), '0');
    return;
  }
  const double d = decimal_to_double(bd);
  if (std::isfinite(d) && same_value(decimal_of_double(d), bd)) {
    append_java_double(d, out);
  } else {
    append_big_decimal(bd, out);
  }
}

// How number leaves are written: as Jackson writes the node, or as json-flattener's toJavaNumber gives them.
enum class NumberStyle { kJackson, kFlattened };

// Writes a scalar node (or an empty array or object as `[]` / `{}` when `containers` is false: a flattened leaf);
// returns false, writing nothing, for an array or object when `containers` is true (the caller writes it).
bool append_leaf(const ValueTree& t, const ValueTree::Node& n, NumberStyle numbers, bool containers, std::string& out) {
  switch (n.kind) {
    case ValueKind::kNull:
    case ValueKind::kMissing:
      out.append("null");
      return true;
    case ValueKind::kBool:
      out.append(n.flag ? "true" : "false");
      return true;
    case ValueKind::kInteger:
      out.append(t.text(n.text));
      return true;
    case ValueKind::kDecimal:
      if (numbers == NumberStyle::kFlattened) {
        append_flattened_number(decimal_of(t, n), out);
      } else {
        append_big_decimal(decimal_of(t, n), out);
      }
      return true;
    case ValueKind::kDouble:
    case ValueKind::kFloat:
      if (numbers == NumberStyle::kFlattened && std::isfinite(n.number)) {
        append_flattened_number(decimal_of_double(n.number), out);  // a Float is widened to double first
      } else {
        append_jackson_floating(n, out);  // flattened: Java throws NumberFormatException here
      }
      return true;
    case ValueKind::kString:
      append_jackson_string(t.text(n.text), out);
      return true;
    case ValueKind::kBinary:
      append_quoted_base64(t.text(n.text), out);  // flattened: Java writes null (json-flattener drops BinaryNode)
      return true;
    case ValueKind::kArray:
    case ValueKind::kObject:
      if (containers) return false;
      out.append(n.kind == ValueKind::kArray ? "[]" : "{}");  // only empty containers are flattened leaves
      return true;
  }
  return true;
}

bool has_reserved(std::string_view key) {
  return key.find_first_of(".[]") != std::string_view::npos;
}

// Walks the tree depth first; each leaf (a scalar or an empty container) becomes one entry keyed by its path.
void flatten_into(const ValueTree& t, uint32_t i, FlattenScratch& s) {
  const ValueTree::Node& n = t.node(i);
  const bool container = (n.kind == ValueKind::kObject || n.kind == ValueKind::kArray) && n.count > 0;
  if (!container) {
    s.entries.push_back({static_cast<uint32_t>(s.keys.size()), static_cast<uint32_t>(s.path.size()), i});
    s.keys.append(s.path);
    return;
  }
  const size_t path_size = s.path.size();
  uint32_t index = 0;
  for (uint32_t c = n.first; c != ValueTree::kNone; c = t.node(c).next, ++index) {
    if (n.kind == ValueKind::kArray) {
      char buf[16];
      auto r = std::to_chars(buf, buf + sizeof buf, index);
      s.path.push_back('[');
      s.path.append(buf, r.ptr);
      s.path.push_back(']');
    } else {
      const std::string_view key = t.key(c);
      if (has_reserved(key)) {
        s.path.append("[\"");
        append_jackson_escaped(key, s.path);
        s.path.append("\"]");
      } else {
        if (path_size != 0) s.path.push_back('.');
        s.path.append(key);
      }
    }
    flatten_into(t, c, s);
    s.path.resize(path_size);
  }
}

}  // namespace

void write_jackson(const ValueTree& t, uint32_t i, std::string& out) {
  const ValueTree::Node& n = t.node(i);
  if (append_leaf(t, n, NumberStyle::kJackson, /*containers=*/true, out)) return;
  const bool object = n.kind == ValueKind::kObject;
  out.push_back(object ? '{' : '[');
  bool first = true;
  for (uint32_t c = n.first; c != ValueTree::kNone; c = t.node(c).next) {
    if (!first) out.push_back(',');
    first = false;
    if (object) {
      append_jackson_string(t.key(c), out);
      out.push_back(':');
    }
    write_jackson(t, c, out);
  }
  out.push_back(object ? '}' : ']');
}

void write_flattened(const ValueTree& t, uint32_t root, FlattenScratch& s, std::string& out) {
  s.keys.clear();
  s.path.clear();
  s.entries.clear();
  flatten_into(t, root, s);
  auto key = [&](uint32_t e) {
    return std::string_view(s.keys).substr(s.entries[e].key_offset, s.entries[e].key_size);
  };
  const auto n = static_cast<uint32_t>(s.entries.size());
  // A LinkedHashMap: a repeated key keeps its first place and takes the last value.
  s.value_at.resize(n);
  for (uint32_t e = 0; e < n; ++e) s.value_at[e] = s.entries[e].value;
  // Keys almost never repeat (only through an empty key): check with a small hash set before sorting.
  bool repeated = false;
  const size_t capacity = std::bit_ceil(static_cast<size_t>(n) * 2 + 1);
  s.sorted.assign(capacity, ValueTree::kNone);
  for (uint32_t e = 0; e < n && !repeated; ++e) {
    size_t i = std::hash<std::string_view>{}(key(e)) & (capacity - 1);
    for (; s.sorted[i] != ValueTree::kNone && !repeated; i = (i + 1) & (capacity - 1))
      repeated = key(s.sorted[i]) == key(e);
    s.sorted[i] = e;
  }
  if (repeated) {
    s.sorted.resize(n);
    for (uint32_t e = 0; e < n; ++e) s.sorted[e] = e;
    std::sort(s.sorted.begin(), s.sorted.end(),
              [&](uint32_t a, uint32_t b) { return key(a) < key(b) || (key(a) == key(b) && a < b); });
    for (uint32_t i = 0; i < n;) {
      uint32_t j = i + 1;
      while (j < n && key(s.sorted[j]) == key(s.sorted[i])) ++j;
      if (j - i > 1) {
        s.value_at[s.sorted[i]] = s.entries[s.sorted[j - 1]].value;
        for (uint32_t k = i + 1; k < j; ++k) s.value_at[s.sorted[k]] = ValueTree::kNone;
      }
      i = j;
    }
  }
  out.push_back('{');
  bool first = true;
  for (uint32_t e = 0; e < n; ++e) {
    if (s.value_at[e] == ValueTree::kNone) continue;
    if (!first) out.push_back(',');
    first = false;
    append_jackson_string(key(e), out);
    out.push_back(':');
    append_leaf(t, t.node(s.value_at[e]), NumberStyle::kFlattened, /*containers=*/false, out);
  }
  out.push_back('}');
}

}  // namespace pk::formats
