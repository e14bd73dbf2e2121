#include "kinesis/get_records_codec.h"

#include "kinesis/json_fields.h"
#include "kinesis/record_batch_scan.h"
#include "kinesis/record_json.h"
#include "kinesis/request_json.h"

namespace pk::kinesis {

Result<std::string> build_get_shard_iterator_body(const StreamRef& stream, const ShardId& shard,
                                                  const StartingPosition& position) {
  constexpr std::string_view kOp = "GetShardIterator";
  JsonWriter w(kOp);
  PK_TRY(write_stream(w, kOp, stream));
  if (shard.empty()) return make_error(ErrorCode::kInvalidArgument, "GetShardIterator: ShardId: empty");
  w.string("ShardId", shard.str());
  PK_TRY(write_starting_position(w, kOp, position, "ShardIteratorType", "StartingSequenceNumber"));
  return std::move(w).finish();
}

Result<std::string> parse_get_shard_iterator_response(std::string_view body) {
  std::optional<std::string> iterator;
  PK_TRY(json::parse_object(body, "GetShardIterator response", [&](std::string_view key, json::value v) -> Status {
    if (key == "ShardIterator") {
      PK_ASSIGN_OR_RETURN(auto s, json::get_string(v, "ShardIterator"));
      if (s) iterator.emplace(*s);
    }
    return ok_status();
  }));
  if (!iterator || iterator->empty()) {
    return make_error(ErrorCode::kMalformedInput, "GetShardIterator response: ShardIterator: missing");
  }
  return std::move(*iterator);
}

Result<std::string> build_get_records_body(std::string_view shard_iterator, std::optional<int> limit,
                                           const StreamArn& stream_arn) {
  if (shard_iterator.empty()) return make_error(ErrorCode::kInvalidArgument, "GetRecords: ShardIterator: empty");
  if (limit && (*limit < 1 || *limit > kMaxGetRecordsLimit)) {
    return make_error(ErrorCode::kInvalidArgument,
                      fmt::format("GetRecords: Limit: {} is outside 1..{}", *limit, kMaxGetRecordsLimit));
  }
  JsonWriter w("GetRecords");
  w.string("ShardIterator", shard_iterator);
  if (limit) w.integer("Limit", *limit);
  if (!stream_arn.empty()) w.string("StreamARN", stream_arn.str());
  return std::move(w).finish();
}

Result<GetRecordsResponse> parse_get_records_response(std::string body) {
  GetRecordsResponse scanned;
  if (scan_get_records_response(body, scanned)) return scanned;
  return parse_get_records_response_general(body);
}

Result<GetRecordsResponse> parse_get_records_response_general(std::string_view body) {
  GetRecordsResponse out;
  std::vector<json::OwnedRecord> owned;
  PK_TRY(json::parse_object(body, "GetRecords response", [&](std::string_view key, json::value v) -> Status {
    if (key == "NextShardIterator") {
      PK_ASSIGN_OR_RETURN(auto s, json::get_string(v, "NextShardIterator"));
      if (s) out.next_shard_iterator.emplace(*s);
      return ok_status();
    }
    return json::read_batch_member(key, v, {owned, out.millis_behind_latest, out.child_shards});
  }));
  out.records = json::share_records(std::move(owned));
  return out;
}

}  // namespace pk::kinesis
