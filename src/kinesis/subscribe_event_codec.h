#pragma once
// The payloads inside a SubscribeToShard event stream, as pure functions: `SubscribeToShardEvent` JSON (records
// with base64 Data decoded, continuation sequence number, lag, child shards at shard end) and the
// `{"message"}` body of exception events. Framing (the event-stream codec) is the aws module's.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "kinesis/model.h"

namespace pk::kinesis {

struct SubscribeToShardEvent {
  RecordBatch records;  // may be empty: such an event still advances the continuation sequence number
  std::optional<SequenceNumber> continuation_sequence_number;  // none at shard end
  int64_t millis_behind_latest = 0;
  std::vector<ChildShard> child_shards;  // set at shard end

  bool at_shard_end() const { return !continuation_sequence_number.has_value(); }
};

// Reads the common shape with the fast scanner (record_batch_scan.h), anything else with the general reader. The
// record batch keeps `payload` (the scanner's views point into it), so pass it by move.
Result<SubscribeToShardEvent> parse_subscribe_to_shard_event(std::string payload);
// The general reader alone: the reference the fast scanner is compared with.
Result<SubscribeToShardEvent> parse_subscribe_to_shard_event_general(std::string_view payload);

// The message of an exception event's payload (`{"message": "..."}`, any capitalisation of the key). A payload
// that is not such an object gives its first bytes, so that the caller always has something to report.
std::string parse_exception_message(std::string_view payload);

}  // namespace pk::kinesis
