#include "kpl/key_table.h"

#include <algorithm>
#include <cassert>
#include <functional>

#include "kpl/format.h"

namespace pk::kpl {

uint64_t KeyTable::hash(std::string_view key) {
  return std::hash<std::string_view>{}(key);
}

uint32_t KeyTable::find(std::string_view key, uint64_t key_hash) const {
  if (slots_.empty()) return kNotFound;
  const size_t mask = slots_.size() - 1;
  const auto bits = static_cast<uint32_t>(key_hash >> 32);
  for (size_t i = key_hash & mask;; i = (i + 1) & mask) {
    const Slot& slot = slots_[i];
    if (slot.generation != generation_) return kNotFound;
    if (slot.hash_bits == bits && key_at(slot.index) == key) return slot.index;
  }
}

uint32_t KeyTable::insert(std::string_view key, uint64_t key_hash) {
  if ((entries_.size() + 1) * 2 > slots_.size()) grow();
  const auto index = static_cast<uint32_t>(entries_.size());
  char header[1 + 10];
  header[0] = static_cast<char>(field_tag_);
  char* header_end = wire::write_varint(header + 1, key.size());
  bytes_.append(header, header_end);
  assert(bytes_.size() + key.size() <= UINT32_MAX);
  entries_.push_back(Entry{static_cast<uint32_t>(bytes_.size()), static_cast<uint32_t>(key.size())});
  bytes_.append(key);
  const size_t mask = slots_.size() - 1;
  size_t i = key_hash & mask;
  while (slots_[i].generation == generation_) i = (i + 1) & mask;
  slots_[i] = Slot{generation_, static_cast<uint32_t>(key_hash >> 32), index};
  last_ = index;
  return index;
}

void KeyTable::grow() {
  const size_t size = std::max<size_t>(64, slots_.size() * 2);
  slots_.assign(size, Slot{});
  generation_ = 1;
  const size_t mask = size - 1;
  for (uint32_t index = 0; index < entries_.size(); ++index) {
    const std::string_view key = key_at(index);
    const uint64_t key_hash = hash(key);
    size_t i = key_hash & mask;
    while (slots_[i].generation == generation_) i = (i + 1) & mask;
    slots_[i] = Slot{generation_, static_cast<uint32_t>(key_hash >> 32), index};
  }
}

void KeyTable::clear() {
  bytes_.clear();
  entries_.clear();
  last_ = kNotFound;
  if (++generation_ == 0) {  // wrapped: old slots could look current again
    std::fill(slots_.begin(), slots_.end(), Slot{});
    generation_ = 1;
  }
}

void KeyTable::release() {
  clear();
  std::string().swap(bytes_);
  std::vector<Entry>().swap(entries_);
  std::vector<Slot>().swap(slots_);
}

}  // namespace pk::kpl
