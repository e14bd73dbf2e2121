#include "sink/producer_core.h"

#include <gtest/gtest.h>

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

ProducerSettings plain_settings() {
  ProducerSettings s;
  s.aggregation = false;
  s.rate_limit_percent = 0;  // no limiter unless a test wants it
  return s;
}

TEST(ProducerCore, WaitsForTheBufferedTimeBeforeSendingALoneRecord) {
  RecordingListener listener;
  ProducerCore core(plain_settings(), equal_map(2), listener, kT0, 1);
  core.add(record(1, "a"), kT0);
  EXPECT_TRUE(core.take_requests(kT0 + 99ms, 4, false).empty());
  EXPECT_EQ(core.next_wakeup(kT0), kT0 + 100ms);
  auto requests = core.take_requests(kT0 + 100ms, 4, false);
  ASSERT_EQ(requests.size(), 1u);
  ASSERT_EQ(requests[0].entries.size(), 1u);
  EXPECT_EQ(requests[0].entries[0].data, "payload");
  EXPECT_EQ(requests[0].entries[0].partition_key, "a");
  EXPECT_FALSE(requests[0].entries[0].explicit_hash_key.has_value());
  EXPECT_EQ(core.in_flight_requests(), 1u);
}

TEST(ProducerCore, FlushSendsAtOnce) {
  RecordingListener listener;
  ProducerCore core(plain_settings(), equal_map(2), listener, kT0, 1);
  core.add(record(1, "a"), kT0);
  EXPECT_EQ(core.take_requests(kT0, 4, true).size(), 1u);
}

TEST(ProducerCore, AFullRequestGoesWithoutWaiting) {
  RecordingListener listener;
  auto settings = plain_settings();
  settings.collection_max_count = 10;
  ProducerCore core(settings, equal_map(3), listener, kT0, 1);
  for (uint64_t i = 0; i < 9; ++i) core.add(record(i, "k" + std::to_string(i)), kT0);
  EXPECT_FALSE(core.request_ready());
  EXPECT_TRUE(core.take_requests(kT0, 4, false).empty());
  core.add(record(9, "k9"), kT0);
  EXPECT_TRUE(core.request_ready());
  auto requests = core.take_requests(kT0, 4, false);
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].entries.size(), 10u);
}

TEST(ProducerCore, RequestsRespectCountAndSizeLimits) {
  RecordingListener listener;
  auto settings = plain_settings();
  settings.collection_max_count = 4;
  settings.collection_max_size = 1000;
  ProducerCore core(settings, equal_map(1), listener, kT0, 1);
  for (uint64_t i = 0; i < 6; ++i) core.add(record(i, "k", std::string(300, 'x')), kT0);  // 301 bytes each
  auto requests = core.take_requests(kT0, 10, true);
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].entries.size(), 3u);  // 903 bytes; a 4th would pass 1000
  EXPECT_EQ(requests[0].bytes, 903u);
  EXPECT_EQ(requests[1].entries.size(), 3u);
  // Only as many requests as there are free slots.
  ProducerCore core2(settings, equal_map(1), listener, kT0, 1);
  for (uint64_t i = 0; i < 6; ++i) core2.add(record(i, "k", std::string(300, 'x')), kT0);
  EXPECT_EQ(core2.take_requests(kT0, 1, true).size(), 1u);
  EXPECT_EQ(core2.buffered_user_records(), 6u);
}

