// The /status and /readyz JSON documents, byte for byte, and the StatusBoard: rates from reports at known times,
// recent errors, readiness, pipeline_up, concurrent publishers and readers.
#include "metrics/status.h"

#include <atomic>
#include <thread>

#include <gtest/gtest.h>

#include "metrics/status_board.h"

namespace pk::metrics {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using std::chrono::steady_clock;
using std::chrono::system_clock;

TEST(StatusJson, SchemaByteForByte) {
  ProcessStatus s{.version = "0.1.0", .started_at = 1000, .now = 5000, .pipelines = {}};
  PipelineStatus p;
  p.name = "orders \"sink\"";
  p.kind = PipelineKind::kSource;
  p.state = PipelineState::kDraining;
  p.started_at = 1100;
  p.updated_at = 4900;
  p.counters = {
      .records_in = 1, .records_out = 2, .bytes_in = 3, .bytes_out = 4, .failures = 5, .retries = 6, .throttles = 7};
  p.rates = {.records_in_per_s = 1.5,
             .records_out_per_s = 2,
             .bytes_in_per_s = 0.25,
             .bytes_out_per_s = 100,
             .failures_per_s = 0};
  p.in_flight_messages = 8;
  p.in_flight_bytes = 9;
  p.lag = {.backlog_messages = std::nullopt, .millis_behind_latest = 1234, .checkpoint_lag_records = 0};
  p.shards.push_back({.id = "shardId-1",
                      .records_per_s = 12.5,
                      .bytes_per_s = 1250,
                      .records = 10,
                      .bytes = 20,
                      .millis_behind_latest = 77,
                      .lease_owner = "worker-\xFF",
                      .throttles = 2});
  p.shards.push_back({.id = "shardId-2",
                      .records_per_s = 0,
                      .bytes_per_s = 0,
                      .records = 0,
                      .bytes = 0,
                      .millis_behind_latest = std::nullopt,
                      .lease_owner = std::nullopt,
                      .throttles = 0});
  p.topics.push_back({.name = "persistent://public/default/t", .records_per_s = 3, .records = 30});
  p.recent_errors.push_back({.time = 4800, .message = "line1\nline2 \\ \x01", .count = 3});
  s.pipelines.push_back(p);
  EXPECT_EQ(to_json(s),
            R"({"version":"0.1.0","started_at":1000,"now":5000,"pipelines":[{"name":"orders \"sink\"",)"
            R"("kind":"source","state":"draining","started_at":1100,"updated_at":4900,)"
            R"("counters":{"records_in":1,"records_out":2,"bytes_in":3,"bytes_out":4,"failures":5,"retries":6,)"
            R"("throttles":7},"rates":{"records_in_per_s":1.5,"records_out_per_s":2.0,"bytes_in_per_s":0.25,)"
            R"("bytes_out_per_s":100.0,"failures_per_s":0.0},"in_flight":{"messages":8,"bytes":9},)"
            R"("lag":{"backlog_messages":null,"millis_behind_latest":1234,"checkpoint_lag_records":0},)"
            R"("shards":[{"id":"shardId-1","records_per_s":12.5,"bytes_per_s":1250.0,"records":10,"bytes":20,)"
            R"("millis_behind_latest":77,"lease_owner":"worker-)"
            "\xEF\xBF\xBD"
            R"(","throttles":2},{"id":"shardId-2","records_per_s":0.0,"bytes_per_s":0.0,"records":0,"bytes":0,)"
            R"("millis_behind_latest":null,"lease_owner":null,"throttles":0}],)"
            R"("topics":[{"name":"persistent://public/default/t","records_per_s":3.0,"records":30}],)"
            R"("recent_errors":[{"time":4800,"message":"line1\nline2 \\ \u0001","count":3}]}]})");
}

TEST(StatusJson, NonFiniteRatesBecomeZero) {
  ProcessStatus s;
  PipelineStatus p;
  p.rates.records_in_per_s = std::numeric_limits<double>::infinity();
  p.rates.records_out_per_s = std::numeric_limits<double>::quiet_NaN();
  s.pipelines.push_back(p);
  const std::string json = to_json(s);
  EXPECT_NE(json.find(R"("records_in_per_s":0.0,"records_out_per_s":0.0)"), std::string::npos) << json;
}

TEST(StatusJson, Readiness) {
  EXPECT_EQ(to_json(Readiness{.ready = true, .reason = "2 pipelines running"}),
            R"({"ready":true,"reason":"2 pipelines running"})");
  EXPECT_EQ(to_json(Readiness{.ready = false, .reason = "pipeline 'a' is starting"}),
            R"({"ready":false,"reason":"pipeline 'a' is starting"})");
}

// A clock the test sets; the board reads it from its own thread in the concurrency test, hence atomics.
class TestClock final : public Clock {
 public:
  system_clock::time_point now() const override { return system_clock::time_point(milliseconds(wall_ms_.load())); }
  steady_clock::time_point steady_now() const override {
    return steady_clock::time_point(milliseconds(steady_ms_.load()));
  }
  void advance(milliseconds d) {
    wall_ms_ += d.count();
    steady_ms_ += d.count();
  }

