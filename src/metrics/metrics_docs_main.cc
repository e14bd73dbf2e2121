// pk-metrics-docs: prints docs/metrics.md, generated from the metric table.
//   pk-metrics-docs > docs/metrics.md
#include <iostream>

#include "metrics/reference_doc.h"

int main() {
  std::cout << pk::metrics::metrics_reference_markdown();
  return 0;
}