TEST(ProducerCore, DeliversEveryTicketOnceAndCountsIt) {
  RecordingListener listener;
  auto map = equal_map(4);
  ProducerCore core(plain_settings(), map, listener, kT0, 1);
  for (uint64_t i = 0; i < 20; ++i) core.add(record(i, "key" + std::to_string(i)), kT0);
  auto requests = core.take_requests(kT0, 4, true);
  ASSERT_EQ(requests.size(), 1u);
  auto reply = answer(requests[0], *map);
  core.on_response(std::move(requests[0]), reply, kT0 + 10ms);
  auto delivered = listener.delivered();
  std::sort(delivered.begin(), delivered.end());
  ASSERT_EQ(delivered.size(), 20u);
  for (uint64_t i = 0; i < 20; ++i) EXPECT_EQ(delivered[i], i);
  EXPECT_TRUE(core.idle());
  EXPECT_EQ(core.counters().entries_put, 20u);
  EXPECT_EQ(core.counters().user_records_delivered, 20u);
  EXPECT_FALSE(core.take_refresh_wanted());
}

TEST(ProducerCore, RetriesOnlyTheFailedEntriesAfterABackoff) {
  RecordingListener listener;
  auto map = equal_map(1);
  auto settings = plain_settings();
  settings.retry_initial_delay = 100ms;
  ProducerCore core(settings, map, listener, kT0, 7);
  core.add(record(1, "a"), kT0);
  core.add(record(2, "b"), kT0);
  core.add(record(3, "c"), kT0);
  auto requests = core.take_requests(kT0, 4, true);
  ASSERT_EQ(requests.size(), 1u);
  auto reply = answer(requests[0], *map, {{1, "ProvisionedThroughputExceededException"}});
  core.on_response(std::move(requests[0]), reply, kT0);
  EXPECT_EQ(listener.delivered(), (std::vector<uint64_t>{1, 3}));
  EXPECT_EQ(core.counters().throttled_entries, 1u);
  EXPECT_EQ(core.counters().entry_retries, 1u);
  // Equal jitter: the first retry waits 50..100 ms.
  EXPECT_TRUE(core.take_requests(kT0 + 49ms, 4, false).empty());
  auto wake = core.next_wakeup(kT0);
  ASSERT_TRUE(wake.has_value());
  EXPECT_GE(*wake, kT0 + 50ms);
  EXPECT_LE(*wake, kT0 + 100ms);
  auto retry = core.take_requests(kT0 + 100ms, 4, false);
  ASSERT_EQ(retry.size(), 1u);
  ASSERT_EQ(retry[0].entries.size(), 1u);
  EXPECT_EQ(retry[0].entries[0].partition_key, "b");
  EXPECT_EQ(retry[0].entries[0].data, "payload");
  auto ok = answer(retry[0], *map);
  core.on_response(std::move(retry[0]), ok, kT0 + 110ms);
  EXPECT_EQ(listener.delivered(), (std::vector<uint64_t>{1, 3, 2}));
  EXPECT_TRUE(core.idle());
}

TEST(ProducerCore, BackoffGrowsExponentiallyUpToTheCap) {
  RecordingListener listener;
  auto map = equal_map(1);
  auto settings = plain_settings();
  settings.retry_initial_delay = 100ms;
  settings.retry_max_delay = 400ms;
  settings.record_ttl = 1h;
  ProducerCore core(settings, map, listener, kT0, 3);
  core.add(record(1, "a"), kT0);
  TimePoint now = kT0;
  const std::vector<std::pair<int, int>> bounds = {{50, 100}, {100, 200}, {200, 400}, {200, 400}, {200, 400}};
  for (auto [low, high] : bounds) {
    auto requests = core.take_requests(now, 1, true);
    ASSERT_EQ(requests.size(), 1u);
    auto reply = answer(requests[0], *map, {{0, "InternalFailure"}});
    core.on_response(std::move(requests[0]), reply, now);
    auto wake = core.next_wakeup(now);
    ASSERT_TRUE(wake.has_value());
    EXPECT_GE(*wake - now, std::chrono::milliseconds(low));
    EXPECT_LE(*wake - now, std::chrono::milliseconds(high));
    now = *wake;
  }
  EXPECT_EQ(core.counters().entry_retries, 5u);
  EXPECT_TRUE(listener.outcomes.empty());
}

