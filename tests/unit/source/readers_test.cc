// The shard readers against scripted Kinesis answers: what no emulator does on demand (expired iterators,
// throttling, ended subscriptions, errors mid-stream) and the positions they resume from.
#include <deque>

#include <gtest/gtest.h>
#include <boost/asio/io_context.hpp>

#include "source/fan_out_reader.h"
#include "source/polling_reader.h"
#include "support/async_test.h"

namespace pk::source {
namespace {

using namespace std::chrono_literals;
namespace asio = boost::asio;
using kinesis::SequenceNumber;
using kinesis::StartingPosition;

SequenceNumber seq(uint64_t n) {
  return SequenceNumber::from_digits(std::to_string(n)).value();
}

// A batch of records with sequence numbers `from`..`to` (their storage lives in the batch).
struct OwnedTexts : kinesis::RecordStorage {
  std::deque<std::string> texts;
};
kinesis::RecordBatch records(uint64_t from, uint64_t to, size_t data_size = 0) {
  auto storage = std::make_shared<OwnedTexts>();
  std::vector<kinesis::RecordView> views;
  for (uint64_t n = from; n <= to; ++n) {
    kinesis::RecordView v;
    v.sequence_number = storage->texts.emplace_back(std::to_string(n));
    v.partition_key = storage->texts.emplace_back("k");
    v.data = storage->texts.emplace_back(data_size > 0 ? std::string(data_size, 'd') : "d" + std::to_string(n));
    v.storage = storage.get();
    views.push_back(v);
  }
  return kinesis::RecordBatch(std::move(views), storage);
}

kinesis::GetRecordsResponse page(kinesis::RecordBatch batch, std::optional<std::string> next, int64_t behind = 0) {
  kinesis::GetRecordsResponse r;
  r.records = std::move(batch);
  r.next_shard_iterator = std::move(next);
  r.millis_behind_latest = behind;
  return r;
}

Error aws_error(ErrorCode code, std::string type) {
  return make_error(code, type + ": scripted", type);
}

// Scripted PollingApi: answers in order; records what was asked.
struct ScriptedPolling {
  std::deque<Result<std::string>> iterators;
  std::deque<Result<kinesis::GetRecordsResponse>> pages;
  std::vector<std::string> positions;  // "AFTER:7", "TRIM_HORIZON", ...
  std::vector<std::string> iterators_used;
  std::vector<int> limits;  // the Limit of each GetRecords call

