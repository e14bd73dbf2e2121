// The metric table (conventions every row must follow, docs/metrics.md is its rendering, promtool accepts all of
// it) and SinkMetrics / SourceMetrics (cells land in the right series, fill() adds them up, series go away).
#include "metrics/pipeline_metrics.h"

#include <fstream>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include "metrics/reference_doc.h"
#include "metrics/status_board.h"
#include "promtool.h"

namespace pk::metrics {
namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

TEST(MetricTable, EveryRowFollowsTheConventions) {
  std::set<std::string_view> names;
  size_t rows = 0;
  for (const MetricSection& section : metric_table()) {
    EXPECT_FALSE(section.title.empty());
    for (const MetricSpec& spec : section.metrics) {
      ++rows;
      SCOPED_TRACE(spec.name);
      EXPECT_TRUE(validate_spec(spec).ok()) << validate_spec(spec).error().message;
      EXPECT_TRUE(names.insert(spec.name).second) << "twice in the table";
      EXPECT_TRUE(spec.name.starts_with("pulsar_kinesis_"));
      EXPECT_EQ(ends_with(spec.name, "_total"), spec.type == MetricType::kCounter);
      if (spec.unit == "seconds" || spec.unit == "bytes") {
        EXPECT_NE(spec.name.find("_" + std::string(spec.unit)), std::string_view::npos) << "unit not in the name";
      }
      EXPECT_EQ(spec.help.back(), '.');
      if (spec.name.starts_with("pulsar_kinesis_sink_") || spec.name.starts_with("pulsar_kinesis_source_")) {
        ASSERT_FALSE(spec.labels.empty());
        EXPECT_EQ(spec.labels[0], "pipeline");
      }
    }
  }
  EXPECT_EQ(rows, 27u);
}

// A busy daemon's registry: every family of the table with at least one series, every cell set to a known value.
struct EveryFamily {
  EveryFamily() {
    EXPECT_TRUE(register_process_metrics(registry, "0.1.0", 1700000000.5).ok());
    auto made_sink = SinkMetrics::create(registry, "public/default/orders-sink");
    auto made_source = SourceMetrics::create(registry, "orders-source");
    EXPECT_TRUE(made_sink.ok() && made_source.ok());
    sink = std::move(*made_sink);
    source = std::move(*made_source);
    sink->topic("persistent://public/default/orders").messages_received.inc(10);
    SinkMetrics::Shard& shard = sink->shard("shardId-000000000000");
    shard.records_put.inc();
    shard.user_records_put.inc(10);
    shard.bytes_put.inc(1000);
    shard.throttles.inc();
    sink->messages_acknowledged.inc(9);
    sink->entry_retries.inc(2);
    sink->user_records_per_record.observe(10);
    sink->put_records_duration.observe(0.012);
    sink->rejected.inc();
    sink->undeliverable.inc(2);
    sink->dead_lettered.inc(3);
    sink->in_flight_messages.set(3);
    sink->in_flight_bytes.set(300);
    SourceMetrics::Shard& s = source->shard("shardId-000000000001");
    s.records_received.inc(4);
    s.bytes_received.inc(40);
    s.throttles.inc(5);
    s.resubscriptions.inc(6);
    s.corrupt_aggregates.inc(7);
    s.behind_latest_seconds.set(1.5);
    s.checkpoint_lag_records.set(4);
    SourceMetrics::Topic& t = source->topic("persistent://public/default/back");
    t.messages_published.inc(4);
    t.bytes_published.inc(44);
    source->leases_held.set(1);
    source->in_flight_messages.set(8);
    source->read_failures.inc();
    source->publish_failures.inc(2);
    source->checkpoint_failures.inc(3);
  }

