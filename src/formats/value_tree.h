#pragma once
// The value FULL_MESSAGE_IN_JSON_EXPAND_VALUE writes as "payload": a tree of the Java objects the connector would
// serialize (Jackson's JsonNode kinds plus the decoded Java values of primitive schemas). Nodes live in one vector
// and text in one arena, both reused from message to message (no allocation once warm). Object members keep their
// insertion order; an object built with set_member drops a repeated key's value in favour of the later one at the
// earlier place (LinkedHashMap.put). Owned by one encoder; not thread-safe.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace pk::formats {

enum class ValueKind : uint8_t {
  kNull,     // NullNode / a Java null
  kMissing,  // MissingNode (an empty JSON payload): Jackson writes it as null, even with jsonIncludeNonNulls
  kBool,
  kInteger,  // int / long / BigInteger: canonical decimal digits in `text` ("-12", "0")
  kDecimal,  // BigDecimal: unscaled digits in `text`, `negative`, `scale`
  kDouble,   // Double (also Date / Timestamp millis are kInteger)
  kFloat,    // Float: `number` holds the float's value
  kString,   // UTF-8 as Java would write it (already normalized)
  kBinary,   // byte[] / ByteBuffer: written as base64
  kArray,
  kObject,
};

class ValueTree {
 public:
  static constexpr uint32_t kNone = UINT32_MAX;

  struct Text {
    uint32_t offset = 0;
    uint32_t size = 0;
  };
  struct Node {
    ValueKind kind = ValueKind::kNull;
    bool flag = false;       // kBool: the value; kDecimal: negative
    uint32_t first = kNone;  // first child (arrays, objects)
    uint32_t last = kNone;   // last child
    uint32_t next = kNone;   // next sibling
    uint32_t count = 0;      // number of children
    Text key;                // member name (children of objects)
    Text text;
    int64_t scale = 0;
    double number = 0;
  };

  void clear() {
    nodes_.clear();
    arena_.clear();
  }

  uint32_t add(ValueKind kind);
  uint32_t add_bool(bool v);
  uint32_t add_double(double v);
  uint32_t add_float(float v);
  uint32_t add_text(ValueKind kind, std::string_view text);  // kInteger, kString, kBinary
  uint32_t add_decimal(bool negative, std::string_view digits, int64_t scale);

  // Appends `child` to an array.
  void push(uint32_t array, uint32_t child);
  // Appends `value` as member `key` of an object (no duplicate check).
  void push_member(uint32_t object, std::string_view key, uint32_t value);
  // Stores `text` in the arena.
  Text store(std::string_view text);
  // Arena text being built in place: start, append, then finish.
  size_t text_start() const { return arena_.size(); }
  std::string& arena() { return arena_; }
  Text text_since(size_t start) const {
    return {static_cast<uint32_t>(start), static_cast<uint32_t>(arena_.size() - start)};
  }
  Node& node(uint32_t i) { return nodes_[i]; }
  const Node& node(uint32_t i) const { return nodes_[i]; }
  std::string_view text(Text t) const { return std::string_view(arena_).substr(t.offset, t.size); }
  std::string_view key(uint32_t i) const { return text(nodes_[i].key); }
  std::string_view text(uint32_t i) const { return text(nodes_[i].text); }

  // Applies LinkedHashMap.put semantics to an object built with push_member: a later member with an earlier
  // member's key gives its value to the earlier member's place and disappears.
  void dedupe_members(uint32_t object);

 private:
  std::vector<Node> nodes_;
  std::string arena_;
  bool has_repeated_key();

  std::vector<uint32_t> members_;  // dedupe scratch
  std::vector<uint32_t> slots_;
};

}  // namespace pk::formats