  PollingApi api() {
    PollingApi api;
    api.get_shard_iterator = [this](StartingPosition p) -> asio::awaitable<Result<std::string>> {
      positions.push_back(std::string(kinesis::to_string(p.type)) +
                          (p.sequence_number.str().empty() ? "" : ":" + p.sequence_number.str()));
      auto next = std::move(iterators.front());
      iterators.pop_front();
      co_return next;
    };
    api.get_records = [this](std::string iterator, int limit) -> asio::awaitable<Result<kinesis::GetRecordsResponse>> {
      iterators_used.push_back(iterator);
      limits.push_back(limit);
      auto next = std::move(pages.front());
      pages.pop_front();
      co_return next;
    };
    return api;
  }
};

PollingSettings fast_polling() {
  PollingSettings s;
  s.min_call_interval = 1ms;
  s.idle_interval = 5ms;
  s.backoff = 5ms;
  return s;
}

template <typename Reader>
Result<ShardBatch> next_of(Reader& reader) {
  return pk::testing::run_coroutine<Result<ShardBatch>>([&] { return reader.next(); });
}

TEST(PollingReader, ReadsPagesAndRenewsAnExpiredIteratorAfterTheLastRecord) {
  ScriptedPolling s;
  s.iterators = {std::string("it-1"), std::string("it-2")};
  s.pages.push_back(page(records(1, 3), "it-1b", 500));
  s.pages.push_back(
      Result<kinesis::GetRecordsResponse>(aws_error(ErrorCode::kInvalidArgument, "ExpiredIteratorException")));
  s.pages.push_back(page(records(4, 4), "it-2b"));
  PollingReader reader(pk::testing::coroutine_loop().get_executor(), s.api(), fast_polling(),
                       StartingPosition::trim_horizon());
  auto first = next_of(reader);
  ASSERT_TRUE(first.ok()) << first.error().to_string();
  EXPECT_EQ(first->records.size(), 3u);
  EXPECT_EQ(first->millis_behind_latest, 500);
  auto second = next_of(reader);
  ASSERT_TRUE(second.ok()) << second.error().to_string();
  ASSERT_EQ(second->records.size(), 1u);
  EXPECT_EQ(second->records[0].sequence_number, "4");
  EXPECT_EQ(s.positions, (std::vector<std::string>{"TRIM_HORIZON", "AFTER_SEQUENCE_NUMBER:3"}));
  EXPECT_EQ(s.iterators_used, (std::vector<std::string>{"it-1", "it-1b", "it-2"}));
  EXPECT_EQ(reader.counters().renewals, 1u);
}

TEST(PollingReader, EachCallsLimitKeepsItsAnswerNearTheByteBudget) {
  ScriptedPolling s;
  s.iterators = {std::string("it-1")};
  s.pages.push_back(page(records(1, 4, 1023), "it-2", 1000));     // 1 KiB a record with its 1-byte key
  s.pages.push_back(page(records(5, 6, 99), "it-3", 1000));       // 100 B
  s.pages.push_back(page(records(7, 7, 3 << 20), "it-4", 1000));  // one record over the budget
  s.pages.push_back(page(kinesis::RecordBatch(), "it-5", 1000));  // nothing: the Limit stays
  s.pages.push_back(page(records(8, 8), "it-6"));
  PollingSettings settings = fast_polling();
  settings.bytes_per_call = 1 << 20;
  settings.max_records = 5000;
  PollingReader reader(pk::testing::coroutine_loop().get_executor(), s.api(), settings,
                       StartingPosition::trim_horizon());
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(next_of(reader).ok()) << i;
  // first_limit; 1 MiB / 1 KiB; 1 MiB / 100 B capped by max_records; at least 1; unchanged after an empty page.
  EXPECT_EQ(s.limits, (std::vector<int>{40, 1024, 5000, 1, 1}));
}

TEST(PollingReader, RetriesThrottlingAndEndsAtTheShardEnd) {
  ScriptedPolling s;
  s.iterators = {Result<std::string>(aws_error(ErrorCode::kThrottled, "ProvisionedThroughputExceededException")),
                 std::string("it-1")};
  s.pages.push_back(
      Result<kinesis::GetRecordsResponse>(aws_error(ErrorCode::kThrottled, "ProvisionedThroughputExceededException")));
  auto end = page(records(8, 9), std::nullopt);
  kinesis::ChildShard child;
  child.shard_id = kinesis::ShardId("shardId-000000000002");
  end.child_shards.push_back(child);
  s.pages.push_back(std::move(end));
  PollingReader reader(pk::testing::coroutine_loop().get_executor(), s.api(), fast_polling(),
                       StartingPosition::after(seq(7)));
  auto batch = next_of(reader);
  ASSERT_TRUE(batch.ok()) << batch.error().to_string();
  EXPECT_TRUE(batch->shard_end);
  EXPECT_EQ(batch->records.size(), 2u);
  ASSERT_EQ(batch->children.size(), 1u);
  EXPECT_EQ(batch->children[0].shard_id.str(), "shardId-000000000002");
  EXPECT_EQ(reader.counters().throttled, 2u);
  EXPECT_EQ(s.positions, (std::vector<std::string>{"AFTER_SEQUENCE_NUMBER:7", "AFTER_SEQUENCE_NUMBER:7"}));
  auto after_end = next_of(reader);
  EXPECT_FALSE(after_end.ok());
}

TEST(PollingReader, AFatalErrorIsReturned) {
  ScriptedPolling s;
  s.iterators = {Result<std::string>(aws_error(ErrorCode::kNotFound, "ResourceNotFoundException"))};
  PollingReader reader(pk::testing::coroutine_loop().get_executor(), s.api(), fast_polling(),
                       StartingPosition::latest());
  auto batch = next_of(reader);
  ASSERT_FALSE(batch.ok());
  EXPECT_EQ(batch.error().type, "ResourceNotFoundException");
  EXPECT_NE(batch.error().message.find("GetShardIterator"), std::string::npos);
}

TEST(PollingReader, WaitsTheIdleIntervalWhenCaughtUp) {
  ScriptedPolling s;
  s.iterators = {std::string("it")};
  s.pages.push_back(page({}, "it2", 0));
  s.pages.push_back(page(records(1, 1), "it3", 0));
  auto settings = fast_polling();
  settings.idle_interval = 150ms;
  PollingReader reader(pk::testing::coroutine_loop().get_executor(), s.api(), settings, StartingPosition::latest());
  ASSERT_TRUE(next_of(reader).ok());
  const auto before = std::chrono::steady_clock::now();
  auto second = next_of(reader);
  ASSERT_TRUE(second.ok());
  EXPECT_GE(std::chrono::steady_clock::now() - before, 140ms);
}

// ---- fan-out ----

struct ScriptedEvents final : EventStream {
  std::deque<Result<std::optional<kinesis::SubscribeToShardEvent>>> events;
  asio::awaitable<Result<std::optional<kinesis::SubscribeToShardEvent>>> next() override {
    if (events.empty()) co_return std::optional<kinesis::SubscribeToShardEvent>();  // the service ends it
    auto e = std::move(events.front());
    events.pop_front();
    co_return e;
  }
  void cancel() override {}
};

kinesis::SubscribeToShardEvent event(kinesis::RecordBatch batch, std::optional<uint64_t> continuation) {
  kinesis::SubscribeToShardEvent e;
  e.records = std::move(batch);
  if (continuation) e.continuation_sequence_number = seq(*continuation);
  return e;
}

struct ScriptedFanOut {
  std::deque<std::unique_ptr<ScriptedEvents>> subscriptions;
  std::vector<std::string> positions;
  ScriptedPolling polling;

