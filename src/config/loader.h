#pragma once
// Loading configuration files: a pulsar-admin sink file, a source file (YAML or JSON, as `pulsar-admin sinks|sources
// create --*-config-file` takes them, plus our `pulsar:`, `admin:` and `log:` sections) or a run file listing
// several pipelines. Every key is checked against the key table (key_table.h); validation goes on after the first
// problem so that all of them are reported at once. On failure the Error (kInvalidArgument) lists every problem,
// one per line ("configs.rateLimit: ..."); pass `problems` to get them as a list too. Secrets never appear in
// problems, warnings or dumps.

#include <string>
#include <string_view>

#include "common/result.h"
#include "config/model.h"
#include "config/value_parser.h"

namespace pk::config {

// A sink file: a RunSpec with exactly one sink.
Result<RunSpec> load_sink(const std::string& path, Problems* problems = nullptr, const LoadOptions& options = {});
// A source file: a RunSpec with exactly one source.
Result<RunSpec> load_source(const std::string& path, Problems* problems = nullptr, const LoadOptions& options = {});
// A run file: `sinks: [...]`, `sources: [...]`, shared `pulsar:` (a pipeline's own `pulsar:` overrides single
// keys), `admin:`, `log:`.
Result<RunSpec> load_run(const std::string& path, Problems* problems = nullptr, const LoadOptions& options = {});

// The same from text (YAML or JSON), for tests and tools.
Result<RunSpec> load_sink_text(std::string_view text, Problems* problems = nullptr, const LoadOptions& options = {});
Result<RunSpec> load_source_text(std::string_view text, Problems* problems = nullptr, const LoadOptions& options = {});
Result<RunSpec> load_run_text(std::string_view text, Problems* problems = nullptr, const LoadOptions& options = {});

}  // namespace pk::config
