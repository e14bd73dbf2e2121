#include "kinesis/subscribe_event_codec.h"

#include <string>

#include <gtest/gtest.h>

namespace pk::kinesis {
namespace {

TEST(SubscribeToShardEvent, RecordsContinuationAndLag) {
  const std::string payload =
      R"({"ContinuationSequenceNumber":"49590338271490256608559692540925702759324208523137515618",
    "MillisBehindLatest":0,"Records":[
      {"ApproximateArrivalTimestamp":1.700000000001E9,"Data":"AAE=","EncryptionType":"NONE","PartitionKey":"a",
       "SequenceNumber":"49590338271490256608559692540925702759324208523137515617"}]})";
  auto e = parse_subscribe_to_shard_event(payload);
  ASSERT_TRUE(e.ok()) << e.error().to_string();
  ASSERT_EQ(e->records.size(), 1u);
  EXPECT_EQ(e->records[0].data, std::string("\x00\x01", 2));
  EXPECT_EQ(e->records[0].approximate_arrival.time_since_epoch().count(), 1700000000001);
  ASSERT_TRUE(e->continuation_sequence_number.has_value());
  EXPECT_EQ(e->continuation_sequence_number->str(), "49590338271490256608559692540925702759324208523137515618");
  EXPECT_FALSE(e->at_shard_end());
}

TEST(SubscribeToShardEvent, EmptyHeartbeatAsKinesisMockSendsIt) {
  auto e = parse_subscribe_to_shard_event(
      R"({"ChildShards":null,"ContinuationSequenceNumber":"12","MillisBehindLatest":0,"Records":[]})");
  ASSERT_TRUE(e.ok()) << e.error().to_string();
  EXPECT_TRUE(e->records.empty());
  EXPECT_EQ(e->continuation_sequence_number->str(), "12");
  EXPECT_FALSE(e->at_shard_end());
}

TEST(SubscribeToShardEvent, ShardEnd) {
  auto e = parse_subscribe_to_shard_event(R"({"ContinuationSequenceNumber":null,"MillisBehindLatest":0,"Records":[],
      "ChildShards":[{"ShardId":"shardId-000000000003","ParentShards":["shardId-000000000001","shardId-000000000002"],
      "HashKeyRange":{"StartingHashKey":"0","EndingHashKey":"340282366920938463463374607431768211455"}}]})");
  ASSERT_TRUE(e.ok()) << e.error().to_string();
  EXPECT_TRUE(e->at_shard_end());
  ASSERT_EQ(e->child_shards.size(), 1u);
  EXPECT_EQ(e->child_shards[0].parent_shards.size(), 2u);
}

TEST(SubscribeToShardEvent, MalformedPayloads) {
  const std::pair<std::string, std::string> cases[] = {
      {R"({"ContinuationSequenceNumber":"1a"})",
       "SubscribeToShardEvent: ContinuationSequenceNumber: character 1 is not a decimal digit"},
      {R"({"Records":[{"SequenceNumber":"1","PartitionKey":"k","Data":"AQ="}]})",
       "SubscribeToShardEvent: Records[0]: Data: base64: length 3 is not a multiple of 4"},
      {R"({"MillisBehindLatest":"0"})", "SubscribeToShardEvent: MillisBehindLatest: expected a number"},
      {"{", "SubscribeToShardEvent: "},
  };
  for (const auto& [payload, prefix] : cases) {
    auto r = parse_subscribe_to_shard_event(payload);
    ASSERT_FALSE(r.ok()) << payload;
    EXPECT_EQ(r.error().code, ErrorCode::kMalformedInput);
    EXPECT_EQ(r.error().message.substr(0, prefix.size()), prefix) << r.error().message;
  }
}

TEST(SubscribeToShardEvent, ExceptionMessages) {
  EXPECT_EQ(parse_exception_message(R"({"message":"Another active subscription exists"})"),
            "Another active subscription exists");
  EXPECT_EQ(parse_exception_message(R"({"Message":"m"})"), "m");
  EXPECT_EQ(parse_exception_message("plain text\n"), "plain text?");
  EXPECT_EQ(parse_exception_message(""), "(empty payload)");
  EXPECT_EQ(parse_exception_message(std::string(500, 'x')).size(), 200u);
}

}  // namespace
}  // namespace pk::kinesis
