#include "metrics/reference_doc.h"

#include <fmt/format.h>

#include "metrics/pipeline_metrics.h"
#include "metrics/text_format.h"

namespace pk::metrics {
namespace {

constexpr std::string_view kIntro = R"(# Metrics and the admin endpoint

<!-- Generated from the metric table in src/metrics/pipeline_metrics.h; do not edit by hand.
     Regenerate: cmake --build --preset debug --target pk-metrics-docs && build/debug/src/metrics/pk-metrics-docs > docs/metrics.md -->

The daemon serves its admin endpoint on `admin.address` (default `127.0.0.1:9100`; `admin.enabled: false` turns it
off):

| path | answer |
|---|---|
| `/metrics` | every metric below, in the Prometheus text exposition format 0.0.4 |
| `/healthz` | `200 ok` while the process is alive (a liveness probe) |
| `/readyz` | `200` when every pipeline runs (connected, subscribed or holding its leases), else `503`; the JSON body says why: `{"ready": false, "reason": "pipeline 'orders' is starting"}` |
| `/status` | JSON: each pipeline with counters, rates per second, in-flight, lag, per-shard and per-topic rates and its recent errors (schema in `src/metrics/status.h`) |
| `/` | the status page: one self-contained HTML page that reads `/status` every second and draws the last two minutes of rates |

`GET` and `HEAD` only; any other path is `404`. The endpoint serves no files and logs no request headers.

Names follow the Prometheus conventions: the `pulsar_kinesis_` prefix, base units (seconds, bytes) as suffixes,
`_total` on counters. Rates, ratios and quantiles are left to PromQL (examples at the end). Every pipeline metric
carries the label `pipeline` (the pipeline's name); per-shard metrics carry `shard` (the Kinesis shard id),
per-topic ones `topic` (the full Pulsar topic name). A shard's series disappear when the pipeline stops using the
shard (a closed shard, a lease taken by another worker).
)";

constexpr std::string_view kQueries = R"(
## Useful queries

| what | PromQL |
|---|---|
| user records per second put to Kinesis, per shard | `sum by (pipeline, shard) (rate(pulsar_kinesis_sink_user_records_put_total[1m]))` |
| aggregation ratio (user records per Kinesis record) | `sum by (pipeline) (rate(pulsar_kinesis_sink_user_records_per_record_sum[5m])) / sum by (pipeline) (rate(pulsar_kinesis_sink_user_records_per_record_count[5m]))` |
| PutRecords latency, 99th percentile | `histogram_quantile(0.99, sum by (pipeline, le) (rate(pulsar_kinesis_sink_put_records_duration_seconds_bucket[5m])))` |
| throttled share of the sink's entries | `sum by (pipeline) (rate(pulsar_kinesis_sink_throttles_total[5m])) / sum by (pipeline) (rate(pulsar_kinesis_sink_records_put_total[5m]))` |
| sink failures per second, by reason | `sum by (pipeline, reason) (rate(pulsar_kinesis_sink_failures_total[5m]))` |
| how far behind the source is | `max by (pipeline) (pulsar_kinesis_source_behind_latest_seconds)` |
| source records per second, per shard | `sum by (pipeline, shard) (rate(pulsar_kinesis_source_records_received_total[1m]))` |
| a pipeline that is not running | `pulsar_kinesis_pipeline_up == 0` |
)";

std::string labels_cell(const MetricSpec& spec) {
  if (spec.labels.empty()) return "-";
  std::string out;
  for (std::string_view label : spec.labels) {
    if (!out.empty()) out += ", ";
    out += fmt::format("`{}`", label);
  }
  return out;
}

std::string meaning_cell(const MetricSpec& spec) {
  std::string out(spec.help);
  if (spec.type == MetricType::kHistogram) {
    out += " Buckets (`le`): ";
    for (size_t i = 0; i < spec.buckets.size(); ++i) {
      if (i > 0) out += ", ";
      append_value(out, spec.buckets[i]);
    }
    out += ", +Inf.";
  }
  return out;
}

}  // namespace

std::string metrics_reference_markdown() {
  std::string out(kIntro);
  for (const MetricSection& section : metric_table()) {
    out += fmt::format("\n## {}\n\n{}\n\n", section.title, section.about);
    out += "| metric | type | labels | unit | meaning |\n|---|---|---|---|---|\n";
    for (const MetricSpec& spec : section.metrics) {
      out += fmt::format("| `{}` | {} | {} | {} | {} |\n", spec.name, to_string(spec.type), labels_cell(spec),
                         spec.unit.empty() ? "-" : spec.unit, meaning_cell(spec));
    }
  }
  out += kQueries;
  return out;
}

}  // namespace pk::metrics
