#include "shard_store.h"

#include <algorithm>
#include <charconv>
#include <chrono>

#include <fmt/format.h>

#include "common/base64.h"
#include "kinesis/request_json.h"

namespace pk::bench {

using kinesis::HashKey;

ShardStore::ShardStore(int shards) : shards_(static_cast<size_t>(shards)) {
  const kinesis::uint128 step = HashKey::max().value() / static_cast<unsigned>(shards);
  for (int i = 0; i < shards; ++i) {
    starts_.push_back(HashKey(step * static_cast<unsigned>(i)));
    ends_.push_back(i + 1 == shards ? HashKey::max() : HashKey(step * static_cast<unsigned>(i + 1) - 1));
    ids_.push_back(fmt::format("shardId-{:012}", i));
  }
}

size_t ShardStore::shard_of(HashKey key) const {
  size_t lo = 0, hi = starts_.size();
  while (hi - lo > 1) {
    const size_t mid = (lo + hi) / 2;
    if (starts_[mid] <= key)
      lo = mid;
    else
      hi = mid;
  }
  return lo;
}

size_t ShardStore::find_shard(std::string_view id) const {
  return static_cast<size_t>(std::find(ids_.begin(), ids_.end(), id) - ids_.begin());
}

size_t ShardStore::append(std::string_view partition_key, std::string_view data, kinesis::Timestamp arrival) {
  const size_t shard = shard_of(HashKey::of_partition_key(partition_key));
  auto& records = shards_[shard];
  std::string encoded(base64_encoded_size(data.size()), '\0');
  base64_encode_to(data, encoded.data());
  const uint64_t sequence = kBase + shard * kShardSpan + records.size() + 1;
  records.push_back(StoredRecord{
      arrival.time_since_epoch().count(),
      fmt::format(R"({{"SequenceNumber":"{}","ApproximateArrivalTimestamp":{},"Data":"{}","PartitionKey":"{}",)"
                  R"("EncryptionType":"NONE"}})",
                  sequence, kinesis::epoch_seconds_text(arrival), encoded, partition_key)});
  ++total_;
  if (listener_) listener_(shard);
  return shard;
}

std::string ShardStore::continuation(size_t shard, size_t position) const {
  return std::to_string(kBase + shard * kShardSpan + position);
}

Result<size_t> ShardStore::position_of(size_t shard, std::string_view type, std::string_view sequence_number,
                                       int64_t timestamp_ms) const {
  const auto& records = shards_[shard];
  if (type == "TRIM_HORIZON") return size_t{0};
  if (type == "LATEST") return records.size();
  if (type == "AT_TIMESTAMP") {
    auto it = std::lower_bound(records.begin(), records.end(), timestamp_ms,
                               [](const StoredRecord& r, int64_t t) { return r.arrival_ms < t; });
    return static_cast<size_t>(it - records.begin());
  }
  if (type != "AT_SEQUENCE_NUMBER" && type != "AFTER_SEQUENCE_NUMBER") {
    return make_error(ErrorCode::kInvalidArgument, fmt::format("unknown starting position type \"{}\"", type));
  }
  uint64_t sequence = 0;
  const auto [end, ec] =
      std::from_chars(sequence_number.data(), sequence_number.data() + sequence_number.size(), sequence);
  const uint64_t base = kBase + shard * kShardSpan;
  if (ec != std::errc() || end != sequence_number.data() + sequence_number.size() || sequence < base ||
      sequence >= base + kShardSpan) {
    return make_error(ErrorCode::kInvalidArgument,
                      fmt::format("sequence number \"{}\" is not one of {}", sequence_number, ids_[shard]));
  }
  // Record i has base + i + 1: AFTER it is i + 1, AT it is i (the base itself is "before the first").
  const size_t after = static_cast<size_t>(sequence - base);
  const size_t position = type == "AFTER_SEQUENCE_NUMBER" ? after : (after == 0 ? 0 : after - 1);
  return std::min(position, records.size());
}

int64_t ShardStore::millis_behind(size_t shard, size_t position) const {
  const auto& records = shards_[shard];
  if (position >= records.size()) return 0;
  const int64_t now =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
  return std::max<int64_t>(0, now - records[position].arrival_ms);
}

size_t ShardStore::append_json(size_t shard, size_t position, size_t max_records, size_t max_bytes,
                               std::string& out) const {
  const auto& records = shards_[shard];
  const size_t start_bytes = out.size();
  size_t i = position;
  for (; i < records.size() && i - position < max_records && out.size() - start_bytes < max_bytes; ++i) {
    if (i != position) out += ',';
    out += records[i].json;
  }
  return i;
}

}  // namespace pk::bench
