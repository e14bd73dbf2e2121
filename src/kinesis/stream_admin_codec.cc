#include "kinesis/stream_admin_codec.h"

#include <fmt/format.h>

#include "kinesis/json_fields.h"
#include "kinesis/request_json.h"

namespace pk::kinesis {
namespace {

Status need_shard(std::string_view op, std::string_view field, const ShardId& shard) {
  if (shard.empty()) return make_error(ErrorCode::kInvalidArgument, fmt::format("{}: {}: empty", op, field));
  return ok_status();
}

}  // namespace

Result<std::string> build_describe_stream_summary_body(const StreamRef& stream) {
  JsonWriter w("DescribeStreamSummary");
  PK_TRY(write_stream(w, "DescribeStreamSummary", stream));
  return std::move(w).finish();
}

Result<StreamSummary> parse_describe_stream_summary_response(std::string_view body) {
  StreamSummary out;
  bool has_summary = false;
  PK_TRY(json::parse_object(body, "DescribeStreamSummary response", [&](std::string_view key, json::value v) -> Status {
    if (key != "StreamDescriptionSummary") return ok_status();
    has_summary = true;
    Status s = json::for_each_member(v, key, [&](std::string_view k, json::value f) -> Status {
      if (k == "StreamName") {
        PK_ASSIGN_OR_RETURN(auto name, json::get_string(f, k));
        if (name) out.stream_name = StreamName(*name);
      } else if (k == "StreamARN") {
        PK_ASSIGN_OR_RETURN(auto arn, json::get_string(f, k));
        if (arn) out.stream_arn = StreamArn(*arn);
      } else if (k == "StreamStatus") {
        PK_ASSIGN_OR_RETURN(auto status, json::get_string(f, k));
        if (status) {
          out.status_text.assign(*status);
          out.status = stream_status_from(*status);
        }
      } else if (k == "RetentionPeriodHours" || k == "OpenShardCount" || k == "ConsumerCount") {
        PK_ASSIGN_OR_RETURN(auto n, json::get_int64(f, k));
        (k == "RetentionPeriodHours" ? out.retention_period_hours
         : k == "OpenShardCount"     ? out.open_shard_count
                                     : out.consumer_count) = n.value_or(0);
      } else if (k == "EncryptionType") {
        PK_ASSIGN_OR_RETURN(auto type, json::get_string(f, k));
        if (type && *type == "KMS") out.encryption_type = EncryptionType::kKms;
      } else if (k == "StreamCreationTimestamp") {
        PK_ASSIGN_OR_RETURN(auto t, json::get_timestamp(f, k));
        if (t) out.creation_timestamp = *t;
      } else if (k == "StreamModeDetails") {
        return json::for_each_member(f, k, [&](std::string_view mk, json::value mv) -> Status {
          if (mk != "StreamMode") return ok_status();
          PK_ASSIGN_OR_RETURN(auto mode, json::get_string(mv, "StreamModeDetails.StreamMode"));
          if (mode) out.stream_mode.assign(*mode);
          return ok_status();
        });
      }
      return ok_status();
    });
    if (!s.ok()) return json::in_field(std::move(s).error(), key);
    return ok_status();
  }));
  if (!has_summary || out.stream_arn.empty() || out.status_text.empty()) {
    return make_error(ErrorCode::kMalformedInput,
                      fmt::format("DescribeStreamSummary response: {}: missing",
                                  !has_summary             ? "StreamDescriptionSummary"
                                  : out.stream_arn.empty() ? "StreamDescriptionSummary.StreamARN"
                                                           : "StreamDescriptionSummary.StreamStatus"));
  }
  return out;
}

Result<std::string> build_create_stream_body(const StreamName& name, std::optional<int> shard_count) {
  if (name.empty()) return make_error(ErrorCode::kInvalidArgument, "CreateStream: StreamName: empty");
  JsonWriter w("CreateStream");
  w.string("StreamName", name.str());
  if (shard_count) {
    if (*shard_count < 1) {
      return make_error(ErrorCode::kInvalidArgument, fmt::format("CreateStream: ShardCount: {} < 1", *shard_count));
    }
    w.integer("ShardCount", *shard_count);
    w.begin_object("StreamModeDetails").string("StreamMode", "PROVISIONED").end_object();
  } else {
    w.begin_object("StreamModeDetails").string("StreamMode", "ON_DEMAND").end_object();
  }
  return std::move(w).finish();
}

Result<std::string> build_delete_stream_body(const StreamRef& stream, bool enforce_consumer_deletion) {
  JsonWriter w("DeleteStream");
  PK_TRY(write_stream(w, "DeleteStream", stream));
  if (enforce_consumer_deletion) w.boolean("EnforceConsumerDeletion", true);
  return std::move(w).finish();
}

Result<std::string> build_split_shard_body(const StreamRef& stream, const ShardId& shard,
                                           HashKey new_starting_hash_key) {
  PK_TRY(need_shard("SplitShard", "ShardToSplit", shard));
  JsonWriter w("SplitShard");
  PK_TRY(write_stream(w, "SplitShard", stream));
  w.string("ShardToSplit", shard.str()).string("NewStartingHashKey", new_starting_hash_key.to_string());
  return std::move(w).finish();
}

Result<std::string> build_merge_shards_body(const StreamRef& stream, const ShardId& shard,
                                            const ShardId& adjacent_shard) {
  PK_TRY(need_shard("MergeShards", "ShardToMerge", shard));
  PK_TRY(need_shard("MergeShards", "AdjacentShardToMerge", adjacent_shard));
  JsonWriter w("MergeShards");
  PK_TRY(write_stream(w, "MergeShards", stream));
  w.string("ShardToMerge", shard.str()).string("AdjacentShardToMerge", adjacent_shard.str());
  return std::move(w).finish();
}

}  // namespace pk::kinesis