TEST(ProducerCore, GivesUpAtTheRecordTtlWithTheLastError) {
  RecordingListener listener;
  auto map = equal_map(1);
  auto settings = plain_settings();
  settings.record_ttl = 1s;
  settings.retry_initial_delay = 100ms;
  settings.retry_max_delay = 100ms;
  ProducerCore core(settings, map, listener, kT0, 5);
  core.add(record(42, "a"), kT0);
  TimePoint now = kT0;
  for (int i = 0; i < 100 && listener.outcomes.empty(); ++i) {
    auto requests = core.take_requests(now, 1, true);
    for (auto& r : requests) {
      auto reply = answer(r, *map, {{0, "ProvisionedThroughputExceededException"}});
      core.on_response(std::move(r), reply, now);
    }
    now += 100ms;
  }
  ASSERT_EQ(listener.outcomes.size(), 1u);
  const auto& o = listener.outcomes[0];
  EXPECT_FALSE(o.delivered);
  EXPECT_EQ(o.tickets, (std::vector<uint64_t>{42}));
  EXPECT_EQ(o.kind, FailureKind::kUndeliverable);
  EXPECT_EQ(o.error.code, ErrorCode::kTimeout);
  EXPECT_NE(o.error.message.find("recordTtl (1000 ms)"), std::string::npos) << o.error.message;
  EXPECT_NE(o.error.message.find("ProvisionedThroughputExceededException"), std::string::npos) << o.error.message;
  EXPECT_TRUE(core.idle());
  EXPECT_LE(now, kT0 + 1200ms);
}

TEST(ProducerCore, ARecordNeverSentExpiresToo) {
  RecordingListener listener;
  auto settings = plain_settings();
  settings.record_ttl = 500ms;
  ProducerCore core(settings, equal_map(1), listener, kT0, 5);
  core.add(record(1, "a"), kT0);
  EXPECT_EQ(core.take_requests(kT0 + 500ms, 0, false).size(), 0u);  // no slot: it cannot go
  ASSERT_EQ(listener.failed(), (std::vector<uint64_t>{1}));
  EXPECT_NE(listener.outcomes[0].error.message.find("never sent"), std::string::npos);
}

TEST(ProducerCore, FailIfThrottledFailsAtOnce) {
  RecordingListener listener;
  auto map = equal_map(1);
  auto settings = plain_settings();
  settings.fail_if_throttled = true;
  ProducerCore core(settings, map, listener, kT0, 5);
  core.add(record(1, "a"), kT0);
  auto requests = core.take_requests(kT0, 1, true);
  auto reply = answer(requests[0], *map, {{0, "ProvisionedThroughputExceededException"}});
  core.on_response(std::move(requests[0]), reply, kT0);
  ASSERT_EQ(listener.failed(), (std::vector<uint64_t>{1}));
  EXPECT_EQ(listener.outcomes[0].error.code, ErrorCode::kThrottled);
}

TEST(ProducerCore, AFailedRequestRetriesEveryEntry) {
  RecordingListener listener;
  auto map = equal_map(2);
  ProducerCore core(plain_settings(), map, listener, kT0, 5);
  core.add(record(1, "a"), kT0);
  core.add(record(2, "b"), kT0);
  auto requests = core.take_requests(kT0, 1, true);
  ASSERT_EQ(requests.size(), 1u);
  core.on_response(std::move(requests[0]),
                   Result<kinesis::PutRecordsResponse>(make_error(ErrorCode::kUnauthenticated, "expired token")), kT0);
  EXPECT_TRUE(listener.outcomes.empty());
  EXPECT_EQ(core.buffered_user_records(), 2u);
  auto retry = core.take_requests(kT0 + 1s, 1, false);
  ASSERT_EQ(retry.size(), 1u);
  EXPECT_EQ(retry[0].entries.size(), 2u);
}

