// What the metrics cost a pipeline: a counter increment through a held reference (against a plain increment), with
// threads on cells of their own (no false sharing) and on one shared cell (contention), a histogram observation; and
// what the periodic work costs: SinkMetrics::fill + StatusBoard publish of a 100-shard report, and a scrape of a
// registry with 3 pipelines x 100 shards.

#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "metrics/pipeline_metrics.h"
#include "metrics/status_board.h"

namespace {

using namespace pk::metrics;

void BM_PlainIncrement(benchmark::State& state) {
  uint64_t n = 0;
  for (auto _ : state) {
    ++n;
    benchmark::DoNotOptimize(n);
  }
}
BENCHMARK(BM_PlainIncrement);

// Each thread increments a counter of its own (a shard's cell on its pipeline's loop).
void BM_CounterIncOwnCell(benchmark::State& state) {
  static Registry registry;
  static CounterFamily* family = *registry.counter(kSinkRecordsPut);
  Counter& c = family->with({"bench", std::to_string(state.thread_index())});
  for (auto _ : state) c.inc();
}
BENCHMARK(BM_CounterIncOwnCell)->Threads(1)->Threads(2);

// Every thread increments the same counter (the worst case: one cell hammered from several loops).
void BM_CounterIncSharedCell(benchmark::State& state) {
  static Registry registry;
  static Counter& c = (*registry.counter(kSinkRecordsPut))->with({"bench", "shared"});
  for (auto _ : state) c.inc();
}
BENCHMARK(BM_CounterIncSharedCell)->Threads(2);

void BM_HistogramObserve(benchmark::State& state) {
  Registry registry;
  Histogram& h = (*registry.histogram(kSinkPutRecordsDuration))->with({"bench"});
  double v = 0.0001;
  for (auto _ : state) {
    h.observe(v);
    v = v > 20 ? 0.0001 : v * 1.7;
  }
}
BENCHMARK(BM_HistogramObserve);

std::string shard_id(int i) {
  std::string id = std::to_string(i);
  return "shardId-" + std::string(12 - id.size(), '0') + id;
}

// Once a second per pipeline: the report of a sink with 100 shards and 4 topics, published to the board.
void BM_FillAndPublish100Shards(benchmark::State& state) {
  Registry registry;
  auto metrics = std::move(*SinkMetrics::create(registry, "bench"));
  for (int i = 0; i < 100; ++i) metrics->shard(shard_id(i)).user_records_put.inc(static_cast<uint64_t>(i));
  for (int i = 0; i < 4; ++i) metrics->topic("persistent://public/default/t" + std::to_string(i));
  StatusBoard board({.version = "bench"});
  auto reporter = board.add_pipeline("bench", PipelineKind::kSink);
  PipelineReport report;
  for (auto _ : state) {
    metrics->fill(report);
    reporter->publish(report);
  }
}
BENCHMARK(BM_FillAndPublish100Shards)->Unit(benchmark::kMicrosecond);

// A /metrics scrape: 3 sinks x 100 shards (about 1,300 series).
void BM_Render3x100Shards(benchmark::State& state) {
  Registry registry;
  std::vector<std::unique_ptr<SinkMetrics>> sinks;
  for (int p = 0; p < 3; ++p) {
    sinks.push_back(std::move(*SinkMetrics::create(registry, "sink-" + std::to_string(p))));
    for (int i = 0; i < 100; ++i) sinks.back()->shard(shard_id(i)).records_put.inc(12345);
  }
  size_t bytes = 0;
  for (auto _ : state) {
    std::string text = registry.render();
    bytes = text.size();
    benchmark::DoNotOptimize(text);
  }
  state.counters["bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_Render3x100Shards)->Unit(benchmark::kMicrosecond);

}  // namespace
