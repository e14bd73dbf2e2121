#pragma once
// The iteration order of java.util.HashMap and java.util.TreeMap, emulated for the maps the Java connector
// iterates when it writes properties and other string maps. Only the order matters (values are looked up by the
// caller), so entries are the caller's key indexes. OpenJDK 17's HashMap is followed exactly: buckets by
// (hash ^ hash >>> 16) & (n - 1); `put` links a new key at the tail of its bucket and resizes after the insert that
// passes the threshold; `merge` (Collectors.toMap with a merge function) resizes before the call when the size is
// already past the threshold and links a new key at the head; a resize splits each bucket keeping relative order;
// a bucket that grows past 8 entries resizes a table under 64 buckets and becomes a red-black tree above, whose
// linked order (new nodes after their tree parent, the root moved to the front) is what iteration follows.
// docs/formats.md has the rules in prose. Not thread-safe; one map per use.

#include <cstdint>
#include <functional>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

namespace pk::formats {

class JavaHashMapOrder {
 public:
  // Compares two keys (by index) as their Java class's compareTo would: negative, zero (same key), positive.
  using Compare = std::function<int(uint32_t, uint32_t)>;

  // `initial_capacity` < 0: new HashMap(); else new HashMap(initial_capacity).
  JavaHashMapOrder() = default;
  explicit JavaHashMapOrder(Compare compare, int initial_capacity = -1) { reset(std::move(compare), initial_capacity); }
  // Starts a new, empty map (keeps the storage).
  void reset(Compare compare, int initial_capacity = -1);

  // Map.put / putIfAbsent: returns the index of the key that now holds the entry (an earlier equal key keeps its
  // place; the caller decides which value wins).
  uint32_t put(uint32_t key, int32_t key_hash_code);
  // HashMap.merge.
  uint32_t merge(uint32_t key, int32_t key_hash_code);

  size_t size() const { return size_; }
  // The keys in iteration order.
  void order(std::vector<uint32_t>& out) const;

 private:
  struct Node {
    int32_t hash;
    uint32_t key;
    int32_t next = -1;
    // Tree links (valid while the node's bucket is a tree bin).
    int32_t parent = -1, left = -1, right = -1, prev = -1;
    bool red = false;
  };

  // A side of a tree node: the mirror-image halves of the red-black code are one function of it.
  enum class Side { kLeft, kRight };
  static Side opposite(Side side) { return side == Side::kLeft ? Side::kRight : Side::kLeft; }
  // A bucket list being rebuilt: its first and last node and its length.
  struct Chain {
    int32_t head = -1, tail = -1;
    int count = 0;
  };

  void resize();
  std::pair<Chain, Chain> split_chain(int32_t head, uint32_t bit);
  void treeify_bin(int32_t hash);
  void treeify(uint32_t index, int32_t head);
  void split(uint32_t index, uint32_t bit, int32_t head);
  int32_t find_in_tree(int32_t root, int32_t hash, uint32_t key) const;
  void put_tree_val(uint32_t index, int32_t hash, uint32_t key);
  int32_t tree_root(int32_t node) const;
  void move_root_to_front(uint32_t index, int32_t root);
  int32_t& child(int32_t node, Side side);
  int32_t rotate(int32_t root, int32_t p, Side toward);
  int32_t balance_insertion(int32_t root, int32_t x);
  int tree_dir(int32_t hash, uint32_t key, const Node& p) const;
  int32_t new_node(int32_t hash, uint32_t key, int32_t next);

  Compare compare_;
  std::vector<Node> nodes_;
  std::vector<int32_t> table_;  // bucket heads
  std::vector<char> tree_;      // whether the bucket is a tree bin
  int64_t threshold_ = 0;
  size_t size_ = 0;
};

// How a map is filled from a sequence of entries (keys may repeat; the last value always wins, the first
// occurrence of a key keeps its place).
enum class MapFill {
  kMerge,   // HashMap filled by Collectors.toMap(k, v, merge): HashMap.merge
  kPut,     // HashMap filled by put (or putIfAbsent: Collectors.toMap(k, v), which throws on a duplicate in Java)
  kSorted,  // TreeMap: sorted by compareTo
};

// The class of the map's keys: decides hashCode and compareTo.
enum class KeyClass {
  kString,    // java.lang.String decoded from UTF-8 (UTF-16 hash and order)
  kAvroUtf8,  // org.apache.avro.util.Utf8 (hash over signed bytes, unsigned byte order)
};

struct OrderedEntry {
  uint32_t key;    // index of the key's first occurrence
  uint32_t value;  // index of the entry whose value wins
};

// Scratch storage for java_map_order, reused across calls (one per thread / encoder).
struct MapOrderScratch {
  JavaHashMapOrder map;
  std::vector<uint32_t> order;
  std::vector<int32_t> hashes;
  std::vector<uint32_t> winner;
};

// The iteration order of a Java map filled from `keys` in sequence: `out` (cleared first) gets one entry per
// distinct key. `initial_capacity` as for JavaHashMapOrder.
void java_map_order(std::span<const std::string_view> keys, MapFill fill, KeyClass key_class, int initial_capacity,
                    MapOrderScratch& scratch, std::vector<OrderedEntry>& out);

// HashMap.hash: h ^ (h >>> 16).
inline int32_t java_spread_hash(int32_t h) {
  const auto u = static_cast<uint32_t>(h);
  return static_cast<int32_t>(u ^ (u >> 16));
}

}  // namespace pk::formats
