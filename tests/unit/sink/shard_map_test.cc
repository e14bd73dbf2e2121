#include "sink/shard_map.h"

#include <gtest/gtest.h>

#include "unit/sink/test_records.h"

namespace pk::sink {
namespace {

TEST(ShardMap, FindsTheShardOwningAKeyIncludingTheEnds) {
  auto map = testing::equal_map(4);
  ASSERT_EQ(map->size(), 4u);
  EXPECT_EQ(map->find(kinesis::HashKey(0)), 0u);
  EXPECT_EQ(map->find(kinesis::HashKey::max()), 3u);
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(map->find(map->shard(i).range.starting), i);
    EXPECT_EQ(map->find(map->shard(i).range.ending), i);
  }
}

TEST(ShardMap, LeavesClosedShardsOutAndSortsByRange) {
  auto shards = testing::equal_shards(3);
  std::swap(shards[0], shards[2]);
  kinesis::Shard closed = shards[1];
  closed.shard_id = kinesis::ShardId("closed");
  closed.sequence_number_range.ending = kinesis::SequenceNumber::from_digits("99");
  shards.push_back(closed);
  auto map = ShardMap::from_shards(shards, 7);
  EXPECT_EQ(map->version(), 7u);
  ASSERT_EQ(map->size(), 3u);
  EXPECT_EQ(map->shard(0).id.str(), "shardId-000000000000");
  EXPECT_EQ(map->shard(2).id.str(), "shardId-000000000002");
  EXPECT_FALSE(map->index_of(kinesis::ShardId("closed")).has_value());
  EXPECT_EQ(map->index_of(kinesis::ShardId("shardId-000000000001")), 1u);
}

TEST(ShardMap, AGapOrAnEmptyMapFindsNothing) {
  auto shards = testing::equal_shards(3);
  shards.erase(shards.begin() + 1);
  auto map = ShardMap::from_shards(shards, 1);
  auto middle = testing::equal_shards(3)[1].hash_key_range;
  EXPECT_FALSE(map->find(middle.starting).has_value());
  EXPECT_FALSE(map->find(middle.ending).has_value());
  EXPECT_FALSE(ShardMap::from_shards({}, 1)->find(kinesis::HashKey(5)).has_value());
}

TEST(ShardMap, SameShardsComparesIdsAndRanges) {
  auto a = testing::equal_map(2, 1);
  auto b = testing::equal_map(2, 2);
  EXPECT_TRUE(a->same_shards(*b));
  EXPECT_FALSE(a->same_shards(*testing::equal_map(3)));
}

}  // namespace
}  // namespace pk::sink