TEST(ProducerCore, OversizeAndInvalidKeysAreRejectedAtOnce) {
  RecordingListener listener;
  auto settings = plain_settings();
  settings.max_record_size = 1000;
  ProducerCore core(settings, equal_map(1), listener, kT0, 5);
  core.add(record(1, "k", std::string(1000, 'x')), kT0);  // 1001 bytes with the key
  core.add(record(2, "", "x"), kT0);
  core.add(record(3, std::string(257, 'k'), "x"), kT0);
  core.add(record(4, std::string("\xff"), "x"), kT0);
  core.add(record(5, "k", std::string(999, 'x')), kT0);  // exactly 1000: fine
  ASSERT_EQ(listener.outcomes.size(), 4u);
  for (const auto& o : listener.outcomes) {
    EXPECT_EQ(o.kind, FailureKind::kRejected);
    EXPECT_EQ(o.error.code, ErrorCode::kInvalidArgument);
  }
  EXPECT_NE(listener.outcomes[0].error.message.find("1001 bytes"), std::string::npos);
  EXPECT_NE(listener.outcomes[1].error.message.find("0 characters"), std::string::npos);
  EXPECT_NE(listener.outcomes[2].error.message.find("257 characters"), std::string::npos);
  EXPECT_EQ(core.buffered_user_records(), 1u);
}

TEST(ProducerCore, RetainOrderingSendsOneEntryPerLaneAndRetriesBeforeLaterRecords) {
  RecordingListener listener;
  auto map = equal_map(2);
  auto settings = plain_settings();
  settings.retain_ordering = true;
  ProducerCore core(settings, map, listener, kT0, 9);
  const std::string k0 = key_on_shard(0, 2), k1 = key_on_shard(1, 2);
  core.add(record(1, k0), kT0);
  core.add(record(2, k0), kT0);
  core.add(record(3, k1), kT0);
  core.add(record(4, k0), kT0);
  auto first = core.take_requests(kT0, 8, true);
  ASSERT_EQ(first.size(), 1u);  // lane 0's second record must wait for the first's answer
  ASSERT_EQ(first[0].entries.size(), 2u);
  // Nothing more while both lanes have an entry in flight.
  EXPECT_TRUE(core.take_requests(kT0, 8, true).empty());
  // The record of lane 0 (ticket 1) is throttled; lane 1's is accepted.
  std::map<size_t, std::string> refused;
  for (size_t i = 0; i < 2; ++i)
    if (first[0].entries[i].tickets[0] == 1) refused[i] = "ProvisionedThroughputExceededException";
  auto reply = answer(first[0], *map, refused);
  core.on_response(std::move(first[0]), reply, kT0);
  EXPECT_EQ(listener.delivered(), (std::vector<uint64_t>{3}));
  // Lane 0 retries ticket 1 before 2 and 4, even after its backoff when others are ready.
  auto second = core.take_requests(kT0 + 1s, 8, true);
  ASSERT_EQ(second.size(), 1u);
  ASSERT_EQ(second[0].entries.size(), 1u);
  EXPECT_EQ(second[0].entries[0].tickets[0], 1u);
  auto ok = answer(second[0], *map);
  core.on_response(std::move(second[0]), ok, kT0 + 1s);
  std::vector<uint64_t> order;
  for (int i = 0; i < 3 && !core.idle(); ++i) {
    auto next = core.take_requests(kT0 + 2s, 8, true);
    ASSERT_EQ(next.size(), 1u);
    ASSERT_EQ(next[0].entries.size(), 1u);
    auto good = answer(next[0], *map);
    core.on_response(std::move(next[0]), good, kT0 + 2s);
  }
  EXPECT_EQ(listener.delivered(), (std::vector<uint64_t>{3, 1, 2, 4}));
}

