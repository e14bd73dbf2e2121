// pk-config-docs: prints docs/configuration.md, generated from the key table.
//   pk-config-docs > docs/configuration.md
#include <iostream>

#include "config/docs.h"

int main() {
  std::cout << pk::config::render_markdown();
  return std::cout.good() ? 0 : 1;
}
