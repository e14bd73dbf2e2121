#pragma once
// The effective configuration of a run (every key with the value in force: given, defaulted or derived), as YAML or
// JSON, for `pulsar-kinesis validate`. Secrets are shown as **** (with where they came from: `${NAME}` or
// `file:/path`), never their values. Keys that are accepted but have no effect are left out.

#include <string>

#include "config/model.h"

namespace pk::config {

enum class OutputFormat { kYaml, kJson };

std::string effective_config_text(const RunSpec& run, OutputFormat format = OutputFormat::kYaml);

}  // namespace pk::config
