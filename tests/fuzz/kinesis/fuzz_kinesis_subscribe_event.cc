// SubscribeToShard event payloads (and exception payloads, and the other Kinesis responses that share the JSON
// readers) on arbitrary bytes; whenever the fast scanner reads a payload, the general reader reads the same.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "kinesis/consumer_codec.h"
#include "kinesis/list_shards_codec.h"
#include "kinesis/record_batch_scan.h"
#include "kinesis/stream_admin_codec.h"
#include "kinesis/subscribe_event_codec.h"
#include "same_records.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view payload(reinterpret_cast<const char*>(data), size);
  auto event = pk::kinesis::parse_subscribe_to_shard_event(std::string(payload));
  if (event.ok()) {
    for (const auto& record : event->records) {
      if (record.sequence_number.empty()) std::abort();
    }
  }
  pk::kinesis::SubscribeToShardEvent scanned;
  std::string owned(payload);
  if (pk::kinesis::scan_subscribe_to_shard_event(owned, scanned)) {
    auto general = pk::kinesis::parse_subscribe_to_shard_event_general(payload);
    if (!general.ok() || !pk::kinesis::fuzzing::same_records(scanned.records, general->records) ||
        scanned.continuation_sequence_number.has_value() != general->continuation_sequence_number.has_value() ||
        (scanned.continuation_sequence_number &&
         scanned.continuation_sequence_number->str() != general->continuation_sequence_number->str()) ||
        scanned.millis_behind_latest != general->millis_behind_latest || !general->child_shards.empty()) {
      std::abort();
    }
  }
  if (pk::kinesis::parse_exception_message(payload).empty()) std::abort();
  (void)pk::kinesis::parse_list_shards_response(payload);
  (void)pk::kinesis::parse_describe_stream_summary_response(payload);
  (void)pk::kinesis::parse_describe_stream_consumer_response(payload);
  return 0;
}