TEST(ProducerCore, WithoutOrderingAFailedEntryDoesNotHoldItsLane) {
  RecordingListener listener;
  auto map = equal_map(1);
  ProducerCore core(plain_settings(), map, listener, kT0, 9);
  core.add(record(1, "a"), kT0);
  auto first = core.take_requests(kT0, 8, true);
  core.add(record(2, "a"), kT0);
  auto second = core.take_requests(kT0, 8, true);
  ASSERT_EQ(second.size(), 1u);  // two requests in flight on one lane
  auto refused = answer(first[0], *map, {{0, "InternalFailure"}});
  core.on_response(std::move(first[0]), refused, kT0);
  auto ok = answer(second[0], *map);
  core.on_response(std::move(second[0]), ok, kT0);
  EXPECT_EQ(listener.delivered(), (std::vector<uint64_t>{2}));
}

TEST(ProducerCore, AnAnswerFromAnotherShardAsksForARefresh) {
  RecordingListener listener;
  auto map = equal_map(2);
  ProducerCore core(plain_settings(), map, listener, kT0, 9);
  core.add(record(1, key_on_shard(0, 2)), kT0);
  auto requests = core.take_requests(kT0, 1, true);
  auto reply = answer(requests[0], *map);
  reply.records[0].shard_id = kinesis::ShardId("shardId-000000000009");
  core.on_response(std::move(requests[0]), reply, kT0);
  EXPECT_EQ(listener.delivered(), (std::vector<uint64_t>{1}));  // a plain record is where Kinesis put it: done
  EXPECT_EQ(core.counters().wrong_shard_entries, 1u);
  EXPECT_TRUE(core.take_refresh_wanted());
  EXPECT_FALSE(core.take_refresh_wanted());
}

TEST(ProducerCore, AKeyOutsideEveryShardStillGoesAndAsksForARefresh) {
  RecordingListener listener;
  ProducerCore core(plain_settings(), ShardMap::from_shards({}, 1), listener, kT0, 9);
  core.add(record(1, "a"), kT0);
  EXPECT_TRUE(core.take_refresh_wanted());
  auto requests = core.take_requests(kT0, 1, true);
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].entries.size(), 1u);
}

TEST(ProducerCore, TheRateLimiterSpreadsAShardsRecordsOverTime) {
  RecordingListener listener;
  auto map = equal_map(1);
  auto settings = plain_settings();
  settings.rate_limit_percent = 10;  // 100 records/s per shard
  ProducerCore core(settings, map, listener, kT0, 9);
  for (uint64_t i = 0; i < 250; ++i) core.add(record(i, "a"), kT0);
  size_t sent = 0;
  for (auto& r : core.take_requests(kT0, 10, true)) sent += r.entries.size();
  EXPECT_EQ(sent, 100u);  // a full bucket: one second's worth
  auto wake = core.next_wakeup(kT0);
  ASSERT_TRUE(wake.has_value());
  EXPECT_EQ(*wake, kT0 + 100ms);  // the rest is not due before its buffered time
  sent = 0;
  for (auto& r : core.take_requests(kT0 + 500ms, 10, false)) sent += r.entries.size();
  EXPECT_EQ(sent, 50u);  // 100 records/s for half a second
  wake = core.next_wakeup(kT0 + 500ms);
  ASSERT_TRUE(wake.has_value());
  EXPECT_LE(*wake, kT0 + 511ms);  // the next token comes 10 ms later
}