  FanOutApi api() {
    FanOutApi api;
    api.polling = polling.api();
    api.subscribe = [this](StartingPosition p) -> asio::awaitable<Result<std::unique_ptr<EventStream>>> {
      positions.push_back(std::string(kinesis::to_string(p.type)) +
                          (p.sequence_number.str().empty() ? "" : ":" + p.sequence_number.str()));
      if (subscriptions.empty()) co_return aws_error(ErrorCode::kUnavailable, "ResourceInUseException");
      std::unique_ptr<EventStream> next = std::move(subscriptions.front());
      subscriptions.pop_front();
      co_return next;
    };
    return api;
  }
};

FanOutSettings fast_fan_out() {
  FanOutSettings s;
  s.min_subscribe_interval = 1ms;
  s.backoff = 5ms;
  s.probe_interval = 1h;
  return s;
}

TEST(FanOutReader, ResubscribesFromTheLastContinuationAfterEndsAndErrors) {
  ScriptedFanOut f;
  auto first = std::make_unique<ScriptedEvents>();
  first->events.push_back(std::optional(event(records(1, 2), 2)));
  first->events.push_back(std::optional(event({}, 5)));  // an empty event still advances the continuation
  // then the service ends the subscription
  auto second = std::make_unique<ScriptedEvents>();
  second->events.push_back(std::optional(event(records(6, 6), 6)));
  second->events.push_back(
      Result<std::optional<kinesis::SubscribeToShardEvent>>(aws_error(ErrorCode::kIo, "connection reset")));
  auto third = std::make_unique<ScriptedEvents>();
  kinesis::SubscribeToShardEvent end = event(records(7, 7), std::nullopt);
  third->events.push_back(std::optional(std::move(end)));
  f.subscriptions.push_back(std::move(first));
  f.subscriptions.push_back(std::move(second));
  f.subscriptions.push_back(std::move(third));
  FanOutReader reader(pk::testing::coroutine_loop().get_executor(), f.api(), fast_fan_out(),
                      StartingPosition::after(seq(0)));
  std::vector<std::string> seen;
  bool ended = false;
  for (int i = 0; i < 6 && !ended; ++i) {
    auto batch = next_of(reader);
    ASSERT_TRUE(batch.ok()) << batch.error().to_string();
    for (const auto& r : batch->records) seen.emplace_back(r.sequence_number);
    ended = batch->shard_end;
  }
  EXPECT_TRUE(ended);
  EXPECT_EQ(seen, (std::vector<std::string>{"1", "2", "6", "7"}));
  EXPECT_EQ(f.positions, (std::vector<std::string>{"AFTER_SEQUENCE_NUMBER:0", "AFTER_SEQUENCE_NUMBER:5",
                                                   "AFTER_SEQUENCE_NUMBER:6"}));
  EXPECT_EQ(reader.counters().renewals, 2u);
}

TEST(FanOutReader, AQuietShardIsProbedForItsEnd) {
  ScriptedFanOut f;
  auto stream = std::make_unique<ScriptedEvents>();
  stream->events.push_back(std::optional(event(records(1, 1), 1)));
  stream->events.push_back(std::optional(event({}, 1)));
  f.subscriptions.push_back(std::move(stream));
  f.polling.iterators = {std::string("probe-it")};
  f.polling.pages.push_back(page({}, std::nullopt));  // no NextShardIterator, no records: the end
  auto settings = fast_fan_out();
  settings.probe_interval = 0ms;
  FanOutReader reader(pk::testing::coroutine_loop().get_executor(), f.api(), settings,
                      StartingPosition::trim_horizon());
  auto first = next_of(reader);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->records.size(), 1u);
  auto second = next_of(reader);
  ASSERT_TRUE(second.ok()) << second.error().to_string();
  EXPECT_TRUE(second->shard_end);
  EXPECT_EQ(f.polling.positions, (std::vector<std::string>{"AFTER_SEQUENCE_NUMBER:1"}));
  EXPECT_EQ(reader.counters().shard_end_probes, 1u);
}

TEST(FanOutReader, BusySubscriptionsAreRetriedUntilCancelled) {
  ScriptedFanOut f;  // no subscription scripted: every subscribe answers ResourceInUseException (retryable)
  FanOutReader reader(pk::testing::coroutine_loop().get_executor(), f.api(), fast_fan_out(),
                      StartingPosition::latest());
  // Busy forever: next() keeps retrying, so cancel it from a timer.
  asio::steady_timer stop(pk::testing::coroutine_loop(), 60ms);
  stop.async_wait([&](const boost::system::error_code&) { reader.cancel(); });
  auto batch = next_of(reader);
  ASSERT_FALSE(batch.ok());
  EXPECT_EQ(batch.error().code, ErrorCode::kCancelled);
  EXPECT_GE(f.positions.size(), 3u);
}

}  // namespace
}  // namespace pk::source
