#pragma once
// Which of the three file kinds a configuration file is, for commands that take any of them (`validate`): a run
// file lists `sinks:` / `sources:`; a source file has `topicName` or keys only a source has (in `configs:` too);
// a sink file `inputs`, `topicsPattern` or keys only a sink has. Decided by the key table, so a key added there is
// known here too.

#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "config/model.h"
#include "config/value_parser.h"

namespace pk::config {

enum class FileKind { kSink, kSource, kRun };

std::string_view to_string(FileKind kind);
// "sink", "source" or "run".
std::optional<FileKind> parse_file_kind(std::string_view name);

// The kind of a file's contents (YAML or JSON). kInvalidArgument when the text does not parse or nothing in it
// tells (the message says to name the kind).
Result<FileKind> detect_file_kind(std::string_view text);

// load_sink, load_source or load_run by `kind`.
Result<RunSpec> load_file_of_kind(const std::string& path, FileKind kind, Problems* problems = nullptr,
                                  const LoadOptions& options = {});

}  // namespace pk::config
