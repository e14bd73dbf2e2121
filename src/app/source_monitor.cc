#include "app/source_monitor.h"

#include <algorithm>

#include <fmt/format.h>

#include "app/pipeline_host.h"

namespace pk::app {

metrics::PipelineReport SourceMonitor::update(const SourceSample& sample, metrics::PipelineState state) {
  for (const source::ShardProgress& shard : sample.shards) {
    metrics::SourceMetrics::Shard& cells = metrics_.shard(shard.shard);
    cells.behind_latest_seconds.set(static_cast<double>(shard.millis_behind_latest) / 1000.0);
    cells.checkpoint_lag_records.set(static_cast<double>(shard.checkpoint_lag));
  }
  metrics_.in_flight_messages.set(static_cast<double>(sample.in_flight_messages));
  metrics_.leases_held.set(static_cast<double>(sample.leases_held));

  metrics::PipelineReport report;
  metrics_.fill(report);
  // Shards no longer read (lease lost or released, shard ended) leave: their gauges would be stale. Their counts
  // stay in the totals.
  auto read_now = [&](const std::string& id) {
    return std::any_of(sample.shards.begin(), sample.shards.end(),
                       [&](const source::ShardProgress& s) { return s.shard == id; });
  };
  std::vector<metrics::ShardReport> kept;
  for (metrics::ShardReport& shard : report.shards) {
    if (read_now(shard.id)) {
      shard.lease_owner = sample.worker;
      kept.push_back(std::move(shard));
    } else {
      metrics_.forget_shard(shard.id);
    }
  }
  report.shards = std::move(kept);
  report.state = state;
  return report;
}

std::string source_not_ready_reason(metrics::PipelineState state, const SourceSample& sample) {
  if (auto reason = state_not_ready_reason(state, "starting (lease table, consumer registration, producer)")) {
    return *reason;
  }
  if (!sample.started) return "starting";
  if (!sample.since_last_scan) return "the lease table has not been scanned yet";
  if (*sample.since_last_scan > sample.scan_deadline) {
    return fmt::format("the lease table was last scanned {} s ago (unreachable?)",
                       sample.since_last_scan->count() / 1000);
  }
  if (sample.leases_held == 0 && sample.leases_available > 0) {
    return fmt::format("holds no lease while {} are available", sample.leases_available);
  }
  return {};
}

}  // namespace pk::app
