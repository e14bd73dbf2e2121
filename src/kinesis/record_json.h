#pragma once
// JSON readers for the parts that GetRecords responses and SubscribeToShard events share: records (Data
// base64-decoded) and child shards. Used by get_records_codec and subscribe_event_codec.

#include <cstdint>
#include <string_view>
#include <vector>

#include "kinesis/json_fields.h"
#include "kinesis/model.h"

namespace pk::kinesis::json {

// The members of a record that the readers keep (the general one here and the fast scanner).
enum class RecordMember { kOther, kData, kSequenceNumber, kPartitionKey, kArrival, kEncryptionType };
RecordMember record_member_of(std::string_view key);

// A record as the general reader reads it, owning its texts (simdjson's strings live only as long as the
// document): share_records turns a batch of them into Records.
struct OwnedRecord {
  SequenceNumber sequence_number;
  std::string partition_key;
  std::string data;
  Timestamp approximate_arrival{};
  EncryptionType encryption_type = EncryptionType::kNone;
};
// Records viewing the texts of `owned`, which their batch keeps.
RecordBatch share_records(std::vector<OwnedRecord> owned);

// Appends the records of a `Records` array (null = none) to `out`.
Status read_records(value v, std::string_view field, std::vector<OwnedRecord>& out);
// Reads a `ChildShards` array (null = none) into `out`.
Status read_child_shards(value v, std::string_view field, std::vector<ChildShard>& out);
// The members that GetRecords responses and SubscribeToShard events share.
struct BatchMembers {
  std::vector<OwnedRecord>& records;
  int64_t& millis_behind_latest;
  std::vector<ChildShard>& child_shards;
};
// Reads `key` into `batch` when it is Records, MillisBehindLatest or ChildShards; ignores other keys.
Status read_batch_member(std::string_view key, value v, BatchMembers batch);

// Reads `{StartingHashKey, EndingHashKey}`.
Result<HashKeyRange> read_hash_key_range(value v, std::string_view field);

}  // namespace pk::kinesis::json
