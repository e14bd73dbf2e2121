#include "formats/java_map_order.h"

#include <algorithm>
#include <bit>
#include <cstring>

#include "formats/java_string.h"

namespace pk::formats {
namespace {

constexpr uint32_t kDefaultCapacity = 16;
constexpr uint32_t kMaximumCapacity = 1u << 30;
constexpr int kTreeifyThreshold = 8;
constexpr int kUntreeifyThreshold = 6;
constexpr uint32_t kMinTreeifyCapacity = 64;

// HashMap.tableSizeFor.
uint32_t table_size_for(int cap) {
  if (cap <= 1) return 1;
  const uint32_t n = std::bit_ceil(static_cast<uint32_t>(cap));
  return std::min(n, kMaximumCapacity);
}

}  // namespace

void JavaHashMapOrder::reset(Compare compare, int initial_capacity) {
  compare_ = std::move(compare);
  nodes_.clear();
  table_.clear();
  tree_.clear();
  size_ = 0;
  threshold_ = initial_capacity >= 0 ? table_size_for(std::min<int>(initial_capacity, kMaximumCapacity)) : 0;
}

int32_t JavaHashMapOrder::new_node(int32_t hash, uint32_t key, int32_t next) {
  Node n;
  n.hash = hash;
  n.key = key;
  n.next = next;
  nodes_.push_back(n);
  return static_cast<int32_t>(nodes_.size() - 1);
}

void JavaHashMapOrder::resize() {
  const auto old_cap = static_cast<uint32_t>(table_.size());
  const int64_t old_thr = threshold_;
  uint32_t new_cap = 0;
  int64_t new_thr = 0;
  if (old_cap > 0) {
    if (old_cap >= kMaximumCapacity) {
      threshold_ = INT32_MAX;
      return;
    }
    new_cap = old_cap << 1;
    if (new_cap < kMaximumCapacity && old_cap >= kDefaultCapacity) new_thr = old_thr << 1;
  } else if (old_thr > 0) {
    new_cap = static_cast<uint32_t>(old_thr);
  } else {
    new_cap = kDefaultCapacity;
    new_thr = 12;
  }
  if (new_thr == 0) {
    const float ft = static_cast<float>(new_cap) * 0.75f;
    new_thr = (new_cap < kMaximumCapacity && ft < static_cast<float>(kMaximumCapacity)) ? static_cast<int64_t>(ft)
                                                                                        : INT32_MAX;
  }
  threshold_ = new_thr;
  std::vector<int32_t> old_table(new_cap, -1);
  std::vector<char> old_tree(new_cap, 0);
  old_table.swap(table_);
  old_tree.swap(tree_);
  for (uint32_t j = 0; j < old_cap; ++j) {
    int32_t e = old_table[j];
    if (e < 0) continue;
    if (nodes_[e].next < 0) {
      table_[static_cast<uint32_t>(nodes_[e].hash) & (new_cap - 1)] = e;  // a lone node is never a tree bin
    } else if (old_tree[j]) {
      split(j, old_cap, e);
    } else {
      const auto [lo, hi] = split_chain(e, old_cap);
      table_[j] = lo.head;
      table_[j + old_cap] = hi.head;
    }
  }
}

// Splits the bucket list from `head` by the hash bit `bit` into the nodes that stay (lo) and those that move up by
// `bit` (hi), each in its old order, relinked (next and prev) as lists of their own.
std::pair<JavaHashMapOrder::Chain, JavaHashMapOrder::Chain> JavaHashMapOrder::split_chain(int32_t head, uint32_t bit) {
  Chain lo, hi;
  for (int32_t e = head, next; e >= 0; e = next) {
    next = nodes_[e].next;
    Chain& to = (static_cast<uint32_t>(nodes_[e].hash) & bit) == 0 ? lo : hi;
    nodes_[e].next = -1;
    nodes_[e].prev = to.tail;
    if (to.tail < 0) {
      to.head = e;
    } else {
      nodes_[to.tail].next = e;
    }
    to.tail = e;
    ++to.count;
  }
  return {lo, hi};
}

// TreeNode.split of the old tree bin `index` (list from `head`) into slots index and index + bit of the new table.
void JavaHashMapOrder::split(uint32_t index, uint32_t bit, int32_t head) {
  const auto [lo, hi] = split_chain(head, bit);
  auto place = [&](const Chain& half, const Chain& other, uint32_t slot) {
    if (half.head < 0) return;
    table_[slot] = half.head;
    if (half.count > kUntreeifyThreshold) {
      tree_[slot] = 1;
      if (other.head >= 0) treeify(slot, half.head);
    }  // else untreeified: the list order stays
  };
  place(lo, hi, index);
  place(hi, lo, index + bit);
}

void JavaHashMapOrder::treeify_bin(int32_t hash) {
  const auto n = static_cast<uint32_t>(table_.size());
  if (n < kMinTreeifyCapacity) {
    resize();
    return;
  }
  const uint32_t index = static_cast<uint32_t>(hash) & (n - 1);
  int32_t e = table_[index];
  if (e < 0) return;
  int32_t tl = -1;
  for (; e >= 0; e = nodes_[e].next) {
    nodes_[e].prev = tl;
    tl = e;
  }
  tree_[index] = 1;
  treeify(index, table_[index]);
}

int JavaHashMapOrder::tree_dir(int32_t hash, uint32_t key, const Node& p) const {
  if (p.hash > hash) return -1;
  if (p.hash < hash) return 1;
  // Equal hashes: String and Utf8 are Comparable to themselves; distinct keys never compare equal, so
  // tieBreakOrder (identity hash codes) is never reached.
  const int c = compare_(key, p.key);
  return c == 0 ? -1 : c;
}

void JavaHashMapOrder::treeify(uint32_t index, int32_t head) {
  int32_t root = -1;
  for (int32_t x = head, next; x >= 0; x = next) {
    next = nodes_[x].next;
    nodes_[x].left = nodes_[x].right = -1;
    if (root < 0) {
      nodes_[x].parent = -1;
      nodes_[x].red = false;
      root = x;
      continue;
    }
    for (int32_t p = root;;) {
      const int dir = tree_dir(nodes_[x].hash, nodes_[x].key, nodes_[p]);
      const int32_t xp = p;
      p = dir <= 0 ? nodes_[p].left : nodes_[p].right;
      if (p < 0) {
        nodes_[x].parent = xp;
        if (dir <= 0) {
          nodes_[xp].left = x;
        } else {
          nodes_[xp].right = x;
        }
        root = balance_insertion(root, x);
        break;
      }
    }
  }
  move_root_to_front(index, root);
}

int32_t JavaHashMapOrder::tree_root(int32_t node) const {
  while (nodes_[node].parent >= 0) node = nodes_[node].parent;
  return node;
}

void JavaHashMapOrder::move_root_to_front(uint32_t index, int32_t root) {
  if (root < 0) return;
  const int32_t first = table_[index];
  if (root == first) return;
  table_[index] = root;
  const int32_t rp = nodes_[root].prev;
  const int32_t rn = nodes_[root].next;
  if (rn >= 0) nodes_[rn].prev = rp;
  if (rp >= 0) nodes_[rp].next = rn;
  if (first >= 0) nodes_[first].prev = root;
  nodes_[root].next = first;
  nodes_[root].prev = -1;
}

int32_t& JavaHashMapOrder::child(int32_t node, Side side) {
  return side == Side::kLeft ? nodes_[node].left : nodes_[node].right;
}

// HashMap.rotateLeft (toward kLeft: p's right child takes its place) and its mirror image rotateRight.
int32_t JavaHashMapOrder::rotate(int32_t root, int32_t p, Side toward) {
  const Side away = opposite(toward);
  if (p < 0) return root;
  const int32_t r = child(p, away);
  if (r < 0) return root;
  const int32_t inner = child(r, toward);
  child(p, away) = inner;
  if (inner >= 0) nodes_[inner].parent = p;
  const int32_t pp = nodes_[p].parent;
  nodes_[r].parent = pp;
  if (pp < 0) {
    root = r;
    nodes_[r].red = false;
  } else if (child(pp, toward) == p) {
    child(pp, toward) = r;
  } else {
    child(pp, away) = r;
  }
  child(r, toward) = p;
  nodes_[p].parent = r;
  return root;
}

int32_t JavaHashMapOrder::balance_insertion(int32_t root, int32_t x) {
  nodes_[x].red = true;
  for (;;) {
    int32_t xp = nodes_[x].parent;
    if (xp < 0) {
      nodes_[x].red = false;
      return x;
    }
    int32_t xpp = nodes_[xp].parent;
    if (!nodes_[xp].red || xpp < 0) return root;
    // HashMap's two mirror-image cases: the parent is its parent's left child (side kLeft) or its right one.
    const Side side = xp == nodes_[xpp].left ? Side::kLeft : Side::kRight;
    const int32_t uncle = child(xpp, opposite(side));
    if (uncle >= 0 && nodes_[uncle].red) {
      nodes_[uncle].red = false;
      nodes_[xp].red = false;
      nodes_[xpp].red = true;
      x = xpp;
      continue;
    }
    if (x == child(xp, opposite(side))) {
      x = xp;
      root = rotate(root, x, side);
      xp = nodes_[x].parent;
      xpp = xp < 0 ? -1 : nodes_[xp].parent;
    }
    if (xp >= 0) {
      nodes_[xp].red = false;
      if (xpp >= 0) {
        nodes_[xpp].red = true;
        root = rotate(root, xpp, opposite(side));
      }
    }
  }
}

int32_t JavaHashMapOrder::find_in_tree(int32_t root, int32_t hash, uint32_t key) const {
  for (int32_t p = root; p >= 0;) {
    const Node& n = nodes_[p];
    if (n.hash > hash) {
      p = n.left;
    } else if (n.hash < hash) {
      p = n.right;
    } else {
      const int c = compare_(key, n.key);
      if (c == 0) return p;
      p = c < 0 ? n.left : n.right;
    }
  }
  return -1;
}

void JavaHashMapOrder::put_tree_val(uint32_t index, int32_t hash, uint32_t key) {
  const int32_t root = tree_root(table_[index]);
  for (int32_t p = root;;) {
    const int dir = tree_dir(hash, key, nodes_[p]);
    const int32_t xp = p;
    p = dir <= 0 ? nodes_[p].left : nodes_[p].right;
    if (p < 0) {
      const int32_t xpn = nodes_[xp].next;
      const int32_t x = new_node(hash, key, xpn);
      if (dir <= 0) {
        nodes_[xp].left = x;
      } else {
        nodes_[xp].right = x;
      }
      nodes_[xp].next = x;
      nodes_[x].parent = xp;
      nodes_[x].prev = xp;
      if (xpn >= 0) nodes_[xpn].prev = x;
      move_root_to_front(index, balance_insertion(root, x));
      return;
    }
  }
}

uint32_t JavaHashMapOrder::put(uint32_t key, int32_t key_hash_code) {
  const int32_t hash = java_spread_hash(key_hash_code);
  if (table_.empty()) resize();
  auto n = static_cast<uint32_t>(table_.size());
  const uint32_t i = static_cast<uint32_t>(hash) & (n - 1);
  int32_t p = table_[i];
  if (p < 0) {
    table_[i] = new_node(hash, key, -1);
  } else if (tree_[i]) {
    const int32_t found = find_in_tree(tree_root(p), hash, key);
    if (found >= 0) return nodes_[found].key;
    put_tree_val(i, hash, key);
  } else {
    for (int bin_count = 0;; ++bin_count) {
      if (nodes_[p].hash == hash && compare_(key, nodes_[p].key) == 0) return nodes_[p].key;
      const int32_t e = nodes_[p].next;
      if (e < 0) {
        const int32_t x = new_node(hash, key, -1);
        nodes_[p].next = x;
        if (bin_count >= kTreeifyThreshold - 1) treeify_bin(hash);
        break;
      }
      p = e;
    }
  }
  if (static_cast<int64_t>(++size_) > threshold_) resize();
  return key;
}

uint32_t JavaHashMapOrder::merge(uint32_t key, int32_t key_hash_code) {
  const int32_t hash = java_spread_hash(key_hash_code);
  if (static_cast<int64_t>(size_) > threshold_ || table_.empty()) resize();
  const auto n = static_cast<uint32_t>(table_.size());
  const uint32_t i = static_cast<uint32_t>(hash) & (n - 1);
  const int32_t first = table_[i];
  int bin_count = 0;
  if (first >= 0) {
    if (tree_[i]) {
      const int32_t found = find_in_tree(tree_root(first), hash, key);
      if (found >= 0) return nodes_[found].key;
      put_tree_val(i, hash, key);
      ++size_;
      return key;
    }
    for (int32_t e = first; e >= 0; e = nodes_[e].next) {
      if (nodes_[e].hash == hash && compare_(key, nodes_[e].key) == 0) return nodes_[e].key;
      ++bin_count;
    }
  }
  table_[i] = new_node(hash, key, first);
  if (bin_count >= kTreeifyThreshold - 1) treeify_bin(hash);
  ++size_;
  return key;
}

void JavaHashMapOrder::order(std::vector<uint32_t>& out) const {
  for (int32_t head : table_) {
    for (int32_t e = head; e >= 0; e = nodes_[e].next) out.push_back(nodes_[e].key);
  }
}

namespace {

int32_t hash_of(std::string_view key, KeyClass key_class) {
  return key_class == KeyClass::kString ? java_string_hash(key) : avro_utf8_hash(key);
}

// Utf8.compareTo: unsigned byte order, then length.
int compare_bytes(std::string_view a, std::string_view b) {
  const size_t n = std::min(a.size(), b.size());
  const int c = n == 0 ? 0 : std::memcmp(a.data(), b.data(), n);
  if (c != 0) return c < 0 ? -1 : 1;
  if (a.size() == b.size()) return 0;
  return a.size() < b.size() ? -1 : 1;
}

int compare_keys(std::string_view a, std::string_view b, KeyClass key_class) {
  return key_class == KeyClass::kString ? java_compare(a, b) : compare_bytes(a, b);
}

}  // namespace

void java_map_order(std::span<const std::string_view> keys, MapFill fill, KeyClass key_class, int initial_capacity,
                    MapOrderScratch& scratch, std::vector<OrderedEntry>& out) {
  out.clear();
  const size_t n = keys.size();
  if (n == 0) return;
  auto& winner = scratch.winner;  // per key index: the index whose value wins (for the first occurrence)
  winner.assign(n, 0);
  auto& order = scratch.order;
  order.clear();
  if (fill == MapFill::kSorted) {
    for (uint32_t i = 0; i < n; ++i) order.push_back(i);
    std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
      const int c = compare_keys(keys[a], keys[b], key_class);
      return c < 0 || (c == 0 && a < b);
    });
    // Equal keys are adjacent in input order: the first keeps the place, the last gives the value.
    for (size_t i = 0; i < order.size();) {
      size_t j = i + 1;
      while (j < order.size() && compare_keys(keys[order[i]], keys[order[j]], key_class) == 0) ++j;
      out.push_back({order[i], order[j - 1]});
      i = j;
    }
    return;
  }
  auto& hashes = scratch.hashes;
  hashes.resize(n);
  for (size_t i = 0; i < n; ++i) hashes[i] = hash_of(keys[i], key_class);
  const bool default_table = initial_capacity < 0 || (initial_capacity > 8 && initial_capacity <= 16);
  if (n < 8 && default_table) {
    // At most 7 keys in 16 buckets: no resize, no tree bin. Buckets in index order; within a bucket, put appends
    // and merge prepends.
    for (uint32_t i = 0; i < n; ++i) {
      bool seen = false;
      for (uint32_t j = 0; j < i && !seen; ++j) {
        if (hashes[j] == hashes[i] && compare_keys(keys[j], keys[i], key_class) == 0) {
          winner[j] = i;
          seen = true;
        }
      }
      if (!seen) {
        winner[i] = i;
        order.push_back(i);
      }
    }
    auto bucket = [&](uint32_t i) { return static_cast<uint32_t>(java_spread_hash(hashes[i])) & 15u; };
    const bool prepend = fill == MapFill::kMerge;
    auto before = [&](uint32_t a, uint32_t b) {
      return bucket(a) < bucket(b) || (bucket(a) == bucket(b) && (prepend ? a > b : a < b));
    };
    for (size_t i = 1; i < order.size(); ++i) {  // insertion sort: a handful of keys, no allocation
      const uint32_t v = order[i];
      size_t j = i;
      for (; j > 0 && before(v, order[j - 1]); --j) order[j] = order[j - 1];
      order[j] = v;
    }
    for (uint32_t k : order) out.push_back({k, winner[k]});
    return;
  }
  scratch.map.reset([&](uint32_t a, uint32_t b) { return compare_keys(keys[a], keys[b], key_class); },
                    initial_capacity);
  for (uint32_t i = 0; i < n; ++i) {
    const uint32_t holder = fill == MapFill::kPut ? scratch.map.put(i, hashes[i]) : scratch.map.merge(i, hashes[i]);
    winner[holder] = i;
  }
  scratch.map.order(order);
  for (uint32_t k : order) out.push_back({k, winner[k]});
}

}  // namespace pk::formats
