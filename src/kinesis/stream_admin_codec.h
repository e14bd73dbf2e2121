#pragma once
// Stream control-plane operations as pure functions: DescribeStreamSummary (used by the daemon to find the
// stream ARN and wait for ACTIVE) and CreateStream / DeleteStream / SplitShard / MergeShards (used by tests and
// tools). Request bodies and the one response that carries data.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "kinesis/hash_key.h"
#include "kinesis/model.h"

namespace pk::kinesis {

Result<std::string> build_describe_stream_summary_body(const StreamRef& stream);

struct StreamSummary {
  StreamName stream_name;
  StreamArn stream_arn;
  StreamStatus status = StreamStatus::kUnknown;
  std::string status_text;  // as sent, for messages
  int64_t retention_period_hours = 0;
  int64_t open_shard_count = 0;
  int64_t consumer_count = 0;
  EncryptionType encryption_type = EncryptionType::kNone;
  std::string stream_mode;  // PROVISIONED / ON_DEMAND; empty when not sent
  Timestamp creation_timestamp{};
};
Result<StreamSummary> parse_describe_stream_summary_response(std::string_view body);

// CreateStream: ShardCount for a provisioned stream; no count means ON_DEMAND.
Result<std::string> build_create_stream_body(const StreamName& name, std::optional<int> shard_count);
Result<std::string> build_delete_stream_body(const StreamRef& stream, bool enforce_consumer_deletion);
Result<std::string> build_split_shard_body(const StreamRef& stream, const ShardId& shard,
                                           HashKey new_starting_hash_key);
Result<std::string> build_merge_shards_body(const StreamRef& stream, const ShardId& shard,
                                            const ShardId& adjacent_shard);

}  // namespace pk::kinesis
