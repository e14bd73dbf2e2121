#pragma once
// An immutable snapshot of a stream's open shards, sorted by hash range: which shard a hash key falls in. The
// producer predicts each record's shard with it (MD5 of the partition key -> shard), so that it can aggregate per
// shard, rate-limit per shard and keep per-shard lanes. A refresh builds a new snapshot; holders of the old one keep
// a valid view (shared_ptr<const ShardMap>). Thread-safe because immutable.

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "kinesis/hash_key.h"
#include "kinesis/model.h"

namespace pk::sink {

class ShardMap {
 public:
  // The open shards of `shards` (closed ones, i.e. with an ending sequence number, are left out), sorted by their
  // starting hash key. `version` numbers successive snapshots (the producer notices a change by it).
  static std::shared_ptr<const ShardMap> from_shards(const std::vector<kinesis::Shard>& shards, uint64_t version);

  struct OpenShard {
    kinesis::ShardId id;
    kinesis::HashKeyRange range;
  };

  // The index of the shard whose range holds `key`; nullopt when no open shard does (an empty map, or a gap while
  // the stream is being resharded).
  std::optional<size_t> find(kinesis::HashKey key) const;
  // The index of the shard with this id; nullopt when it is not (or no longer) open.
  std::optional<size_t> index_of(const kinesis::ShardId& id) const;

  const OpenShard& shard(size_t i) const { return shards_[i]; }
  size_t size() const { return shards_.size(); }
  bool empty() const { return shards_.empty(); }
  uint64_t version() const { return version_; }
  // Whether the open shards (ids and ranges) are the same as `other`'s.
  bool same_shards(const ShardMap& other) const;

 private:
  std::vector<OpenShard> shards_;  // sorted by range.starting
  uint64_t version_ = 0;
};

using ShardMapPtr = std::shared_ptr<const ShardMap>;

}  // namespace pk::sink
