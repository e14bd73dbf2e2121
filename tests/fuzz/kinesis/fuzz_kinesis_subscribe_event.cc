// SubscribeToShard event payloads (and exception payloads, and the other Kinesis responses that share the JSON
// readers) on arbitrary bytes.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "kinesis/consumer_codec.h"
#include "kinesis/list_shards_codec.h"
#include "kinesis/stream_admin_codec.h"
#include "kinesis/subscribe_event_codec.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view payload(reinterpret_cast<const char*>(data), size);
  auto event = pk::kinesis::parse_subscribe_to_shard_event(payload);
  if (event.ok()) {
    for (const auto& record : event->records) {
      if (record.sequence_number.empty()) std::abort();
    }
  }
  if (pk::kinesis::parse_exception_message(payload).empty()) std::abort();
  (void)pk::kinesis::parse_list_shards_response(payload);
  (void)pk::kinesis::parse_describe_stream_summary_response(payload);
  (void)pk::kinesis::parse_describe_stream_consumer_response(payload);
  return 0;
}
