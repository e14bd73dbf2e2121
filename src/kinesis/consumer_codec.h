#pragma once
// Enhanced fan-out consumers as pure functions: RegisterStreamConsumer / DescribeStreamConsumer /
// DeregisterStreamConsumer request bodies and the consumer description they return, and the SubscribeToShard
// request body (sent over HTTP/2; its response is an event stream, see subscribe_event_codec.h).

#include <string>
#include <string_view>

#include "common/result.h"
#include "kinesis/model.h"

namespace pk::kinesis {

struct ConsumerDescription {
  ConsumerName consumer_name;
  ConsumerArn consumer_arn;
  ConsumerStatus status = ConsumerStatus::kUnknown;
  std::string status_text;  // as sent, for messages
  StreamArn stream_arn;     // DescribeStreamConsumer only
  Timestamp creation_timestamp{};
};

Result<std::string> build_register_stream_consumer_body(const StreamArn& stream, const ConsumerName& name);
// {"Consumer": {...}}
Result<ConsumerDescription> parse_register_stream_consumer_response(std::string_view body);

// A consumer is named either by its ARN or by stream ARN + consumer name.
struct ConsumerRef {
  ConsumerArn arn;
  StreamArn stream_arn;
  ConsumerName name;
};
Result<std::string> build_describe_stream_consumer_body(const ConsumerRef& consumer);
// {"ConsumerDescription": {...}}
Result<ConsumerDescription> parse_describe_stream_consumer_response(std::string_view body);
Result<std::string> build_deregister_stream_consumer_body(const ConsumerRef& consumer);

// {ConsumerARN, ShardId, StartingPosition: {Type, SequenceNumber?, Timestamp?}}
Result<std::string> build_subscribe_to_shard_body(const ConsumerArn& consumer, const ShardId& shard,
                                                  const StartingPosition& position);

}  // namespace pk::kinesis
