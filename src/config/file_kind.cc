#include "config/file_kind.h"

#include <yaml-cpp/yaml.h>

#include "config/key_table.h"
#include "config/loader.h"

namespace pk::config {

namespace {

template <typename T>
bool in_table(const Section<T>& table, std::string_view key) {
  for (const auto& def : table.keys) {
    if (def.info.name == key) return true;
    for (std::string_view alias : def.info.aliases) {
      if (alias == key) return true;
    }
  }
  return false;
}

// +1 for each key only a sink has, -1 for each key only a source has.
template <typename SinkT, typename SourceT>
int lean(const YAML::Node& map, const Section<SinkT>& sink, const Section<SourceT>& source) {
  int score = 0;
  if (!map.IsMap()) return score;
  for (const auto& entry : map) {
    if (!entry.first.IsScalar()) continue;
    const std::string& key = entry.first.Scalar();
    const bool sink_has = in_table(sink, key);
    const bool source_has = in_table(source, key);
    if (sink_has && !source_has) ++score;
    if (source_has && !sink_has) --score;
  }
  return score;
}

}  // namespace

std::string_view to_string(FileKind kind) {
  switch (kind) {
    case FileKind::kSink:
      return "sink";
    case FileKind::kSource:
      return "source";
    case FileKind::kRun:
      return "run";
  }
  return "?";
}

std::optional<FileKind> parse_file_kind(std::string_view name) {
  if (name == "sink") return FileKind::kSink;
  if (name == "source") return FileKind::kSource;
  if (name == "run") return FileKind::kRun;
  return std::nullopt;
}

Result<FileKind> detect_file_kind(std::string_view text) {
  YAML::Node node;
  try {
    node = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    return make_error(ErrorCode::kInvalidArgument, "not valid YAML or JSON: " + e.msg);
  }
  if (!node.IsMap()) return make_error(ErrorCode::kInvalidArgument, "expected a map of keys at the top");
  if (node["sinks"] || node["sources"]) return FileKind::kRun;
  // The pipeline keys decide; `configs:` only when they do not (a file may give little more than its configs).
  int score = lean(node, sink_file_keys(), source_file_keys());
  if (score == 0) score = lean(node["configs"], sink_configs_keys(), source_configs_keys());
  if (score > 0) return FileKind::kSink;
  if (score < 0) return FileKind::kSource;
  return make_error(ErrorCode::kInvalidArgument,
                    "cannot tell whether this is a sink, a source or a run file (no inputs, topicsPattern, topicName, "
                    "sinks or sources): name the kind with --kind sink|source|run");
}

Result<RunSpec> load_file_of_kind(const std::string& path, FileKind kind, Problems* problems,
                                  const LoadOptions& options) {
  switch (kind) {
    case FileKind::kSink:
      return load_sink(path, problems, options);
    case FileKind::kSource:
      return load_source(path, problems, options);
    case FileKind::kRun:
      return load_run(path, problems, options);
  }
  return make_error(ErrorCode::kInternal, "unknown file kind");
}

}  // namespace pk::config
