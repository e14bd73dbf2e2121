#pragma once
// docs/metrics.md, generated from the metric table (pipeline_metrics.h) so that the reference cannot drift from
// the code. `pk-metrics-docs > docs/metrics.md` regenerates it; a unit test fails when it is stale.

#include <string>

namespace pk::metrics {

std::string metrics_reference_markdown();

}  // namespace pk::metrics
