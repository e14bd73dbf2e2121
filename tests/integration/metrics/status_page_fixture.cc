// status_page_fixture: serves the admin endpoint for the browser test, with a sink and a source pipeline whose
// numbers follow a known schedule (test_status_page.py computes the same numbers on its own).
//
//   status_page_fixture            prints "listening http://127.0.0.1:PORT/" and "step 0", then one step a second
//   stdin "pause"                  stops stepping; answers "paused at step K"
//   stdin "step"                   one step more (paused or not); answers "step K"
//   stdin "quit" or end of input   stops the server and exits 0
//
// Step k publishes each pipeline's report taken at k seconds after the start (explicit times, so the board's rates
// are exact whatever the machine's speed). The counters are the real cells of SinkMetrics / SourceMetrics, so
// /metrics shows the same numbers. In the schedule, a series grows at step j by base + slope * (j % 4).

#include <atomic>
#include <chrono>
#include <iostream>
#include <mutex>
#include <string>
#include <thread>

#include "metrics/admin_server.h"
#include "metrics/pipeline_metrics.h"
#include "net/runtime.h"

namespace {

using namespace pk;
using namespace pk::metrics;

// What series `base`/`slope` has counted after `k` steps.
uint64_t total(uint64_t base, uint64_t slope, uint64_t k) {
  uint64_t sum = 0;
  for (uint64_t j = 1; j <= k; ++j) sum += base + slope * (j % 4);
  return sum;
}

constexpr const char* kSinkShards[] = {"shardId-000000000000", "shardId-000000000001", "shardId-000000000002"};
constexpr const char* kSinkTopics[] = {"persistent://public/default/orders", "persistent://public/default/payments"};
constexpr const char* kSourceShards[] = {"shardId-000000000000", "shardId-000000000001"};
constexpr const char* kOwners[] = {"worker-a", "worker-b"};
constexpr const char* kSourceTopic = "persistent://public/default/orders-copy";

class Schedule {
 public:
  Schedule(Registry& registry, StatusBoard& board)
      : sink_(std::move(*SinkMetrics::create(registry, "orders-sink"))),
        source_(std::move(*SourceMetrics::create(registry, "orders-source"))),
        sink_reporter_(board.add_pipeline("orders-sink", PipelineKind::kSink)),
        source_reporter_(board.add_pipeline("orders-source", PipelineKind::kSource)),
        steady0_(std::chrono::steady_clock::now()),
        wall0_(std::chrono::system_clock::now()) {}

  // Sets every cell to its value at step k and publishes both reports. Steps only go forward.
  void publish(uint64_t k) {
    for (uint64_t i = 0; i < 3; ++i) {
      SinkMetrics::Shard& s = sink_->shard(kSinkShards[i]);
      set(s.user_records_put, total(40 + 30 * i, 10, k));
      set(s.records_put, total(4 + 3 * i, 1, k));
      set(s.bytes_put, total((40 + 30 * i) * 250, 1000, k));
      set(s.throttles, i == 2 ? k : 0);
    }
    set(sink_->topic(kSinkTopics[0]).messages_received, total(120, 20, k));
    set(sink_->topic(kSinkTopics[1]).messages_received, total(45, 5, k));
    set(sink_->rejected, k);
    set(sink_->dead_lettered, 2 * k);
    set(sink_->entry_retries, 7 * k);
    sink_->in_flight_messages.set(static_cast<double>(1000 + 10 * k));
    sink_->in_flight_bytes.set(static_cast<double>((1000 + 10 * k) * 300));
    PipelineReport sink_report;
    sink_->fill(sink_report);
    sink_report.state = PipelineState::kRunning;
    sink_report.lag.backlog_messages = static_cast<int64_t>(5000 + 25 * k);

    for (uint64_t i = 0; i < 2; ++i) {
      SourceMetrics::Shard& s = source_->shard(kSourceShards[i]);
      set(s.records_received, total(80 - 60 * i, 8, k));
      set(s.bytes_received, total((80 - 60 * i) * 512, 512, k));
      s.behind_latest_seconds.set(i == 0 ? static_cast<double>(2000 + 100 * k) / 1000 : 0.25);
      s.checkpoint_lag_records.set(i == 0 ? 300 : 120);
    }
    SourceMetrics::Topic& topic = source_->topic(kSourceTopic);
    set(topic.messages_published, total(95, 9, k));
    set(topic.bytes_published, total(95 * 512, 900, k));
    source_->in_flight_messages.set(64);
    source_->leases_held.set(2);
    PipelineReport source_report;
    source_->fill(source_report);
    source_report.state = PipelineState::kRunning;
    for (uint64_t i = 0; i < 2; ++i) source_report.shards[i].lease_owner = kOwners[i];

    const auto at = steady0_ + std::chrono::seconds(k);
    const auto wall = wall0_ + std::chrono::seconds(k);
    sink_reporter_->publish(sink_report, at, wall);
    source_reporter_->publish(source_report, at, wall);
    if (k >= 2)
      sink_reporter_->report_error("PutRecords: ProvisionedThroughputExceededException for shardId-000000000002");
    if (k == 3) source_reporter_->report_error("GetRecords shardId-000000000001: connection reset by peer");
  }

 private:
  // Counters only go up: add what the schedule says is missing.
  static void set(Counter& c, uint64_t value) {
    if (value > c.value()) c.inc(value - c.value());
  }

  std::unique_ptr<SinkMetrics> sink_;
  std::unique_ptr<SourceMetrics> source_;
  std::shared_ptr<PipelineReporter> sink_reporter_;
  std::shared_ptr<PipelineReporter> source_reporter_;
  std::chrono::steady_clock::time_point steady0_;
  std::chrono::system_clock::time_point wall0_;
};

}  // namespace

int main() {
  net::Runtime runtime(1, 1);
  runtime.start();
  Registry registry;
  if (!register_process_metrics(registry, "0.1.0-test", 1700000000).ok()) return 1;
  StatusBoard board({.version = "0.1.0-test"}, SystemClock::instance(), &registry);
  Schedule schedule(registry, board);
  auto admin = AdminServer::start(runtime.executor(0), {.address = {.host = "127.0.0.1", .port = 0}},
                                  AdminSources::of(registry, board));
  if (!admin.ok()) {
    std::cerr << admin.error().message << "\n";
    return 1;
  }

  std::mutex mutex;  // one step at a time, with its line on stdout; `paused` changes under it too
  uint64_t step = 0;
  bool paused = false;
  std::atomic<bool> quit{false};
  {
    std::lock_guard lock(mutex);
    schedule.publish(0);
    std::cout << "listening " << (*admin)->url() << "\nstep 0" << std::endl;
  }
  auto advance = [&](bool by_ticker) {
    std::lock_guard lock(mutex);
    if (by_ticker && paused) return;
    schedule.publish(++step);
    std::cout << "step " << step << std::endl;
  };
  std::thread ticker([&] {
    while (!quit.load()) {
      std::this_thread::sleep_for(std::chrono::seconds(1));
      if (!quit.load()) advance(true);
    }
  });
  std::string command;
  while (std::getline(std::cin, command) && command != "quit") {
    if (command == "pause") {
      std::lock_guard lock(mutex);
      paused = true;
      std::cout << "paused at step " << step << std::endl;
    } else if (command == "step") {
      advance(false);
    }
  }
  quit = true;
  ticker.join();
  (*admin)->stop_blocking();
  runtime.stop();
  runtime.join();
  return 0;
}
