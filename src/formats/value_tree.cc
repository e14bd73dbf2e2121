#include "formats/value_tree.h"

#include <algorithm>
#include <bit>
#include <functional>

namespace pk::formats {

uint32_t ValueTree::add(ValueKind kind) {
  nodes_.emplace_back();
  nodes_.back().kind = kind;
  return static_cast<uint32_t>(nodes_.size() - 1);
}

uint32_t ValueTree::add_bool(bool v) {
  const uint32_t i = add(ValueKind::kBool);
  nodes_[i].flag = v;
  return i;
}

uint32_t ValueTree::add_double(double v) {
  const uint32_t i = add(ValueKind::kDouble);
  nodes_[i].number = v;
  return i;
}

uint32_t ValueTree::add_float(float v) {
  const uint32_t i = add(ValueKind::kFloat);
  nodes_[i].number = v;
  return i;
}

ValueTree::Text ValueTree::store(std::string_view text) {
  const size_t start = arena_.size();
  arena_.append(text);
  return text_since(start);
}

uint32_t ValueTree::add_text(ValueKind kind, std::string_view text) {
  const Text t = store(text);
  const uint32_t i = add(kind);
  nodes_[i].text = t;
  return i;
}

uint32_t ValueTree::add_decimal(bool negative, std::string_view digits, int64_t scale) {
  const uint32_t i = add_text(ValueKind::kDecimal, digits);
  nodes_[i].flag = negative;
  nodes_[i].scale = scale;
  return i;
}

void ValueTree::push(uint32_t array, uint32_t child) {
  Node& a = nodes_[array];
  if (a.last == kNone) {
    a.first = child;
  } else {
    nodes_[a.last].next = child;
  }
  a.last = child;
  ++a.count;
}

void ValueTree::push_member(uint32_t object, std::string_view key, uint32_t value) {
  nodes_[value].key = store(key);
  push(object, value);
}

// Whether members_ holds a key twice: an open-addressing set of the keys (reused storage).
bool ValueTree::has_repeated_key() {
  const size_t capacity = std::bit_ceil(members_.size() * 2);
  slots_.assign(capacity, kNone);
  for (uint32_t m : members_) {
    const std::string_view k = key(m);
    size_t i = std::hash<std::string_view>{}(k) & (capacity - 1);
    for (; slots_[i] != kNone; i = (i + 1) & (capacity - 1)) {
      if (key(slots_[i]) == k) return true;
    }
    slots_[i] = m;
  }
  return false;
}

void ValueTree::dedupe_members(uint32_t object) {
  const Node& obj = nodes_[object];
  if (obj.count < 2) return;
  members_.clear();
  for (uint32_t c = obj.first; c != kNone; c = nodes_[c].next) members_.push_back(c);
  const size_t n = members_.size();
  if (n <= 16) {
    bool any = false;
    for (size_t i = 1; i < n && !any; ++i) {
      for (size_t j = 0; j < i && !any; ++j) any = key(members_[i]) == key(members_[j]);
    }
    if (!any) return;
  } else if (!has_repeated_key()) {
    return;
  }
  // Positions sorted by key, then by position: runs of equal keys, earliest first.
  std::vector<uint32_t> sorted(n);
  for (uint32_t i = 0; i < n; ++i) sorted[i] = i;
  std::sort(sorted.begin(), sorted.end(), [&](uint32_t a, uint32_t b) {
    const auto ka = key(members_[a]);
    const auto kb = key(members_[b]);
    return ka < kb || (ka == kb && a < b);
  });
  std::vector<uint32_t> value_at(n);  // position -> node holding its value (kNone: dropped)
  for (uint32_t i = 0; i < n; ++i) value_at[i] = members_[i];
  for (size_t i = 0; i < n;) {
    size_t j = i + 1;
    while (j < n && key(members_[sorted[j]]) == key(members_[sorted[i]])) ++j;
    if (j - i > 1) {
      value_at[sorted[i]] = members_[sorted[j - 1]];
      for (size_t k = i + 1; k < j; ++k) value_at[sorted[k]] = kNone;
    }
    i = j;
  }
  Node& o = nodes_[object];
  o.first = o.last = kNone;
  o.count = 0;
  for (uint32_t pos = 0; pos < n; ++pos) {
    const uint32_t v = value_at[pos];
    if (v == kNone) continue;
    nodes_[v].key = nodes_[members_[pos]].key;
    nodes_[v].next = kNone;
    push(object, v);
  }
}

}  // namespace pk::formats