 private:
  std::atomic<int64_t> wall_ms_{1'700'000'000'000};
  std::atomic<int64_t> steady_ms_{1'000'000};
};

PipelineReport report(uint64_t in, uint64_t out, uint64_t shard_a, uint64_t shard_b, uint64_t topic) {
  PipelineReport r;
  r.counters.records_in = in;
  r.counters.records_out = out;
  r.counters.bytes_out = out * 10;
  r.shards.push_back({.id = "b", .records = shard_b, .bytes = shard_b * 100});
  r.shards.push_back({.id = "a", .records = shard_a, .bytes = shard_a * 100});
  r.topics.push_back({.name = "t", .records = topic});
  return r;
}

TEST(StatusBoard, AddedPipelinesStartAsStarting) {
  TestClock clock;
  StatusBoard board({.version = "9.9"}, clock);
  auto r = board.add_pipeline("p", PipelineKind::kSink);
  clock.advance(seconds(3));
  const ProcessStatus s = board.snapshot();
  EXPECT_EQ(s.version, "9.9");
  EXPECT_EQ(s.started_at, 1'700'000'000'000);
  EXPECT_EQ(s.now, 1'700'000'003'000);
  ASSERT_EQ(s.pipelines.size(), 1u);
  EXPECT_EQ(s.pipelines[0].name, "p");
  EXPECT_EQ(s.pipelines[0].state, PipelineState::kStarting);
  EXPECT_EQ(s.pipelines[0].started_at, 1'700'000'000'000);
  EXPECT_EQ(s.pipelines[0].updated_at, 0);
  EXPECT_EQ(board.add_pipeline("p", PipelineKind::kSink), r);  // the same name: the same entry
}

TEST(StatusBoard, RatesCoverTheWindowAndShardsAreSorted) {
  TestClock clock;
  StatusBoard board({.version = "v", .rate_window = seconds(5)}, clock);
  auto r = board.add_pipeline("p", PipelineKind::kSink);
  r->publish(report(0, 0, 0, 0, 0));
  PipelineStatus s = r->status();
  EXPECT_EQ(s.rates.records_in_per_s, 0);  // one report: no rate yet
  ASSERT_EQ(s.shards.size(), 2u);
  EXPECT_EQ(s.shards[0].id, "a");

  // One report a second, 100 records in and 50 out per second; shard a 30/s, b 20/s; topic 100/s.
  for (uint64_t i = 1; i <= 8; ++i) {
    clock.advance(seconds(1));
    r->publish(report(100 * i, 50 * i, 30 * i, 20 * i, 100 * i));
  }
  s = r->status();
  EXPECT_EQ(s.counters.records_in, 800u);
  EXPECT_DOUBLE_EQ(s.rates.records_in_per_s, 100);
  EXPECT_DOUBLE_EQ(s.rates.records_out_per_s, 50);
  EXPECT_DOUBLE_EQ(s.rates.bytes_out_per_s, 500);
  ASSERT_EQ(s.shards.size(), 2u);
  EXPECT_EQ(s.shards[0].id, "a");
  EXPECT_DOUBLE_EQ(s.shards[0].records_per_s, 30);
  EXPECT_DOUBLE_EQ(s.shards[0].bytes_per_s, 3000);
  EXPECT_EQ(s.shards[0].records, 240u);
  EXPECT_DOUBLE_EQ(s.shards[1].records_per_s, 20);
  ASSERT_EQ(s.topics.size(), 1u);
  EXPECT_DOUBLE_EQ(s.topics[0].records_per_s, 100);
  EXPECT_EQ(s.updated_at, 1'700'000'008'000);

  // The rate follows a change within the window: 5 s at 200/s more replaces the old rate entirely.
  for (uint64_t i = 1; i <= 5; ++i) {
    clock.advance(seconds(1));
    r->publish(report(800 + 200 * i, 400, 240, 160, 800));
  }
  s = r->status();
  EXPECT_DOUBLE_EQ(s.rates.records_in_per_s, 200);
  EXPECT_DOUBLE_EQ(s.rates.records_out_per_s, 0);
  EXPECT_DOUBLE_EQ(s.shards[0].records_per_s, 0);
}

TEST(StatusBoard, ANewShardGetsARateFromItsFirstReportAndACounterResetIsZero) {
  TestClock clock;
  StatusBoard board({.version = "v", .rate_window = seconds(10)}, clock);
  auto r = board.add_pipeline("p", PipelineKind::kSource);
  PipelineReport first;
  first.counters.records_in = 1000;
  r->publish(first);
  clock.advance(seconds(2));
  PipelineReport second;
  second.counters.records_in = 10;  // went down: a restart
  second.shards.push_back({.id = "new", .records = 40});
  r->publish(second);
  clock.advance(seconds(2));
  PipelineReport third = second;
  third.shards[0].records = 100;
  r->publish(third);
  const PipelineStatus s = r->status();
  EXPECT_DOUBLE_EQ(s.rates.records_in_per_s, 0);
  ASSERT_EQ(s.shards.size(), 1u);
  EXPECT_DOUBLE_EQ(s.shards[0].records_per_s, 30);  // (100 - 40) / 2 s
}

