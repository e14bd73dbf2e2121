#include "kinesis/subscribe_event_codec.h"

#include "kinesis/json_fields.h"
#include "kinesis/record_batch_scan.h"
#include "kinesis/record_json.h"

namespace pk::kinesis {

Result<SubscribeToShardEvent> parse_subscribe_to_shard_event(std::string payload) {
  SubscribeToShardEvent scanned;
  if (scan_subscribe_to_shard_event(payload, scanned)) return scanned;
  return parse_subscribe_to_shard_event_general(payload);
}

Result<SubscribeToShardEvent> parse_subscribe_to_shard_event_general(std::string_view payload) {
  SubscribeToShardEvent out;
  std::vector<json::OwnedRecord> owned;
  PK_TRY(json::parse_object(payload, "SubscribeToShardEvent", [&](std::string_view key, json::value v) -> Status {
    if (key == "ContinuationSequenceNumber") {
      PK_ASSIGN_OR_RETURN(out.continuation_sequence_number,
                          json::optional_sequence_number(v, "ContinuationSequenceNumber"));
      return ok_status();
    }
    return json::read_batch_member(key, v, {owned, out.millis_behind_latest, out.child_shards});
  }));
  out.records = json::share_records(std::move(owned));
  return out;
}

std::string parse_exception_message(std::string_view payload) {
  std::string message;
  Status s = json::parse_object(payload, "exception", [&](std::string_view key, json::value v) -> Status {
    if (key == "message" || key == "Message") {
      PK_ASSIGN_OR_RETURN(auto m, json::get_string(v, key));
      if (m) message.assign(*m);
    }
    return ok_status();
  });
  if (s.ok() && !message.empty()) return message;
  constexpr size_t kShown = 200;
  std::string shown;
  for (const char c : payload.substr(0, kShown)) shown.push_back(c >= 0x20 && c < 0x7f ? c : '?');
  return shown.empty() ? std::string("(empty payload)") : shown;
}

}  // namespace pk::kinesis
