#pragma once
// The board the pipelines report to and `/status` reads: one entry per pipeline with its latest report, rates per
// second computed from the reports of the last few seconds, and its recent errors.
//
//   StatusBoard board({.version = "0.1.0"}, SystemClock::instance(), &registry);   // the daemon owns it
//   auto reporter = board.add_pipeline("orders-sink", PipelineKind::kSink);        // given to the pipeline
//   ...on the pipeline's loop, about once a second:
//   PipelineReport report; metrics.fill(report); report.state = PipelineState::kRunning;
//   reporter->publish(report);
//   reporter->report_error(error.to_string());                                    // no secrets: see log rules
//   ...on the admin loop: to_json(board.snapshot())
//
// A rate is (newest counter - counter of the newest report at least `rate_window` older) / time between them, so
// it covers about the last rate_window seconds and does not change between reports. A counter that went down
// (a restarted pipeline) counts as a rate of 0 for that window.
//
// Thread-safe: any thread may publish, report errors or take snapshots (one mutex per pipeline, one for the
// list). The clock (and the registry, when given) must outlive the board and every reporter.

#include <chrono>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "metrics/registry.h"
#include "metrics/status.h"

namespace pk::metrics {

struct StatusBoardOptions {
  std::string version;
  std::chrono::milliseconds rate_window{5000};
  size_t max_errors = 20;         // recent errors kept per pipeline
  size_t max_error_length = 500;  // bytes of one message; longer ones are cut and end in "..."
  size_t max_history = 64;        // reports kept per pipeline for the rates
};

// One pipeline's entry, as the pipeline sees it. Shared by the pipeline and the board; thread-safe.
class PipelineReporter {
 public:
  // Publishes a report taken now (the board's clock).
  void publish(const PipelineReport& report);
  // The same at a given time (tests, and callers that sampled their counters earlier).
  void publish(const PipelineReport& report, std::chrono::steady_clock::time_point at,
               std::chrono::system_clock::time_point wall);
  // Changes only the state (starting -> running -> draining -> stopped / failed).
  void set_state(PipelineState state);
  // Adds an error to the pipeline's recent errors (the same message again only counts it and moves its time).
  void report_error(std::string_view message);

  const std::string& name() const { return name_; }
  PipelineKind kind() const { return kind_; }
  PipelineStatus status() const;
  PipelineState state() const;

  PipelineReporter(std::string name, PipelineKind kind, const StatusBoardOptions& options, const Clock& clock);

 private:
  // The counters of one report, kept for the rates.
  struct Keyed {
    std::string key;
    uint64_t records = 0;
    uint64_t bytes = 0;
  };
  struct Sample {
    std::chrono::steady_clock::time_point at;
    PipelineCounters counters;
    std::vector<Keyed> shards;  // sorted by key
    std::vector<Keyed> topics;  // sorted by key
  };
  static Sample sample_of(const PipelineReport& report, std::chrono::steady_clock::time_point at);
  // The rates of `key` between the oldest report that has it and the newest (0 when only the newest has it).
  std::pair<double, double> keyed_rates(const Keyed& now, std::vector<Keyed> Sample::*list) const;

  const std::string name_;
  const PipelineKind kind_;
  const StatusBoardOptions options_;
  const Clock& clock_;
  mutable std::mutex mutex_;
  std::deque<Sample> history_;  // oldest first; the front is the base of the rates
  PipelineStatus status_;
};

class StatusBoard {
 public:
  // With a registry, each pipeline gets a pulsar_kinesis_pipeline_up series (1 while running).
  explicit StatusBoard(StatusBoardOptions options, const Clock& clock = SystemClock::instance(),
                       Registry* registry = nullptr);
  ~StatusBoard();
  StatusBoard(const StatusBoard&) = delete;
  StatusBoard& operator=(const StatusBoard&) = delete;

  // A new pipeline, shown as starting. A name already on the board returns that pipeline's reporter.
  std::shared_ptr<PipelineReporter> add_pipeline(std::string name, PipelineKind kind);
  void remove_pipeline(std::string_view name);

  // Everything /status shows, pipelines in the order they were added.
  ProcessStatus snapshot() const;
  // Ready when at least one pipeline is on the board and every one is running; the reason names the others.
  Readiness readiness() const;

 private:
  struct Entry {
    std::shared_ptr<PipelineReporter> reporter;
    GaugeCallback up;
  };

  StatusBoardOptions options_;
  const Clock& clock_;
  GaugeFamily* up_family_ = nullptr;
  const std::chrono::system_clock::time_point started_at_;
  mutable std::mutex mutex_;
  std::vector<Entry> entries_;
};

// Milliseconds since the Unix epoch.
int64_t epoch_millis(std::chrono::system_clock::time_point t);

}  // namespace pk::metrics
