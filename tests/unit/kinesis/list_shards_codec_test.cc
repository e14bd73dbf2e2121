#include "kinesis/list_shards_codec.h"

#include <string>

#include <gtest/gtest.h>

namespace pk::kinesis {
namespace {

TEST(ListShardsRequest, FirstPageWithFilters) {
  ListShardsRequest r;
  r.stream = StreamRef::named("s");
  EXPECT_EQ(*build_list_shards_body(r), R"({"StreamName":"s"})");
  r.max_results = 2;
  r.filter = ShardFilter{ShardFilterType::kAtTrimHorizon, {}, {}};
  EXPECT_EQ(*build_list_shards_body(r),
            R"({"StreamName":"s","ShardFilter":{"Type":"AT_TRIM_HORIZON"},"MaxResults":2})");
  r.filter = ShardFilter{ShardFilterType::kAfterShardId, ShardId("shardId-000000000001"), {}};
  EXPECT_EQ(*build_list_shards_body(r),
            R"({"StreamName":"s","ShardFilter":{"Type":"AFTER_SHARD_ID","ShardId":"shardId-000000000001"},)"
            R"("MaxResults":2})");
  r.filter = ShardFilter{ShardFilterType::kFromTimestamp, {}, Timestamp(std::chrono::milliseconds(1700000000500))};
  EXPECT_EQ(*build_list_shards_body(r),
            R"({"StreamName":"s","ShardFilter":{"Type":"FROM_TIMESTAMP","Timestamp":1700000000.500},"MaxResults":2})");
  for (auto type : {ShardFilterType::kAtLatest, ShardFilterType::kFromTrimHorizon, ShardFilterType::kAtTimestamp}) {
    r.filter = ShardFilter{type, {}, {}};
    auto body = build_list_shards_body(r);
    ASSERT_TRUE(body.ok());
    EXPECT_NE(body->find(std::string(to_string(type))), std::string::npos);
  }
  r.filter = ShardFilter{ShardFilterType::kAfterShardId, {}, {}};
  EXPECT_FALSE(build_list_shards_body(r).ok());
}

TEST(ListShardsRequest, NextPageSendsOnlyTheTokenAndMaxResults) {
  ListShardsRequest r;
  r.stream = StreamRef::named("s");
  r.filter = ShardFilter{ShardFilterType::kAtLatest, {}, {}};
  r.next_token = "tok/+=";
  r.max_results = 5;
  EXPECT_EQ(*build_list_shards_body(r), R"({"NextToken":"tok/+=","MaxResults":5})");
}

TEST(ListShardsRequest, Checks) {
  ListShardsRequest r;
  EXPECT_FALSE(build_list_shards_body(r).ok());  // no stream
  r.stream = StreamRef::named("s");
  r.max_results = 0;
  EXPECT_FALSE(build_list_shards_body(r).ok());
  r.max_results = 10001;
  EXPECT_FALSE(build_list_shards_body(r).ok());
}

TEST(ListShardsResponse, OpenClosedAndChildShardsWithNulls) {
  const std::string body = R"({"NextToken":"next-1","Shards":[
    {"ShardId":"shardId-000000000000","ParentShardId":null,"AdjacentParentShardId":null,
     "HashKeyRange":{"StartingHashKey":"0","EndingHashKey":"340282366920938463463374607431768211455"},
     "SequenceNumberRange":{"StartingSequenceNumber":"49590338271490256608559692538361571095921575989136588898",
                            "EndingSequenceNumber":"49590338271490256608559692538361571095921575989136588999"}},
    {"ShardId":"shardId-000000000001","ParentShardId":"shardId-000000000000",
     "HashKeyRange":{"StartingHashKey":"0","EndingHashKey":"170141183460469231731687303715884105727"},
     "SequenceNumberRange":{"StartingSequenceNumber":"49590338271490256608559692538361571095921575989136589000",
                            "EndingSequenceNumber":null}},
    {"ShardId":"shardId-000000000003","ParentShardId":"shardId-000000000001","AdjacentParentShardId":"shardId-000000000002",
     "HashKeyRange":{"StartingHashKey":"0","EndingHashKey":"340282366920938463463374607431768211455"},
     "SequenceNumberRange":{"StartingSequenceNumber":"5"}}]})";
  auto page = parse_list_shards_response(body);
  ASSERT_TRUE(page.ok()) << page.error().to_string();
  EXPECT_EQ(page->next_token, "next-1");
  ASSERT_EQ(page->shards.size(), 3u);
  const Shard& s0 = page->shards[0];
  EXPECT_EQ(s0.shard_id, ShardId("shardId-000000000000"));
  EXPECT_FALSE(s0.parent_shard_id.has_value());
  EXPECT_FALSE(s0.is_open());
  EXPECT_EQ(s0.hash_key_range.ending, HashKey::max());
  const Shard& s1 = page->shards[1];
  EXPECT_EQ(s1.parent_shard_id, ShardId("shardId-000000000000"));
  EXPECT_FALSE(s1.adjacent_parent_shard_id.has_value());
  EXPECT_TRUE(s1.is_open());
  const Shard& s3 = page->shards[2];
  EXPECT_EQ(s3.adjacent_parent_shard_id, ShardId("shardId-000000000002"));
  EXPECT_EQ(s3.sequence_number_range.starting.str(), "5");

  auto last = parse_list_shards_response(R"({"Shards":[],"NextToken":null})");
  ASSERT_TRUE(last.ok());
  EXPECT_TRUE(last->next_token.empty());
}

TEST(ListShardsResponse, MalformedShards) {
  const std::pair<std::string, std::string> cases[] = {
      {R"({"Shards":[{"ShardId":"s","SequenceNumberRange":{"StartingSequenceNumber":"1"}}]})",
       "ListShards response: Shards[0]: HashKeyRange: missing"},
      {R"({"Shards":[{"ShardId":"s","HashKeyRange":{"StartingHashKey":"0","EndingHashKey":"1"}}]})",
       "ListShards response: Shards[0]: SequenceNumberRange: missing"},
      {R"({"Shards":[{"ShardId":"s","HashKeyRange":{"StartingHashKey":"0","EndingHashKey":"1"},
          "SequenceNumberRange":{"EndingSequenceNumber":"2"}}]})",
       "ListShards response: Shards[0]: SequenceNumberRange: StartingSequenceNumber: missing"},
      {R"({"Shards":[{"HashKeyRange":{"StartingHashKey":"0","EndingHashKey":"1"},
          "SequenceNumberRange":{"StartingSequenceNumber":"2"}}]})",
       "ListShards response: Shards[0]: ShardId: missing"},
      {R"({"Shards":[{"ShardId":"s","HashKeyRange":{"StartingHashKey":"0",
          "EndingHashKey":"340282366920938463463374607431768211456"},"SequenceNumberRange":{"StartingSequenceNumber":"2"}}]})",
       "ListShards response: Shards[0]: HashKeyRange: EndingHashKey: greater than 2^128 - 1"},
      {R"({"NextToken":1})", "ListShards response: NextToken: expected a string"},
  };
  for (const auto& [body, message] : cases) {
    auto r = parse_list_shards_response(body);
    ASSERT_FALSE(r.ok()) << body;
    EXPECT_EQ(r.error().code, ErrorCode::kMalformedInput);
    EXPECT_EQ(r.error().message, message);
  }
}

}  // namespace
}  // namespace pk::kinesis
