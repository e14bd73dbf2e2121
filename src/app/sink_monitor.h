#pragma once
// What a sink host reports once a second: the per-shard counts the producer keeps in its lanes (copied into the
// sink's metric cells as deltas, so the put path itself touches no shared cell), the retries, the in-flight window,
// and whether the pipeline is ready (started, and its consumer connected to every topic's broker). The counts the
// pipeline updates itself (received per topic, acknowledged, failures, aggregation ratio, PutRecords latency) are
// already in the cells. The result is the report for the status board.
//
// Owned by the sink host; used on its loop.

#include <cstdint>
#include <string>
#include <vector>

#include "metrics/pipeline_metrics.h"
#include "metrics/status.h"
#include "sink/producer_core.h"

namespace pk::app {

// What the host reads off the pipeline for one report.
struct SinkSample {
  std::vector<sink::LaneStats> lanes;  // in lane order (a lane keeps its index)
  uint64_t entry_retries = 0;
  uint64_t in_flight_messages = 0;
  uint64_t in_flight_bytes = 0;
  bool connected = false;  // subscribed, shard map loaded, every topic's consumer attached
};

class SinkMonitor {
 public:
  explicit SinkMonitor(metrics::SinkMetrics& metrics) : metrics_(metrics) {}

  // Brings the metrics up to `sample` and returns the report to publish in `state`.
  metrics::PipelineReport update(const SinkSample& sample, metrics::PipelineState state);

 private:
  metrics::SinkMetrics& metrics_;
  std::vector<sink::LaneStats> applied_;  // what was copied into the cells so far, by lane
  uint64_t retries_applied_ = 0;
};

// Why a sink in `state` is not ready; empty when it is.
std::string sink_not_ready_reason(metrics::PipelineState state, bool connected);

// The shard label of a lane: its shard id, or "unknown" for records the shard map had no shard for.
std::string_view lane_shard_label(const sink::LaneStats& lane);

}  // namespace pk::app
