#pragma once
// The description of one metric family: its Prometheus name, type, unit, help text, label names and (for a
// histogram) bucket bounds. Specs are constants in tables (pipeline_metrics.h): the registry registers families
// from them and docs/metrics.md is generated from them, so names, labels and help cannot drift apart.

#include <span>
#include <string_view>

namespace pk::metrics {

enum class MetricType { kCounter, kGauge, kHistogram };

// "counter", "gauge", "histogram": the word of the exposition format's TYPE line.
std::string_view to_string(MetricType type);

struct MetricSpec {
  std::string_view name = {};  // pulsar_kinesis_<what>_<unit>[_total]
  MetricType type = MetricType::kCounter;
  std::string_view unit = {};  // what one unit of the value is ("records", "bytes", "seconds"): docs only
  std::string_view help = {};  // one sentence; the HELP line
  std::span<const std::string_view> labels = {};
  std::span<const double> buckets = {};  // histograms: upper bounds in increasing order (+Inf is implicit)
};

// One row of a metric table per call: the type in the function's name, then name, unit, label names, (for a
// histogram) buckets, and help.
constexpr MetricSpec counter_spec(std::string_view name, std::string_view unit,
                                  std::span<const std::string_view> labels, std::string_view help) {
  return {.name = name, .type = MetricType::kCounter, .unit = unit, .help = help, .labels = labels};
}
constexpr MetricSpec gauge_spec(std::string_view name, std::string_view unit, std::span<const std::string_view> labels,
                                std::string_view help) {
  return {.name = name, .type = MetricType::kGauge, .unit = unit, .help = help, .labels = labels};
}
constexpr MetricSpec histogram_spec(std::string_view name, std::string_view unit,
                                    std::span<const std::string_view> labels, std::span<const double> buckets,
                                    std::string_view help) {
  return {
      .name = name, .type = MetricType::kHistogram, .unit = unit, .help = help, .labels = labels, .buckets = buckets};
}

// Latency buckets in seconds (5 ms .. 10 s), for request durations.
inline constexpr double kLatencySecondsBuckets[] = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

}  // namespace pk::metrics