TEST(StatusBoard, RecentErrorsFoldRepeatsKeepTheNewestFirstAndAreBounded) {
  TestClock clock;
  StatusBoard board({.version = "v", .max_errors = 3, .max_error_length = 10}, clock);
  auto r = board.add_pipeline("p", PipelineKind::kSink);
  r->report_error("first");
  clock.advance(seconds(1));
  r->report_error("second");
  clock.advance(seconds(1));
  r->report_error("second");
  clock.advance(seconds(1));
  r->report_error("a message longer than ten bytes");
  clock.advance(seconds(1));
  r->report_error("fourth");
  const PipelineStatus s = r->status();
  ASSERT_EQ(s.recent_errors.size(), 3u);
  EXPECT_EQ(s.recent_errors[0].message, "fourth");
  EXPECT_EQ(s.recent_errors[1].message, "a message ...");
  EXPECT_EQ(s.recent_errors[2].message, "second");
  EXPECT_EQ(s.recent_errors[2].count, 2u);
  EXPECT_EQ(s.recent_errors[2].time, 1'700'000'002'000);
  EXPECT_EQ(s.recent_errors[0].time, 1'700'000'004'000);
}

TEST(StatusBoard, ReadinessNamesThePipelinesThatAreNotRunning) {
  TestClock clock;
  StatusBoard board({.version = "v"}, clock);
  EXPECT_FALSE(board.readiness().ready);
  EXPECT_EQ(board.readiness().reason, "no pipeline has been added yet");
  auto a = board.add_pipeline("a", PipelineKind::kSink);
  auto b = board.add_pipeline("b", PipelineKind::kSource);
  a->set_state(PipelineState::kRunning);
  Readiness r = board.readiness();
  EXPECT_FALSE(r.ready);
  EXPECT_EQ(r.reason, "pipeline 'b' is starting");
  b->set_state(PipelineState::kFailed);
  a->set_state(PipelineState::kDraining);
  EXPECT_EQ(board.readiness().reason, "pipeline 'a' is draining, pipeline 'b' is failed");
  a->set_state(PipelineState::kRunning);
  PipelineReport running;
  running.state = PipelineState::kRunning;
  b->publish(running);
  r = board.readiness();
  EXPECT_TRUE(r.ready);
  EXPECT_EQ(r.reason, "2 pipelines running");
  board.remove_pipeline("a");
  EXPECT_EQ(board.readiness().reason, "1 pipeline running");
}

TEST(StatusBoard, PipelineUpFollowsTheStateAndLeavesWithThePipeline) {
  TestClock clock;
  Registry registry;
  StatusBoard board({.version = "v"}, clock, &registry);
  auto a = board.add_pipeline("a", PipelineKind::kSink);
  auto b = board.add_pipeline("b", PipelineKind::kSource);
  b->set_state(PipelineState::kRunning);
  EXPECT_EQ(registry.render(),
            "# HELP pulsar_kinesis_pipeline_up 1 while the pipeline runs, 0 while it starts, drains or has stopped.\n"
            "# TYPE pulsar_kinesis_pipeline_up gauge\n"
            "pulsar_kinesis_pipeline_up{pipeline=\"a\",kind=\"sink\"} 0\n"
            "pulsar_kinesis_pipeline_up{pipeline=\"b\",kind=\"source\"} 1\n");
  board.remove_pipeline("b");
  EXPECT_EQ(registry.render().find("pipeline=\"b\""), std::string::npos);
  b.reset();
}

TEST(StatusBoard, ConcurrentPublishersAndReaders) {
  TestClock clock;
  Registry registry;
  StatusBoard board({.version = "v"}, clock, &registry);
  constexpr int kPipelines = 3;
  constexpr uint64_t kReports = 2000;
  std::atomic<bool> done{false};
  std::vector<std::thread> threads;
  for (int p = 0; p < kPipelines; ++p) {
    threads.emplace_back([&, p] {
      auto r = board.add_pipeline("p" + std::to_string(p), PipelineKind::kSink);
      for (uint64_t i = 1; i <= kReports; ++i) {
        PipelineReport rep = report(i, i, i, i, i);
        r->publish(rep);
        if (i % 100 == 0) r->report_error("error " + std::to_string(i % 300));
      }
    });
  }
  std::thread reader([&] {
    while (!done.load()) {
      const std::string json = to_json(board.snapshot());
      EXPECT_EQ(json.front(), '{');
      (void)board.readiness();
      (void)registry.render();
      clock.advance(milliseconds(1));
    }
  });
  for (auto& t : threads) t.join();
  done = true;
  reader.join();
  const ProcessStatus s = board.snapshot();
  ASSERT_EQ(s.pipelines.size(), size_t{kPipelines});
  for (const PipelineStatus& p : s.pipelines) EXPECT_EQ(p.counters.records_in, kReports);
}

}  // namespace
}  // namespace pk::metrics
