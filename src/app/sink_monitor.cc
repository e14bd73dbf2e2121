#include "app/sink_monitor.h"

#include "app/pipeline_host.h"

namespace pk::app {

std::string_view lane_shard_label(const sink::LaneStats& lane) {
  return lane.shard.empty() ? std::string_view("unknown") : std::string_view(lane.shard.str());
}

metrics::PipelineReport SinkMonitor::update(const SinkSample& sample, metrics::PipelineState state) {
  if (applied_.size() < sample.lanes.size()) applied_.resize(sample.lanes.size());
  for (size_t i = 0; i < sample.lanes.size(); ++i) {
    const sink::LaneStats& now = sample.lanes[i];
    sink::LaneStats& before = applied_[i];
    const bool moved = now.entries_put != before.entries_put || now.throttled_entries != before.throttled_entries;
    if (moved) {
      metrics::SinkMetrics::Shard& cells = metrics_.shard(lane_shard_label(now));
      cells.records_put.inc(now.entries_put - before.entries_put);
      cells.user_records_put.inc(now.user_records_put - before.user_records_put);
      cells.bytes_put.inc(now.bytes_put - before.bytes_put);
      cells.throttles.inc(now.throttled_entries - before.throttled_entries);
    }
    // A closed shard's lane gets nothing new: its series goes once its last records are counted (the totals keep
    // them).
    if (now.retired && !before.retired) metrics_.forget_shard(lane_shard_label(now));
    before = now;
  }
  if (sample.entry_retries > retries_applied_) {
    metrics_.entry_retries.inc(sample.entry_retries - retries_applied_);
    retries_applied_ = sample.entry_retries;
  }
  metrics_.in_flight_messages.set(static_cast<double>(sample.in_flight_messages));
  metrics_.in_flight_bytes.set(static_cast<double>(sample.in_flight_bytes));

  metrics::PipelineReport report;
  metrics_.fill(report);
  report.state = state;
  return report;
}

std::string sink_not_ready_reason(metrics::PipelineState state, bool connected) {
  if (auto reason = state_not_ready_reason(state, "starting (subscribing, loading the shard map)")) return *reason;
  return connected ? std::string() : "the Pulsar consumer is reconnecting";
}

}  // namespace pk::app
