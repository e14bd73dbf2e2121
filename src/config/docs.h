#pragma once
// docs/configuration.md, generated from the key table (key_table.h) so that the documentation cannot drift from
// the code. `pk-config-docs > docs/configuration.md` regenerates it; a unit test fails when it is stale.

#include <string>

namespace pk::config {

std::string render_markdown();

}  // namespace pk::config
