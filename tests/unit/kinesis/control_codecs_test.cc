// The control-plane codecs: stream administration and enhanced fan-out consumers.
#include <string>

#include <gtest/gtest.h>

#include "kinesis/consumer_codec.h"
#include "kinesis/stream_admin_codec.h"

namespace pk::kinesis {
namespace {

TEST(StreamAdmin, RequestBodies) {
  EXPECT_EQ(*build_describe_stream_summary_body(StreamRef::named("s")), R"({"StreamName":"s"})");
  EXPECT_EQ(*build_create_stream_body(StreamName("s"), 4),
            R"({"StreamName":"s","ShardCount":4,"StreamModeDetails":{"StreamMode":"PROVISIONED"}})");
  EXPECT_EQ(*build_create_stream_body(StreamName("s"), std::nullopt),
            R"({"StreamName":"s","StreamModeDetails":{"StreamMode":"ON_DEMAND"}})");
  EXPECT_FALSE(build_create_stream_body(StreamName("s"), 0).ok());
  EXPECT_FALSE(build_create_stream_body(StreamName(""), 1).ok());
  EXPECT_EQ(*build_delete_stream_body(StreamRef::named("s"), false), R"({"StreamName":"s"})");
  EXPECT_EQ(*build_delete_stream_body(StreamRef::named("s"), true),
            R"({"StreamName":"s","EnforceConsumerDeletion":true})");
  EXPECT_EQ(*build_split_shard_body(StreamRef::named("s"), ShardId("shardId-0"), HashKey(1) /* any key */),
            R"({"StreamName":"s","ShardToSplit":"shardId-0","NewStartingHashKey":"1"})");
  EXPECT_EQ(*build_merge_shards_body(StreamRef::with_arn("arn"), ShardId("a"), ShardId("b")),
            R"({"StreamARN":"arn","ShardToMerge":"a","AdjacentShardToMerge":"b"})");
  EXPECT_FALSE(build_merge_shards_body(StreamRef::named("s"), ShardId("a"), ShardId()).ok());
  EXPECT_FALSE(build_describe_stream_summary_body(StreamRef{}).ok());
}

TEST(StreamAdmin, DescribeStreamSummaryResponse) {
  const std::string body =
      R"({"StreamDescriptionSummary":{"ConsumerCount":1,"EncryptionType":"NONE","EnhancedMonitoring":[
      {"ShardLevelMetrics":[]}],"KeyId":null,"OpenShardCount":3,"RetentionPeriodHours":24,
      "StreamARN":"arn:aws:kinesis:us-east-1:000000000000:stream/s","StreamCreationTimestamp":1.7E9,
      "StreamModeDetails":{"StreamMode":"PROVISIONED"},"StreamName":"s","StreamStatus":"UPDATING"}})";
  auto r = parse_describe_stream_summary_response(body);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->stream_name, StreamName("s"));
  EXPECT_EQ(r->stream_arn, StreamArn("arn:aws:kinesis:us-east-1:000000000000:stream/s"));
  EXPECT_EQ(r->status, StreamStatus::kUpdating);
  EXPECT_EQ(r->open_shard_count, 3);
  EXPECT_EQ(r->consumer_count, 1);
  EXPECT_EQ(r->retention_period_hours, 24);
  EXPECT_EQ(r->stream_mode, "PROVISIONED");
  EXPECT_EQ(r->creation_timestamp.time_since_epoch().count(), 1700000000000);

  auto nulls = parse_describe_stream_summary_response(
      R"({"StreamDescriptionSummary":{"StreamARN":"a","StreamStatus":"ACTIVE","ConsumerCount":null,
          "StreamModeDetails":null,"StreamCreationTimestamp":null}})");
  ASSERT_TRUE(nulls.ok()) << nulls.error().to_string();
  EXPECT_EQ(nulls->status, StreamStatus::kActive);
  EXPECT_EQ(nulls->consumer_count, 0);

  auto missing = parse_describe_stream_summary_response(R"({"StreamDescriptionSummary":{"StreamARN":"a"}})");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message, "DescribeStreamSummary response: StreamDescriptionSummary.StreamStatus: missing");
  auto wrong = parse_describe_stream_summary_response(R"({"StreamDescriptionSummary":{"OpenShardCount":"3"}})");
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().message,
            "DescribeStreamSummary response: StreamDescriptionSummary: OpenShardCount: expected a number");
}

