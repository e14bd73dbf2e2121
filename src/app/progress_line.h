#pragma once
// The one-line live summary a terminal user sees while the daemon runs (the status line of console.h), from the
// board's snapshot:
//
//   Pulsar->Kinesis 1,234/s (56,789) | Kinesis->Pulsar 1,200/s (56,000) | lag 0.4 s | in flight 312 | errors 0
//
// (rates and totals of records delivered each way; lag: the source furthest behind the tip of its stream)
//
// Directions appear only when the process runs pipelines of that kind. Pure.

#include <string>

#include "metrics/status.h"

namespace pk::app {

std::string progress_line(const metrics::ProcessStatus& status);

// 1234567 -> "1,234,567".
std::string with_thousands(uint64_t n);

}  // namespace pk::app
