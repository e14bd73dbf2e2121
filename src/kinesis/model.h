#pragma once
// The Kinesis data model shared by the API client, the producer and the consumers: strong ids (so that a
// shard id is never passed where a stream name is expected), records, shards and the enums of the API.
// Plain values, no I/O.

#include <chrono>
#include <compare>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kinesis/hash_key.h"
#include "kinesis/sequence_number.h"

namespace pk::kinesis {

// A string id that only compares with ids of the same kind.
template <typename Tag>
class Id {
 public:
  Id() = default;
  explicit Id(std::string value) : value_(std::move(value)) {}
  explicit Id(std::string_view value) : value_(value) {}
  explicit Id(const char* value) : value_(value) {}

  const std::string& str() const { return value_; }
  bool empty() const { return value_.empty(); }

  friend auto operator<=>(const Id&, const Id&) = default;
  friend bool operator==(const Id&, const Id&) = default;

 private:
  std::string value_;
};

using StreamName = Id<struct StreamNameTag>;
using StreamArn = Id<struct StreamArnTag>;
using ShardId = Id<struct ShardIdTag>;
using ConsumerName = Id<struct ConsumerNameTag>;
using ConsumerArn = Id<struct ConsumerArnTag>;

// Which stream a request is about. Requests send StreamARN when it is set, else StreamName.
struct StreamRef {
  StreamName name;
  StreamArn arn;

  static StreamRef named(std::string_view name) { return StreamRef{StreamName(name), {}}; }
  static StreamRef with_arn(std::string_view arn) { return StreamRef{{}, StreamArn(arn)}; }
  // For error messages: the ARN or the name.
  const std::string& display() const { return arn.empty() ? name.str() : arn.str(); }
};

// Milliseconds since the Unix epoch: the precision of every Kinesis timestamp.
using Timestamp = std::chrono::sys_time<std::chrono::milliseconds>;

enum class EncryptionType { kNone, kKms };
std::string_view to_string(EncryptionType type);

// One data record as GetRecords and SubscribeToShard return it (Data already base64-decoded). Its three texts
// are views into the bytes of its batch (the response body and one buffer of decoded data), which the response
// holds in `record_storage`: keep the response, or a copy of that pointer, for as long as its records are used.
// Reading a batch so allocates nothing per record, and a record carries no reference count: a count per record
// cost a tenth of the decoding time at 100 B records (two atomic operations each). `sequence()` gives an owning
// copy of the sequence number for what must outlive the batch (checkpoints).
struct Record {
  std::string_view sequence_number;  // decimal digits, checked by the parser
  std::string_view partition_key;
  std::string_view data;
  Timestamp approximate_arrival{};  // the epoch when absent
  EncryptionType encryption_type = EncryptionType::kNone;

  // The sequence number as a value of its own (for checkpoints and comparisons).
  SequenceNumber sequence() const;
};

struct SequenceNumberRange {
  SequenceNumber starting;
  std::optional<SequenceNumber> ending;  // set once the shard is closed
};

// A shard as ListShards describes it.
struct Shard {
  ShardId shard_id;
  std::optional<ShardId> parent_shard_id;
  std::optional<ShardId> adjacent_parent_shard_id;
  HashKeyRange hash_key_range;
  SequenceNumberRange sequence_number_range;

  bool is_open() const { return !sequence_number_range.ending.has_value(); }
};

// A shard created by resharding, as GetRecords / SubscribeToShard report it when the parent ends.
struct ChildShard {
  ShardId shard_id;
  std::vector<ShardId> parent_shards;
  HashKeyRange hash_key_range;
};

enum class StreamStatus { kCreating, kDeleting, kActive, kUpdating, kUnknown };
std::string_view to_string(StreamStatus status);
StreamStatus stream_status_from(std::string_view text);

enum class ConsumerStatus { kCreating, kDeleting, kActive, kUnknown };
std::string_view to_string(ConsumerStatus status);
ConsumerStatus consumer_status_from(std::string_view text);

enum class ShardIteratorType { kAtSequenceNumber, kAfterSequenceNumber, kTrimHorizon, kLatest, kAtTimestamp };
std::string_view to_string(ShardIteratorType type);

// Where to start reading a shard (GetShardIterator, SubscribeToShard).
struct StartingPosition {
  ShardIteratorType type = ShardIteratorType::kLatest;
  SequenceNumber sequence_number;  // AT_/AFTER_SEQUENCE_NUMBER
  Timestamp timestamp{};           // AT_TIMESTAMP

  static StartingPosition latest() { return {ShardIteratorType::kLatest, {}, {}}; }
  static StartingPosition trim_horizon() { return {ShardIteratorType::kTrimHorizon, {}, {}}; }
  static StartingPosition at(SequenceNumber n) { return {ShardIteratorType::kAtSequenceNumber, std::move(n), {}}; }
  static StartingPosition after(SequenceNumber n) {
    return {ShardIteratorType::kAfterSequenceNumber, std::move(n), {}};
  }
  static StartingPosition at_timestamp(Timestamp t) { return {ShardIteratorType::kAtTimestamp, {}, t}; }
};

enum class ShardFilterType {
  kAtLatest,
  kAtTrimHorizon,
  kFromTrimHorizon,
  kAfterShardId,
  kAtTimestamp,
  kFromTimestamp,
};
std::string_view to_string(ShardFilterType type);

struct ShardFilter {
  ShardFilterType type = ShardFilterType::kAtLatest;
  ShardId shard_id;     // AFTER_SHARD_ID
  Timestamp timestamp;  // AT_TIMESTAMP, FROM_TIMESTAMP
};

}  // namespace pk::kinesis

template <typename Tag>
struct std::hash<pk::kinesis::Id<Tag>> {
  size_t operator()(const pk::kinesis::Id<Tag>& id) const noexcept { return std::hash<std::string>{}(id.str()); }
};
