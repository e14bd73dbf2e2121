#pragma once
// ShardStore: what the fake stream holds for reading, per shard: N shards of equal hash ranges (all open), each an
// append-only list of Kinesis records kept as the JSON text GetRecords and SubscribeToShard events splice in.
// Sequence numbers are arithmetic (shard s, position i: kBase + s * kShardSpan + i + 1), so a starting position
// maps to a position without a search; the shard's base itself is the "nothing read yet" continuation.
// Owned by main; used on the fake's one loop only.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "kinesis/hash_key.h"
#include "kinesis/model.h"

namespace pk::bench {

struct StoredRecord {
  int64_t arrival_ms = 0;
  std::string json;  // {"SequenceNumber":...,"Data":...}
};

class ShardStore {
 public:
  static constexpr uint64_t kBase = 4'900'000'000'000'000'000ull;
  static constexpr uint64_t kShardSpan = 10'000'000'000'000ull;

  explicit ShardStore(int shards);

  size_t shard_count() const { return ids_.size(); }
  const std::string& shard_id(size_t shard) const { return ids_[shard]; }
  const kinesis::HashKey& starting_hash_key(size_t shard) const { return starts_[shard]; }
  const kinesis::HashKey& ending_hash_key(size_t shard) const { return ends_[shard]; }
  size_t shard_of(kinesis::HashKey key) const;
  // The index of a shard id; shard_count() when there is none.
  size_t find_shard(std::string_view id) const;

  // Appends one Kinesis record (a user record or a KPL aggregate) to the shard of `partition_key`, arrived at
  // `arrival`; calls the listener. Returns the shard.
  size_t append(std::string_view partition_key, std::string_view data, kinesis::Timestamp arrival);
  // Called after each append with the shard that grew (the HTTP/2 side wakes its subscriptions).
  void on_append(std::function<void(size_t shard)> listener) { listener_ = std::move(listener); }

  size_t size(size_t shard) const { return shards_[shard].size(); }
  uint64_t records() const { return total_; }
  // "Everything before `position` has been read": the sequence number of the record before it, or the base.
  std::string continuation(size_t shard, size_t position) const;
  // The position a GetShardIterator / SubscribeToShard starting position names: TRIM_HORIZON, LATEST,
  // AT_/AFTER_SEQUENCE_NUMBER (of this shard), AT_TIMESTAMP (first record that arrived at or after it).
  // kInvalidArgument names a bad type or a sequence number of another shard.
  Result<size_t> position_of(size_t shard, std::string_view type, std::string_view sequence_number,
                             int64_t timestamp_ms) const;
  // How far `position` lags the newest record: now minus the arrival of the record at `position`; 0 at the end.
  int64_t millis_behind(size_t shard, size_t position) const;
  // Appends the JSON of the records from `position` (at most max_records, stopping once max_bytes are reached),
  // comma separated, to `out`; returns the position after the last one.
  size_t append_json(size_t shard, size_t position, size_t max_records, size_t max_bytes, std::string& out) const;

 private:
  std::vector<std::string> ids_;
  std::vector<kinesis::HashKey> starts_, ends_;
  std::vector<std::vector<StoredRecord>> shards_;
  std::function<void(size_t)> listener_;
  uint64_t total_ = 0;
};

}  // namespace pk::bench
