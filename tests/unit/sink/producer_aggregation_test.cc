// ProducerCore with aggregation on: user records of one predicted shard packed into KPL aggregates (read back with
// our deaggregator), limits, one-record aggregates sent plain, and aggregates that land on the wrong shard.
#include <gtest/gtest.h>

#include "kpl/deaggregator.h"
#include "sink/producer_core.h"
#include "unit/sink/test_records.h"

namespace pk::sink {
namespace {

using testing::kT0;
using namespace std::chrono_literals;
using testing::answer;
using testing::equal_map;
using testing::key_on_shard;
using testing::record;
using testing::RecordingListener;

ProducerSettings aggregating() {
  ProducerSettings s;
  s.aggregation = true;
  s.rate_limit_percent = 0;
  return s;
}

std::vector<uint64_t> tickets_of(const Entry& e) {
  std::vector<uint64_t> out;
  for (size_t i = 0; i < e.tickets.size(); ++i) out.push_back(e.tickets[i]);
  return out;
}

TEST(ProducerAggregation, PacksOneShardsRecordsIntoOneAggregateRoutedByTheFirstRecord) {
  RecordingListener listener;
  ProducerCore core(aggregating(), equal_map(2), listener, kT0, 1);
  std::vector<std::string> keys;
  for (size_t k = 0; k < 5; ++k) keys.push_back(key_on_shard(0, 2, k));
  for (uint64_t i = 0; i < 5; ++i) core.add(record(i, keys[i], "data-" + std::to_string(i)), kT0);
  EXPECT_TRUE(core.take_requests(kT0 + 99ms, 4, false).empty());  // the aggregate waits for its buffered time
  auto requests = core.take_requests(kT0 + 100ms, 4, false);
  ASSERT_EQ(requests.size(), 1u);
  ASSERT_EQ(requests[0].entries.size(), 1u);
  const Entry& e = requests[0].entries[0];
  EXPECT_TRUE(e.aggregated);
  EXPECT_EQ(e.partition_key, keys[0]);
  ASSERT_TRUE(e.explicit_hash_key.has_value());
  EXPECT_EQ(*e.explicit_hash_key, kinesis::HashKey::of_partition_key(keys[0]));
  EXPECT_EQ(tickets_of(e), (std::vector<uint64_t>{0, 1, 2, 3, 4}));
  auto read = kpl::deaggregate(e.data);
  ASSERT_TRUE(read.is_aggregate());
  ASSERT_EQ(read.records.size(), 5u);
  for (size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(read.records[i].partition_key, keys[i]);
    EXPECT_EQ(read.records[i].data, "data-" + std::to_string(i));
    EXPECT_FALSE(read.records[i].explicit_hash_key.has_value());
  }
  auto reply = answer(requests[0], *equal_map(2));
  core.on_response(std::move(requests[0]), reply, kT0 + 110ms);
  EXPECT_EQ(listener.delivered(), (std::vector<uint64_t>{0, 1, 2, 3, 4}));
  EXPECT_EQ(core.counters().entries_put, 1u);
  EXPECT_EQ(core.counters().user_records_delivered, 5u);
  EXPECT_TRUE(core.idle());
}

TEST(ProducerAggregation, AggregatesStayWithinTheSizeAndCountLimitsAndKeepOrder) {
  RecordingListener listener;
  auto settings = aggregating();
  settings.aggregation_max_size = 1000;
  ProducerCore core(settings, equal_map(1), listener, kT0, 1);
  for (uint64_t i = 0; i < 40; ++i) core.add(record(i, "k", std::string(90, static_cast<char>('a' + i % 26))), kT0);
  auto requests = core.take_requests(kT0, 4, true);
  ASSERT_EQ(requests.size(), 1u);
  std::vector<uint64_t> order;
  for (const Entry& e : requests[0].entries) {
    EXPECT_LE(e.data.size(), 1000u);
    auto read = kpl::deaggregate(e.data);
    ASSERT_TRUE(read.is_aggregate());
    EXPECT_EQ(read.records.size(), e.tickets.size());
    for (auto t : tickets_of(e)) order.push_back(t);
  }
  EXPECT_GE(requests[0].entries.size(), 4u);
  for (uint64_t i = 0; i < 40; ++i) EXPECT_EQ(order[i], i);

  settings.aggregation_max_count = 3;
  ProducerCore counted(settings, equal_map(1), listener, kT0, 1);
  for (uint64_t i = 0; i < 7; ++i) counted.add(record(i, "k", "x"), kT0);
  auto by_count = counted.take_requests(kT0, 4, true);
  ASSERT_EQ(by_count.size(), 1u);
  ASSERT_EQ(by_count[0].entries.size(), 3u);
  EXPECT_EQ(by_count[0].entries[0].tickets.size(), 3u);
  EXPECT_EQ(by_count[0].entries[1].tickets.size(), 3u);
  EXPECT_FALSE(by_count[0].entries[2].aggregated);  // the 7th alone: a plain record
}

TEST(ProducerAggregation, AOneRecordAggregateIsSentAsAPlainRecord) {
  RecordingListener listener;
  ProducerCore core(aggregating(), equal_map(1), listener, kT0, 1);
  core.add(record(1, "alone", "bytes"), kT0);
  auto requests = core.take_requests(kT0, 1, true);
  ASSERT_EQ(requests.size(), 1u);
  const Entry& e = requests[0].entries[0];
  EXPECT_FALSE(e.aggregated);
  EXPECT_EQ(e.data, "bytes");
  EXPECT_EQ(e.partition_key, "alone");
  EXPECT_FALSE(e.explicit_hash_key.has_value());
}

TEST(ProducerAggregation, ARecordTooBigToAggregateGoesAloneAfterTheOpenAggregate) {
  RecordingListener listener;
  auto settings = aggregating();
  settings.aggregation_max_size = 500;
  ProducerCore core(settings, equal_map(1), listener, kT0, 1);
  core.add(record(1, "k", "small-1"), kT0);
  core.add(record(2, "k", "small-2"), kT0);
  core.add(record(3, "k", std::string(600, 'b')), kT0);
  core.add(record(4, "k", "small-4"), kT0);
  auto requests = core.take_requests(kT0, 1, true);
  ASSERT_EQ(requests.size(), 1u);
  ASSERT_EQ(requests[0].entries.size(), 3u);
  EXPECT_EQ(tickets_of(requests[0].entries[0]), (std::vector<uint64_t>{1, 2}));
  EXPECT_TRUE(requests[0].entries[0].aggregated);
  EXPECT_EQ(tickets_of(requests[0].entries[1]), (std::vector<uint64_t>{3}));
  EXPECT_EQ(requests[0].entries[1].data.size(), 600u);
  EXPECT_EQ(tickets_of(requests[0].entries[2]), (std::vector<uint64_t>{4}));
}

TEST(ProducerAggregation, EachShardHasItsOwnAggregate) {
  RecordingListener listener;
  ProducerCore core(aggregating(), equal_map(3), listener, kT0, 1);
  for (size_t shard = 0; shard < 3; ++shard)
    for (size_t k = 0; k < 4; ++k) core.add(record(shard * 10 + k, key_on_shard(shard, 3, k)), kT0);
  auto requests = core.take_requests(kT0, 1, true);
  ASSERT_EQ(requests.size(), 1u);
  ASSERT_EQ(requests[0].entries.size(), 3u);
  auto map = equal_map(3);
  for (const Entry& e : requests[0].entries) {
    ASSERT_EQ(e.tickets.size(), 4u);
    const size_t shard = e.tickets[0] / 10;
    EXPECT_EQ(map->find(*e.explicit_hash_key), shard);
    for (const auto& sub : kpl::deaggregate(e.data).records)
      EXPECT_EQ(map->find(kinesis::HashKey::of_partition_key(sub.partition_key)), shard);
  }
}

TEST(ProducerAggregation, AnAggregateOnAKnownWrongShardIsSortedOutAtOnce) {
  // The map knows both shards, but Kinesis answers that the aggregate of shard 0 landed on shard 1 (as if the
  // ranges had moved): none of its sub-records belong to shard 1, so all are sent again.
  RecordingListener listener;
  auto map = equal_map(2);
  ProducerCore core(aggregating(), map, listener, kT0, 1);
  for (uint64_t i = 0; i < 3; ++i) core.add(record(i, key_on_shard(0, 2, i)), kT0);
  auto requests = core.take_requests(kT0, 1, true);
  ASSERT_EQ(requests.size(), 1u);
  auto reply = answer(requests[0], *map);
  reply.records[0].shard_id = map->shard(1).id;
  core.on_response(std::move(requests[0]), reply, kT0);
  EXPECT_TRUE(listener.outcomes.empty());
  EXPECT_EQ(core.counters().resent_after_wrong_shard, 3u);
  EXPECT_EQ(core.counters().wrong_shard_entries, 1u);
  auto again = core.take_requests(kT0, 1, true);
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(tickets_of(again[0].entries[0]), (std::vector<uint64_t>{0, 1, 2}));
  auto ok = answer(again[0], *map);
  core.on_response(std::move(again[0]), ok, kT0);
  EXPECT_EQ(listener.delivered(), (std::vector<uint64_t>{0, 1, 2}));
  EXPECT_TRUE(core.idle());
}

TEST(ProducerAggregation, SubRecordsOutsideTheLandedShardAreSentAgainOnTheirOwnShards) {
  RecordingListener listener;
  auto two = ShardMap::from_shards(testing::equal_shards(2), 1);
  // A map where shard 0 covers everything: its lane aggregates keys of both real shards.
  auto shards = testing::equal_shards(1);
  shards[0].shard_id = kinesis::ShardId("shardId-old");
  ProducerCore core(aggregating(), ShardMap::from_shards(shards, 1), listener, kT0, 1);
  std::vector<std::string> keys = {key_on_shard(0, 2, 0), key_on_shard(1, 2, 0), key_on_shard(0, 2, 1),
                                   key_on_shard(1, 2, 1)};
  for (uint64_t i = 0; i < 4; ++i) core.add(record(i, keys[i]), kT0);
  auto requests = core.take_requests(kT0, 1, true);
  ASSERT_EQ(requests.size(), 1u);
  // It lands on the real shard 0, which the producer's map does not know: parked until a refresh.
  kinesis::PutRecordsResponse reply;
  reply.records.resize(1);
  reply.records[0].shard_id = two->shard(0).id;
  reply.records[0].sequence_number = kinesis::SequenceNumber::from_digits("1").value();
  core.on_response(std::move(requests[0]), reply, kT0);
  EXPECT_TRUE(core.take_refresh_wanted());
  EXPECT_TRUE(listener.outcomes.empty());
  EXPECT_FALSE(core.idle());
  // The refreshed map: tickets 0 and 2 (on shard 0) are delivered; 1 and 3 go again, to shard 1.
  core.on_shard_map(two, kT0);
  EXPECT_EQ(listener.delivered(), (std::vector<uint64_t>{0, 2}));
  EXPECT_EQ(core.counters().resent_after_wrong_shard, 2u);
  auto again = core.take_requests(kT0 + 1s, 1, true);
  ASSERT_EQ(again.size(), 1u);
  ASSERT_EQ(again[0].entries.size(), 1u);
  EXPECT_EQ(tickets_of(again[0].entries[0]), (std::vector<uint64_t>{1, 3}));
  EXPECT_EQ(two->find(*again[0].entries[0].explicit_hash_key), 1u);
  auto ok = answer(again[0], *two);
  core.on_response(std::move(again[0]), ok, kT0 + 1s);
  EXPECT_EQ(listener.delivered(), (std::vector<uint64_t>{0, 2, 1, 3}));
  EXPECT_TRUE(core.idle());
  EXPECT_EQ(core.counters().user_records_delivered, 4u);
}

TEST(ProducerAggregation, ARetiredLaneSendsItsOpenAggregateAtOnce) {
  RecordingListener listener;
  auto shards = testing::equal_shards(1);
  ProducerCore core(aggregating(), ShardMap::from_shards(shards, 1), listener, kT0, 1);
  core.add(record(1, "a"), kT0);
  core.add(record(2, "b"), kT0);
  shards[0].shard_id = kinesis::ShardId("shardId-new");
  core.on_shard_map(ShardMap::from_shards(shards, 2), kT0);
  auto requests = core.take_requests(kT0, 1, false);  // due at once: the old lane drains
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].entries[0].tickets.size(), 2u);
}

}  // namespace
}  // namespace pk::sink