TEST(ProducerCore, ANewShardMapRetiresClosedShardsAndHoldsOrderedLanesUntilTheyDrain) {
  RecordingListener listener;
  auto settings = plain_settings();
  settings.retain_ordering = true;
  auto before = equal_map(1);
  ProducerCore core(settings, before, listener, kT0, 9);
  core.add(record(1, "a"), kT0);
  auto in_flight = core.take_requests(kT0, 4, true);
  ASSERT_EQ(in_flight.size(), 1u);
  // The shard splits: two new shards, the old one closes.
  auto shards = testing::equal_shards(2);
  for (auto& s : shards) s.shard_id = kinesis::ShardId(s.shard_id.str() + "-child");
  auto after = ShardMap::from_shards(shards, 2);
  core.on_shard_map(after, kT0);
  core.add(record(2, "a"), kT0);
  EXPECT_TRUE(core.take_requests(kT0, 4, true).empty());  // "a" may not overtake record 1 on the old shard
  auto reply = answer(in_flight[0], *before);
  core.on_response(std::move(in_flight[0]), reply, kT0);
  auto next = core.take_requests(kT0, 4, true);
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(next[0].entries[0].tickets[0], 2u);
  auto reply2 = answer(next[0], *after);
  core.on_response(std::move(next[0]), reply2, kT0);
  EXPECT_EQ(listener.delivered(), (std::vector<uint64_t>{1, 2}));
  EXPECT_FALSE(core.take_refresh_wanted());
}

// ---- per-lane statistics (the per-shard metrics) and abandon() (a stream that is gone)

TEST(ProducerCoreStats, EachLaneCountsWhatItsShardAccepted) {
  RecordingListener listener;
  auto map = equal_map(2);
  ProducerCore core(plain_settings(), map, listener, kT0, 1);
  for (uint64_t i = 0; i < 3; ++i) core.add(record(i, key_on_shard(0, 2, i), "abc"), kT0);
  core.add(record(10, key_on_shard(1, 2), "defgh"), kT0);
  auto requests = core.take_requests(kT0, 4, true);
  ASSERT_EQ(requests.size(), 1u);
  // The entry of shard 1 is throttled once, then accepted.
  size_t shard1 = 0;
  for (size_t i = 0; i < requests[0].entries.size(); ++i) {
    if (requests[0].entries[i].tickets[0] == 10) shard1 = i;
  }
  auto reply = answer(requests[0], *map, {{shard1, "ProvisionedThroughputExceededException"}});
  core.on_response(std::move(requests[0]), reply, kT0);
  auto retry = core.take_requests(kT0 + 1s, 4, true);
  ASSERT_EQ(retry.size(), 1u);
  core.on_response(std::move(retry[0]), answer(retry[0], *map), kT0 + 1s);

  const auto stats = core.lane_stats();
  ASSERT_EQ(stats.size(), 2u);
  EXPECT_EQ(stats[0].shard.str(), "shardId-000000000000");
  EXPECT_EQ(stats[0].entries_put, 3u);
  EXPECT_EQ(stats[0].user_records_put, 3u);
  size_t shard0_bytes = 0;
  for (size_t k = 0; k < 3; ++k) shard0_bytes += 3 + key_on_shard(0, 2, k).size();  // data + partition key
  EXPECT_EQ(stats[0].bytes_put, shard0_bytes);
  EXPECT_EQ(stats[0].throttled_entries, 0u);
  EXPECT_EQ(stats[1].shard.str(), "shardId-000000000001");
  EXPECT_EQ(stats[1].entries_put, 1u);
  EXPECT_EQ(stats[1].bytes_put, 5 + key_on_shard(1, 2).size());
  EXPECT_EQ(stats[1].throttled_entries, 1u);
  EXPECT_FALSE(stats[0].retired);
}

TEST(ProducerCoreStats, AnAggregateCountsOnceWithAllItsUserRecords) {
  RecordingListener listener;
  auto map = equal_map(1);
  auto settings = plain_settings();
  settings.aggregation = true;
  ProducerCore core(settings, map, listener, kT0, 1);
  for (uint64_t i = 0; i < 5; ++i) core.add(record(i, "k" + std::to_string(i)), kT0);
  auto requests = core.take_requests(kT0, 4, true);
  ASSERT_EQ(requests.size(), 1u);
  ASSERT_EQ(requests[0].entries.size(), 1u);
  const size_t wire = requests[0].entries[0].wire_size();
  core.on_response(std::move(requests[0]), answer(requests[0], *map), kT0);
  const auto stats = core.lane_stats();
  ASSERT_EQ(stats.size(), 1u);
  EXPECT_EQ(stats[0].entries_put, 1u);
  EXPECT_EQ(stats[0].user_records_put, 5u);
  EXPECT_EQ(stats[0].bytes_put, wire);
}