TEST(Consumers, RequestBodies) {
  const StreamArn stream("arn:aws:kinesis:us-east-1:000000000000:stream/s");
  EXPECT_EQ(*build_register_stream_consumer_body(stream, ConsumerName("c")),
            R"({"StreamARN":"arn:aws:kinesis:us-east-1:000000000000:stream/s","ConsumerName":"c"})");
  EXPECT_FALSE(build_register_stream_consumer_body(StreamArn(), ConsumerName("c")).ok());
  EXPECT_EQ(*build_describe_stream_consumer_body(ConsumerRef{ConsumerArn("carn"), {}, {}}),
            R"({"ConsumerARN":"carn"})");
  EXPECT_EQ(*build_describe_stream_consumer_body(ConsumerRef{{}, StreamArn("sarn"), ConsumerName("c")}),
            R"({"StreamARN":"sarn","ConsumerName":"c"})");
  EXPECT_FALSE(build_describe_stream_consumer_body(ConsumerRef{{}, StreamArn("sarn"), {}}).ok());
  EXPECT_EQ(*build_deregister_stream_consumer_body(ConsumerRef{ConsumerArn("carn"), {}, {}}),
            R"({"ConsumerARN":"carn"})");
}

TEST(Consumers, SubscribeToShardBodies) {
  const ConsumerArn consumer("carn");
  const ShardId shard("shardId-000000000000");
  EXPECT_EQ(*build_subscribe_to_shard_body(consumer, shard, StartingPosition::latest()),
            R"({"ConsumerARN":"carn","ShardId":"shardId-000000000000","StartingPosition":{"Type":"LATEST"}})");
  EXPECT_EQ(*build_subscribe_to_shard_body(consumer, shard, StartingPosition::after(*SequenceNumber::parse("42"))),
            R"({"ConsumerARN":"carn","ShardId":"shardId-000000000000",)"
            R"("StartingPosition":{"Type":"AFTER_SEQUENCE_NUMBER","SequenceNumber":"42"}})");
  EXPECT_EQ(*build_subscribe_to_shard_body(consumer, shard,
                                           StartingPosition::at_timestamp(Timestamp(std::chrono::milliseconds(1500)))),
            R"({"ConsumerARN":"carn","ShardId":"shardId-000000000000",)"
            R"("StartingPosition":{"Type":"AT_TIMESTAMP","Timestamp":1.500}})");
  auto missing = build_subscribe_to_shard_body(consumer, shard, StartingPosition::at(SequenceNumber{}));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message, "SubscribeToShard: AT_SEQUENCE_NUMBER needs a SequenceNumber");
}

TEST(Consumers, Responses) {
  auto reg = parse_register_stream_consumer_response(
      R"({"Consumer":{"ConsumerARN":"arn:c","ConsumerCreationTimestamp":1.7E9,"ConsumerName":"c",)"
      R"("ConsumerStatus":"CREATING"}})");
  ASSERT_TRUE(reg.ok()) << reg.error().to_string();
  EXPECT_EQ(reg->consumer_arn, ConsumerArn("arn:c"));
  EXPECT_EQ(reg->status, ConsumerStatus::kCreating);
  auto desc = parse_describe_stream_consumer_response(
      R"({"ConsumerDescription":{"ConsumerARN":"arn:c","ConsumerCreationTimestamp":null,"ConsumerName":"c",)"
      R"("ConsumerStatus":"ACTIVE","StreamARN":"arn:s"}})");
  ASSERT_TRUE(desc.ok()) << desc.error().to_string();
  EXPECT_EQ(desc->status, ConsumerStatus::kActive);
  EXPECT_EQ(desc->stream_arn, StreamArn("arn:s"));
  auto missing = parse_describe_stream_consumer_response(R"({"ConsumerDescription":null})");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message, "DescribeStreamConsumer response: ConsumerDescription.ConsumerARN: missing");
}

}  // namespace
}  // namespace pk::kinesis