  Registry registry;
  StatusBoard board{{.version = "0.1.0"}, SystemClock::instance(), &registry};
  std::shared_ptr<PipelineReporter> reporter = board.add_pipeline("public/default/orders-sink", PipelineKind::kSink);
  std::unique_ptr<SinkMetrics> sink;
  std::unique_ptr<SourceMetrics> source;
};

// What a busy daemon's /metrics looks like to promtool.
TEST(MetricTable, PromtoolAcceptsTheWholeTable) {
  EveryFamily daemon;
  const std::string text = daemon.registry.render();
  std::set<std::string> rendered;
  for (const MetricSection& section : metric_table()) {
    for (const MetricSpec& spec : section.metrics) {
      if (text.find("# TYPE " + std::string(spec.name) + " ") != std::string::npos)
        rendered.insert(std::string(spec.name));
    }
  }
  EXPECT_EQ(rendered.size(), 27u) << text;
  PK_EXPECT_PROMTOOL_ACCEPTS(text);
}

// The whole /metrics text, byte for byte (names, help, types, labels, series and their order): what dashboards and
// alerts are written against, so any change to it is deliberate.
TEST(MetricTable, RendersTheWholeTableAsTheGoldenText) {
  const std::string path = std::string(PK_SOURCE_DIR) + "/tests/unit/metrics/every_family.prom";
  std::ifstream in(path);
  ASSERT_TRUE(in.good()) << path << " is missing";
  std::stringstream golden;
  golden << in.rdbuf();
  EveryFamily daemon;
  const std::string text = daemon.registry.render();
  EXPECT_TRUE(text == golden.str()) << "the rendering differs from " << path << "; it is now:\n" << text;
}

TEST(MetricTable, DocsMatchTheTable) {
  const std::string path = std::string(PK_SOURCE_DIR) + "/docs/metrics.md";
  std::ifstream in(path);
  ASSERT_TRUE(in.good()) << path << " is missing: build pk-metrics-docs and run it > docs/metrics.md";
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_TRUE(text.str() == metrics_reference_markdown())
      << "docs/metrics.md is stale: cmake --build --preset debug --target pk-metrics-docs && "
         "build/debug/src/metrics/pk-metrics-docs > docs/metrics.md";
}

TEST(SinkMetrics, CellsLandInTheirSeriesAndFillAddsThemUp) {
  Registry registry;
  auto made = SinkMetrics::create(registry, "s1");
  ASSERT_TRUE(made.ok()) << made.error().to_string();
  SinkMetrics& m = **made;
  m.topic("t-a").messages_received.inc(5);
  m.topic("t-b").messages_received.inc(7);
  EXPECT_EQ(&m.topic("t-a"), &m.topic("t-a"));
  SinkMetrics::Shard& s0 = m.shard("shard-0");
  SinkMetrics::Shard& s1 = m.shard("shard-1");
  s0.records_put.inc(1);
  s0.user_records_put.inc(4);
  s0.bytes_put.inc(400);
  s1.records_put.inc(2);
  s1.user_records_put.inc(6);
  s1.bytes_put.inc(600);
  s1.throttles.inc(3);
  m.entry_retries.inc(2);
  m.rejected.inc(1);
  m.undeliverable.inc(2);
  m.dead_lettered.inc(3);
  m.in_flight_messages.set(2);
  m.in_flight_bytes.set(200);

  PipelineReport r;
  m.fill(r);
  EXPECT_EQ(r.counters.records_in, 12u);
  EXPECT_EQ(r.counters.records_out, 10u);
  EXPECT_EQ(r.counters.bytes_out, 1000u);
  EXPECT_EQ(r.counters.bytes_in, 0u);
  EXPECT_EQ(r.counters.failures, 6u);
  EXPECT_EQ(r.counters.retries, 2u);
  EXPECT_EQ(r.counters.throttles, 3u);
  EXPECT_EQ(r.in_flight_messages, 2u);
  EXPECT_EQ(r.in_flight_bytes, 200u);
  ASSERT_EQ(r.shards.size(), 2u);
  EXPECT_EQ(r.shards[1].id, "shard-1");
  EXPECT_EQ(r.shards[1].records, 6u);
  EXPECT_EQ(r.shards[1].bytes, 600u);
  EXPECT_EQ(r.shards[1].throttles, 3u);
  ASSERT_EQ(r.topics.size(), 2u);
  EXPECT_EQ(r.topics[0].name, "t-a");
  EXPECT_EQ(r.topics[0].records, 5u);

  const std::string text = registry.render();
  EXPECT_NE(text.find("pulsar_kinesis_sink_failures_total{pipeline=\"s1\",reason=\"dead_lettered\"} 3\n"),
            std::string::npos);
  EXPECT_NE(text.find("pulsar_kinesis_sink_user_records_put_total{pipeline=\"s1\",shard=\"shard-1\"} 6\n"),
            std::string::npos);
  EXPECT_NE(text.find("pulsar_kinesis_sink_messages_received_total{pipeline=\"s1\",topic=\"t-b\"} 7\n"),
            std::string::npos);
  EXPECT_NE(text.find("pulsar_kinesis_sink_in_flight_bytes{pipeline=\"s1\"} 200\n"), std::string::npos);
}

TEST(SinkMetrics, AForgottenShardLeavesTheRegistryButNotTheTotals) {
  Registry registry;
  auto made = SinkMetrics::create(registry, "s1");
  ASSERT_TRUE(made.ok());
  SinkMetrics& m = **made;
  m.shard("old").user_records_put.inc(9);
  m.shard("old").bytes_put.inc(90);
  m.shard("new").user_records_put.inc(1);
  m.forget_shard("old");
  EXPECT_EQ(registry.render().find("shard=\"old\""), std::string::npos);
  PipelineReport r;
  m.fill(r);
  EXPECT_EQ(r.counters.records_out, 10u);
  EXPECT_EQ(r.counters.bytes_out, 90u);
  ASSERT_EQ(r.shards.size(), 1u);
  EXPECT_EQ(r.shards[0].id, "new");
}

TEST(SinkMetrics, TwoPipelinesShareFamiliesAndEachRemovesOnlyItsSeries) {
  Registry registry;
  auto a = SinkMetrics::create(registry, "a");
  auto b = SinkMetrics::create(registry, "b");
  ASSERT_TRUE(a.ok() && b.ok());
  (*a)->shard("x").records_put.inc();
  (*b)->shard("x").records_put.inc(2);
  a->reset();
  const std::string text = registry.render();
  EXPECT_EQ(text.find("pipeline=\"a\""), std::string::npos) << text;
  EXPECT_NE(text.find("pulsar_kinesis_sink_records_put_total{pipeline=\"b\",shard=\"x\"} 2\n"), std::string::npos);
  b->reset();
  EXPECT_EQ(registry.render(), "");
}

TEST(SourceMetrics, CellsLandInTheirSeriesAndFillAddsThemUp) {
  Registry registry;
  auto made = SourceMetrics::create(registry, "src");
  ASSERT_TRUE(made.ok()) << made.error().to_string();
  SourceMetrics& m = **made;
  SourceMetrics::Shard& a = m.shard("shard-a");
  SourceMetrics::Shard& b = m.shard("shard-b");
  a.records_received.inc(100);
  a.bytes_received.inc(1000);
  a.behind_latest_seconds.set(2.5);
  a.checkpoint_lag_records.set(30);
  a.throttles.inc();
  b.records_received.inc(50);
  b.bytes_received.inc(500);
  b.behind_latest_seconds.set(0.25);
  b.checkpoint_lag_records.set(12);
  b.corrupt_aggregates.inc();
  b.resubscriptions.inc(2);
  m.topic("out").messages_published.inc(140);
  m.topic("out").bytes_published.inc(1400);
  m.read_failures.inc();
  m.publish_failures.inc(2);
  m.in_flight_messages.set(10);
  m.leases_held.set(2);

  PipelineReport r;
  m.fill(r);
  EXPECT_EQ(r.counters.records_in, 150u);
  EXPECT_EQ(r.counters.bytes_in, 1500u);
  EXPECT_EQ(r.counters.records_out, 140u);
  EXPECT_EQ(r.counters.bytes_out, 1400u);
  EXPECT_EQ(r.counters.failures, 3u);
  EXPECT_EQ(r.counters.throttles, 1u);
  EXPECT_EQ(r.in_flight_messages, 10u);
  EXPECT_EQ(r.lag.millis_behind_latest, 2500);
  EXPECT_EQ(r.lag.checkpoint_lag_records, 42);
  ASSERT_EQ(r.shards.size(), 2u);
  EXPECT_EQ(r.shards[0].millis_behind_latest, 2500);
  EXPECT_EQ(r.shards[1].millis_behind_latest, 250);
  ASSERT_EQ(r.topics.size(), 1u);
  EXPECT_EQ(r.topics[0].records, 140u);

  const std::string text = registry.render();
  EXPECT_NE(text.find("pulsar_kinesis_source_behind_latest_seconds{pipeline=\"src\",shard=\"shard-a\"} 2.5\n"),
            std::string::npos);
  EXPECT_NE(text.find("pulsar_kinesis_source_failures_total{pipeline=\"src\",reason=\"publish\"} 2\n"),
            std::string::npos);
  m.forget_shard("shard-a");
  EXPECT_EQ(registry.render().find("shard-a"), std::string::npos);
  m.fill(r);
  EXPECT_EQ(r.counters.records_in, 150u);
  EXPECT_EQ(r.lag.millis_behind_latest, 250);
}

TEST(SourceMetrics, NoShardsMeansUnknownLag) {
  Registry registry;
  auto made = SourceMetrics::create(registry, "src");
  ASSERT_TRUE(made.ok());
  PipelineReport r;
  (*made)->fill(r);
  EXPECT_EQ(r.lag.millis_behind_latest, std::nullopt);
  EXPECT_EQ(r.lag.checkpoint_lag_records, std::nullopt);
}

TEST(ProcessMetrics, BuildInfoAndStartTime) {
  Registry registry;
  ASSERT_TRUE(register_process_metrics(registry, "1.2.3", 1700000000.25).ok());
  EXPECT_EQ(registry.render(),
            "# HELP pulsar_kinesis_build_info Always 1; the version label says which build runs.\n"
            "# TYPE pulsar_kinesis_build_info gauge\n"
            "pulsar_kinesis_build_info{version=\"1.2.3\"} 1\n"
            "# HELP pulsar_kinesis_start_time_seconds When the process started, in seconds since the Unix epoch.\n"
            "# TYPE pulsar_kinesis_start_time_seconds gauge\n"
            "pulsar_kinesis_start_time_seconds 1700000000.25\n");
}

}  // namespace
}  // namespace pk::metrics