TEST(ProducerCoreStats, AClosedShardsLaneIsMarkedRetired) {
  RecordingListener listener;
  ProducerCore core(plain_settings(), equal_map(2), listener, kT0, 1);
  auto one = testing::equal_shards(1);
  one[0].shard_id = kinesis::ShardId("shardId-000000000002");
  core.on_shard_map(ShardMap::from_shards(one, 2), kT0);
  const auto stats = core.lane_stats();
  ASSERT_EQ(stats.size(), 3u);
  EXPECT_TRUE(stats[0].retired);
  EXPECT_TRUE(stats[1].retired);
  EXPECT_FALSE(stats[2].retired);
  EXPECT_EQ(stats[2].shard.str(), "shardId-000000000002");
}

TEST(ProducerCoreAbandon, FailsEverythingWaitingAndEverythingAfter) {
  RecordingListener listener;
  auto map = equal_map(2);
  auto settings = plain_settings();
  settings.aggregation = true;
  ProducerCore core(settings, map, listener, kT0, 1);
  for (uint64_t i = 0; i < 4; ++i) core.add(record(i, "k" + std::to_string(i)), kT0);
  auto in_flight = core.take_requests(kT0, 4, true);
  ASSERT_EQ(in_flight.size(), 1u);
  for (uint64_t i = 4; i < 7; ++i) core.add(record(i, "k" + std::to_string(i)), kT0);  // waiting in lanes
  const Error gone = make_error(ErrorCode::kNotFound, "stream gone");
  core.abandon(gone);
  EXPECT_TRUE(core.abandoned());
  std::vector<uint64_t> failed = listener.failed();
  std::sort(failed.begin(), failed.end());
  EXPECT_EQ(failed, (std::vector<uint64_t>{4, 5, 6}));
  for (const auto& o : listener.outcomes) {
    EXPECT_EQ(o.error.message, "stream gone");
    EXPECT_EQ(o.kind, FailureKind::kUndeliverable);
  }
  // Records added later fail at once.
  core.add(record(7, "k7"), kT0);
  EXPECT_EQ(listener.failed().size(), 4u);
  // The request in flight: a failed answer fails it instead of retrying; nothing is left.
  core.on_response(std::move(in_flight[0]), Result<kinesis::PutRecordsResponse>(gone), kT0 + 1ms);
  failed = listener.failed();
  std::sort(failed.begin(), failed.end());
  EXPECT_EQ(failed, (std::vector<uint64_t>{0, 1, 2, 3, 4, 5, 6, 7}));
  EXPECT_TRUE(core.idle());
  EXPECT_TRUE(listener.delivered().empty());
}

TEST(ProducerCoreAbandon, WhatKinesisAcceptsInFlightStillCountsAsDelivered) {
  RecordingListener listener;
  auto map = equal_map(1);
  ProducerCore core(plain_settings(), map, listener, kT0, 1);
  core.add(record(1, "a"), kT0);
  core.add(record(2, "b"), kT0);
  auto requests = core.take_requests(kT0, 4, true);
  ASSERT_EQ(requests.size(), 1u);
  core.abandon(make_error(ErrorCode::kNotFound, "gone"));
  core.on_response(std::move(requests[0]), answer(requests[0], *map, {{1, "InternalFailure"}}), kT0);
  EXPECT_EQ(listener.delivered(), (std::vector<uint64_t>{1}));
  EXPECT_EQ(listener.failed(), (std::vector<uint64_t>{2}));
  EXPECT_TRUE(core.idle());
}

}  // namespace
}  // namespace pk::sink
