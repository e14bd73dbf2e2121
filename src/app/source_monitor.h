#pragma once
// What a source host reports once a second: the shards it reads now (how far behind each is, its checkpoint lag),
// the leases it holds, what it has in flight to Pulsar, and whether it is ready: running, the lease table
// reachable (scanned recently), and holding leases or finding none it could take. The counts per record (read per
// shard, published per topic, throttles, failures) the shard workers put into the cells themselves. The result is
// the report for the status board.
//
// Owned by the source host; used on its loop.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "metrics/pipeline_metrics.h"
#include "metrics/status.h"
#include "source/source_pipeline.h"

namespace pk::app {

// What the host reads off the pipeline (and its lease coordinator) for one report.
struct SourceSample {
  std::vector<source::ShardProgress> shards;  // the shards being read now
  uint64_t in_flight_messages = 0;
  uint64_t leases_held = 0;
  std::string worker;  // this process's worker id (the lease owner of the shards it reads)
  bool started = false;
  // Since the coordinator last scanned the lease table; nullopt before the first scan.
  std::optional<std::chrono::milliseconds> since_last_scan;
  uint64_t leases_available = 0;  // leases nobody holds (or expired ones) that are not finished
  std::chrono::milliseconds scan_deadline{std::chrono::seconds(60)};  // older scans mean the table is unreachable
};

class SourceMonitor {
 public:
  explicit SourceMonitor(metrics::SourceMetrics& metrics) : metrics_(metrics) {}

  // Brings the gauges up to `sample`, drops the series of shards no longer read, returns the report.
  metrics::PipelineReport update(const SourceSample& sample, metrics::PipelineState state);

 private:
  metrics::SourceMetrics& metrics_;
};

// Why a source in `state` is not ready; empty when it is.
std::string source_not_ready_reason(metrics::PipelineState state, const SourceSample& sample);

}  // namespace pk::app
