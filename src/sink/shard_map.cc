#include "sink/shard_map.h"

#include <algorithm>

namespace pk::sink {

std::shared_ptr<const ShardMap> ShardMap::from_shards(const std::vector<kinesis::Shard>& shards, uint64_t version) {
  auto map = std::make_shared<ShardMap>();
  map->version_ = version;
  for (const auto& s : shards) {
    if (s.is_open()) map->shards_.push_back(OpenShard{s.shard_id, s.hash_key_range});
  }
  std::sort(map->shards_.begin(), map->shards_.end(),
            [](const OpenShard& a, const OpenShard& b) { return a.range.starting < b.range.starting; });
  return map;
}

std::optional<size_t> ShardMap::find(kinesis::HashKey key) const {
  // The last shard starting at or before `key`.
  auto after = std::upper_bound(shards_.begin(), shards_.end(), key,
                                [](kinesis::HashKey k, const OpenShard& s) { return k < s.range.starting; });
  if (after == shards_.begin()) return std::nullopt;
  const auto& candidate = *(after - 1);
  if (!candidate.range.contains(key)) return std::nullopt;
  return static_cast<size_t>(after - 1 - shards_.begin());
}

std::optional<size_t> ShardMap::index_of(const kinesis::ShardId& id) const {
  for (size_t i = 0; i < shards_.size(); ++i) {
    if (shards_[i].id == id) return i;
  }
  return std::nullopt;
}

bool ShardMap::same_shards(const ShardMap& other) const {
  return std::equal(shards_.begin(), shards_.end(), other.shards_.begin(), other.shards_.end(),
                    [](const OpenShard& a, const OpenShard& b) { return a.id == b.id && a.range == b.range; });
}

}  // namespace pk::sink
