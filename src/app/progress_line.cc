#include "app/progress_line.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace pk::app {

std::string with_thousands(uint64_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string progress_line(const metrics::ProcessStatus& status) {
  struct Direction {
    bool present = false;
    double rate = 0;
    uint64_t total = 0;
  };
  Direction to_kinesis;
  Direction to_pulsar;
  std::optional<int64_t> behind;
  uint64_t in_flight = 0;
  uint64_t errors = 0;
  size_t not_running = 0;
  for (const metrics::PipelineStatus& p : status.pipelines) {
    Direction& d = p.kind == metrics::PipelineKind::kSink ? to_kinesis : to_pulsar;
    d.present = true;
    d.rate += p.rates.records_out_per_s;
    d.total += p.counters.records_out;
    if (p.lag.millis_behind_latest) behind = std::max(behind.value_or(0), *p.lag.millis_behind_latest);
    in_flight += p.in_flight_messages;
    errors += p.counters.failures;
    for (const metrics::ErrorStatus& e : p.recent_errors) errors += e.count;
    if (p.state != metrics::PipelineState::kRunning) ++not_running;
  }
  std::string out;
  auto direction = [&](std::string_view name, const Direction& d) {
    if (!d.present) return;
    if (!out.empty()) out += " | ";
    fmt::format_to(std::back_inserter(out), "{} {}/s ({})", name,
                   with_thousands(static_cast<uint64_t>(std::llround(std::max(d.rate, 0.0)))), with_thousands(d.total));
  };
  direction("Pulsar->Kinesis", to_kinesis);
  direction("Kinesis->Pulsar", to_pulsar);
  if (!out.empty()) out += " | ";
  if (behind) fmt::format_to(std::back_inserter(out), "lag {:.1f} s | ", static_cast<double>(*behind) / 1000.0);
  fmt::format_to(std::back_inserter(out), "in flight {} | errors {}", with_thousands(in_flight),
                 with_thousands(errors));
  if (not_running > 0) fmt::format_to(std::back_inserter(out), " | {} not running", not_running);
  return out;
}

}  // namespace pk::app
