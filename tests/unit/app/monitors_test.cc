// What the hosts report once a second: the sink's per-lane counts copied into the shard cells as deltas, the
// source's gauges and shards, and the readiness of each.
#include <gtest/gtest.h>

#include "app/sink_monitor.h"
#include "app/source_monitor.h"
#include "metrics/registry.h"

namespace pk::app {
namespace {

using metrics::PipelineState;

sink::LaneStats lane(std::string shard, uint64_t entries, uint64_t records, uint64_t bytes, uint64_t throttles = 0) {
  sink::LaneStats s;
  s.shard = kinesis::ShardId(shard);
  s.entries_put = entries;
  s.user_records_put = records;
  s.bytes_put = bytes;
  s.throttled_entries = throttles;
  return s;
}

std::string series(const metrics::Registry& registry, std::string_view prefix) {
  std::string out;
  const std::string text = registry.render();
  size_t at = 0;
  while (at < text.size()) {
    const size_t end = text.find('\n', at);
    const std::string_view line(text.data() + at, end - at);
    if (line.starts_with(prefix)) {
      out += line;
      out += '\n';
    }
    at = end + 1;
  }
  return out;
}

TEST(SinkMonitor, CopiesWhatTheLanesAddedIntoTheShardCells) {
  metrics::Registry registry;
  auto sink_metrics = metrics::SinkMetrics::create(registry, "p");
  ASSERT_TRUE(sink_metrics.ok());
  SinkMonitor monitor(**sink_metrics);
  SinkSample sample{.lanes = {lane("shardId-0", 2, 10, 100), lane("", 1, 1, 5)},
                    .entry_retries = 3,
                    .in_flight_messages = 7,
                    .in_flight_bytes = 70,
                    .connected = true};
  auto report = monitor.update(sample, PipelineState::kRunning);
  sample.lanes[0] = lane("shardId-0", 5, 40, 400, 2);
  sample.entry_retries = 4;
  report = monitor.update(sample, PipelineState::kRunning);
  EXPECT_EQ(report.state, PipelineState::kRunning);
  EXPECT_EQ(report.counters.records_out, 41u);
  EXPECT_EQ(report.counters.bytes_out, 405u);
  EXPECT_EQ(report.counters.retries, 4u);
  EXPECT_EQ(report.counters.throttles, 2u);
  EXPECT_EQ(report.in_flight_messages, 7u);
  EXPECT_EQ(report.in_flight_bytes, 70u);
  ASSERT_EQ(report.shards.size(), 2u);
  EXPECT_EQ(report.shards[0].id, "shardId-0");
  EXPECT_EQ(report.shards[0].records, 40u);
  EXPECT_EQ(report.shards[1].id, "unknown");
  EXPECT_EQ(series(registry, "pulsar_kinesis_sink_records_put_total"),
            "pulsar_kinesis_sink_records_put_total{pipeline=\"p\",shard=\"shardId-0\"} 5\n"
            "pulsar_kinesis_sink_records_put_total{pipeline=\"p\",shard=\"unknown\"} 1\n");
  EXPECT_EQ(series(registry, "pulsar_kinesis_sink_entry_retries_total"),
            "pulsar_kinesis_sink_entry_retries_total{pipeline=\"p\"} 4\n");

  // A retired lane's series goes once its counts are in; the totals keep them.
  sample.lanes[0] = lane("shardId-0", 6, 41, 410, 2);
  sample.lanes[0].retired = true;
  report = monitor.update(sample, PipelineState::kDraining);
  EXPECT_EQ(report.counters.records_out, 42u);
  EXPECT_EQ(report.shards.size(), 1u);
  EXPECT_EQ(series(registry, "pulsar_kinesis_sink_records_put_total"),
            "pulsar_kinesis_sink_records_put_total{pipeline=\"p\",shard=\"unknown\"} 1\n");
}

TEST(SinkMonitor, Readiness) {
  EXPECT_EQ(sink_not_ready_reason(PipelineState::kRunning, true), "");
  EXPECT_EQ(sink_not_ready_reason(PipelineState::kRunning, false), "the Pulsar consumer is reconnecting");
  EXPECT_NE(sink_not_ready_reason(PipelineState::kStarting, true), "");
  EXPECT_EQ(sink_not_ready_reason(PipelineState::kDraining, true), "draining");
}

TEST(SourceMonitor, GaugesShardsAndOwners) {
  metrics::Registry registry;
  auto source_metrics = metrics::SourceMetrics::create(registry, "q");
  ASSERT_TRUE(source_metrics.ok());
  SourceMonitor monitor(**source_metrics);
  (*source_metrics)->shard("shardId-1").records_received.inc(30);  // what a worker counts itself
  (*source_metrics)->shard("shardId-9").records_received.inc(5);   // a shard no longer read
  SourceSample sample;
  sample.shards = {source::ShardProgress{"shardId-1", 2500, 12}, source::ShardProgress{"shardId-2", 100, 3}};
  sample.in_flight_messages = 9;
  sample.leases_held = 2;
  sample.worker = "w1";
  auto report = monitor.update(sample, PipelineState::kRunning);
  EXPECT_EQ(report.counters.records_in, 35u);  // the forgotten shard's counts stay in the total
  ASSERT_EQ(report.shards.size(), 2u);
  EXPECT_EQ(report.shards[0].id, "shardId-1");
  EXPECT_EQ(report.shards[0].millis_behind_latest, 2500);
  EXPECT_EQ(report.shards[0].lease_owner, "w1");
  EXPECT_EQ(report.shards[1].id, "shardId-2");
  EXPECT_EQ(report.lag.millis_behind_latest, 2500);
  EXPECT_EQ(report.lag.checkpoint_lag_records, 15);
  EXPECT_EQ(report.in_flight_messages, 9u);
  EXPECT_EQ(series(registry, "pulsar_kinesis_source_leases_held"),
            "pulsar_kinesis_source_leases_held{pipeline=\"q\"} 2\n");
  EXPECT_EQ(series(registry, "pulsar_kinesis_source_records_received_total"),
            "pulsar_kinesis_source_records_received_total{pipeline=\"q\",shard=\"shardId-1\"} 30\n"
            "pulsar_kinesis_source_records_received_total{pipeline=\"q\",shard=\"shardId-2\"} 0\n");
}

TEST(SourceMonitor, Readiness) {
  SourceSample s;
  EXPECT_EQ(source_not_ready_reason(PipelineState::kRunning, s), "starting");
  s.started = true;
  EXPECT_EQ(source_not_ready_reason(PipelineState::kRunning, s), "the lease table has not been scanned yet");
  s.since_last_scan = std::chrono::seconds(5);
  EXPECT_EQ(source_not_ready_reason(PipelineState::kRunning, s), "");  // no lease held, none available
  s.leases_available = 2;
  EXPECT_EQ(source_not_ready_reason(PipelineState::kRunning, s), "holds no lease while 2 are available");
  s.leases_held = 1;
  EXPECT_EQ(source_not_ready_reason(PipelineState::kRunning, s), "");
  s.since_last_scan = std::chrono::seconds(61);
  EXPECT_EQ(source_not_ready_reason(PipelineState::kRunning, s),
            "the lease table was last scanned 61 s ago (unreachable?)");
  EXPECT_EQ(source_not_ready_reason(PipelineState::kDraining, s), "draining");
}

}  // namespace
}  // namespace pk::app
