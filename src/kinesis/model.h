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

// What the records of one batch view: the response body and one buffer of decoded data (the fast reader), or the
// texts the general reader copied out.
class RecordStorage : public std::enable_shared_from_this<RecordStorage> {
 public:
  RecordStorage() = default;
  RecordStorage(const RecordStorage&) = delete;
  RecordStorage& operator=(const RecordStorage&) = delete;
  virtual ~RecordStorage() = default;
};

// One data record as GetRecords and SubscribeToShard return it (Data already base64-decoded), as it sits in its
// RecordBatch: its three texts are views into the batch's storage, which it points to without counting. So reading a
// batch allocates nothing per record, and building and dropping one costs no atomic operation per record (a
// shared_ptr per record cost a tenth of the decoding time at 100 B records). Like a string_view, a RecordView is
// valid while its batch lives; to keep a record longer, make a Record of it.
struct RecordView {
  std::string_view sequence_number;  // decimal digits, checked by the parser
  std::string_view partition_key;
  std::string_view data;
  Timestamp approximate_arrival{};  // the epoch when absent
  EncryptionType encryption_type = EncryptionType::kNone;
  const RecordStorage* storage = nullptr;  // what the views point into (not counted)

  // The sequence number as a value of its own (for checkpoints and comparisons).
  SequenceNumber sequence() const;
};

// A record that keeps what it views alive (a counted reference to its batch's storage): valid after its batch is
// gone. Made from a RecordView implicitly, so `std::vector<Record> kept(batch.begin(), batch.end())` is safe.
struct Record : RecordView {
  Record() = default;
  Record(const RecordView& view);  // NOLINT: implicit by design

  std::shared_ptr<const RecordStorage> owner;
};

// The records of one GetRecords response or SubscribeToShard event and the storage they view, kept together so that
// a view cannot be separated from its storage: read-only access, and a Record to keep one longer.
class RecordBatch {
 public:
  RecordBatch() = default;
  // `records` view `storage` (and point to it); it may be null when there are none.
  RecordBatch(std::vector<RecordView> records, std::shared_ptr<const RecordStorage> storage)
      : records_(std::move(records)), storage_(std::move(storage)) {}

  size_t size() const { return records_.size(); }
  bool empty() const { return records_.empty(); }
  const RecordView& operator[](size_t i) const { return records_[i]; }
  const RecordView& front() const { return records_.front(); }
  const RecordView& back() const { return records_.back(); }
  std::vector<RecordView>::const_iterator begin() const { return records_.begin(); }
  std::vector<RecordView>::const_iterator end() const { return records_.end(); }
  const std::shared_ptr<const RecordStorage>& storage() const { return storage_; }

 private:
  std::vector<RecordView> records_;
  std::shared_ptr<const RecordStorage> storage_;
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
