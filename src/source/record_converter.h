#pragma once
// One Kinesis (sub-)record -> one Pulsar message, as the Java connector's source writes it: the bytes unchanged
// (binary-safe: the Java source decodes them as UTF-8 and corrupts binary data; we do not), the key per
// messageKeyMode (the record's partition key, or the shard id), the properties listed in kinesisRecordProperties,
// and the event time = the arrival time (the Java source sets none). Pure functions.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "kinesis/model.h"
#include "pulsar/client/message.h"

namespace pk::source {

enum class KeyMode { kPartitionKey, kShardId };

// Which `kinesis.*` properties to set (kinesisRecordProperties).
struct RecordProperties {
  bool arrival_timestamp = true;      // kinesis.arrival.timestamp: ISO-8601 instant, as Java's Instant.toString()
  bool encryption_type = true;        // kinesis.encryption.type: NONE or KMS
  bool partition_key = true;          // kinesis.partition.key
  bool sequence_number = true;        // kinesis.sequence.number: the (parent) record's sequence number
  bool shard_id = false;              // kinesis.shard.id
  bool millis_behind_latest = false;  // kinesis.millis.behind.latest

  // From the names of the kinesisRecordProperties list; an unknown name is an error naming it.
  static Result<RecordProperties> from_names(const std::vector<std::string>& names);
};

struct ConverterSettings {
  KeyMode key_mode = KeyMode::kPartitionKey;
  RecordProperties properties;
};

// The record (or one sub-record of an aggregate: its own partition key and data, the parent's sequence number,
// arrival time and encryption type) as a message.
struct RecordParts {
  std::string_view partition_key;
  std::string_view data;
  const kinesis::RecordView* parent = nullptr;
};

void to_message(const ConverterSettings& settings, const RecordParts& record, const kinesis::ShardId& shard,
                int64_t millis_behind_latest, pulsar::OutgoingMessage& out);

// Java's Instant.toString() of a millisecond timestamp: "2024-01-01T00:00:00Z", "2024-01-01T00:00:00.120Z".
std::string instant_text(kinesis::Timestamp t);
// The same, appended to `out` (no allocation beyond out's growth).
void append_instant_text(kinesis::Timestamp t, std::string& out);

}  // namespace pk::source
