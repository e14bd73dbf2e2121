#pragma once
// KeyTable: one string table of an aggregate being built (the partition keys or the explicit hash keys): the
// table's encoded protobuf field bytes, in first-seen order, and an index from key to table position, so that each
// distinct key is written once. Buffers and the index keep their capacity across aggregates (clear() is O(1)), so
// building aggregates allocates nothing once warm. Owned by one Aggregator; not thread-safe.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace pk::kpl {

class KeyTable {
 public:
  static constexpr uint32_t kNotFound = UINT32_MAX;

  explicit KeyTable(uint8_t field_tag) : field_tag_(field_tag) {}

  static uint64_t hash(std::string_view key);
  // The table position of `key` (whose hash is `key_hash`), or kNotFound.
  uint32_t find(std::string_view key, uint64_t key_hash) const;
  // The position of the key looked up or added last when it equals `key` (no hashing), else kNotFound.
  uint32_t find_last(std::string_view key) const {
    return last_ != kNotFound && key_at(last_) == key ? last_ : kNotFound;
  }
  // Appends `key`, which find() does not know, and returns its position.
  uint32_t insert(std::string_view key, uint64_t key_hash);
  // Notes `index` as the last key used (for find_last).
  void touch(uint32_t index) { last_ = index; }

  size_t count() const { return entries_.size(); }
  std::string_view key_at(uint32_t index) const {
    return std::string_view(bytes_).substr(entries_[index].offset, entries_[index].size);
  }
  // The encoded table: for each key, tag, varint length, key bytes.
  std::string_view bytes() const { return bytes_; }

  // Forgets every key; keeps the capacity.
  void clear();
  // Forgets every key and returns the memory.
  void release();

 private:
  struct Entry {
    uint32_t offset;  // of the key's bytes in bytes_
    uint32_t size;
  };
  // An open-addressing slot; it is empty unless its generation is the current one.
  struct Slot {
    uint32_t generation = 0;
    uint32_t hash_bits = 0;
    uint32_t index = 0;
  };
  void grow();

  uint8_t field_tag_;
  std::string bytes_;
  std::vector<Entry> entries_;
  std::vector<Slot> slots_;  // size 0 or a power of two, at most half full
  uint32_t generation_ = 1;
  uint32_t last_ = kNotFound;
};

}  // namespace pk::kpl
