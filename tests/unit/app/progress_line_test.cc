// The live progress line.
#include "app/progress_line.h"

#include <gtest/gtest.h>

namespace pk::app {
namespace {

metrics::PipelineStatus pipeline(metrics::PipelineKind kind, double rate, uint64_t total) {
  metrics::PipelineStatus p;
  p.kind = kind;
  p.state = metrics::PipelineState::kRunning;
  p.rates.records_out_per_s = rate;
  p.counters.records_out = total;
  return p;
}

TEST(ProgressLine, BothDirectionsLagInFlightAndErrors) {
  metrics::ProcessStatus status;
  status.pipelines.push_back(pipeline(metrics::PipelineKind::kSink, 1234.4, 56789));
  status.pipelines.back().in_flight_messages = 300;
  status.pipelines.back().counters.failures = 2;
  status.pipelines.push_back(pipeline(metrics::PipelineKind::kSource, 1199.6, 56000));
  status.pipelines.back().in_flight_messages = 12;
  status.pipelines.back().lag.millis_behind_latest = 420;
  status.pipelines.back().recent_errors.push_back({.time = 1, .message = "x", .count = 3});
  EXPECT_EQ(
      progress_line(status),
      "Pulsar->Kinesis 1,234/s (56,789) | Kinesis->Pulsar 1,200/s (56,000) | lag 0.4 s | in flight 312 | errors 5");
}

TEST(ProgressLine, OnlyTheDirectionsThatRunAndWhatIsNotRunning) {
  metrics::ProcessStatus status;
  status.pipelines.push_back(pipeline(metrics::PipelineKind::kSink, 10, 20));
  status.pipelines.push_back(pipeline(metrics::PipelineKind::kSink, 5, 1000));
  status.pipelines.back().state = metrics::PipelineState::kStarting;
  EXPECT_EQ(progress_line(status), "Pulsar->Kinesis 15/s (1,020) | in flight 0 | errors 0 | 1 not running");
  EXPECT_EQ(progress_line(metrics::ProcessStatus{}), "in flight 0 | errors 0");
  EXPECT_EQ(with_thousands(0), "0");
  EXPECT_EQ(with_thousands(999), "999");
  EXPECT_EQ(with_thousands(1000), "1,000");
  EXPECT_EQ(with_thousands(1234567), "1,234,567");
}

}  // namespace
}  // namespace pk::app
