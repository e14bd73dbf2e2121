#include "config/loader.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "config/section_loader.h"
#include "config/validate.h"

namespace pk::config {
namespace {

YAML::Node section_node(const SectionContents& contents, std::string_view name) {
  const auto it = contents.sections.find(name);
  return it == contents.sections.end() ? YAML::Node() : it->second;
}

// `admin:` and `log:` of a sink/source file or of the top of a run file.
void load_daemon(const SectionContents& top, const std::string& path, DaemonConfig& daemon, LoadContext& ctx) {
  load_section(section_node(top, "admin"), join_path(path, "admin"), admin_keys(), daemon.admin, ctx);
  load_section(section_node(top, "log"), join_path(path, "log"), log_keys(), daemon.log, ctx);
  validate_daemon(daemon, path, ctx);
}

// A pipeline's `pulsar:`: its own keys over the shared section of a run file, or over the defaults.
void load_pulsar(const SectionContents& top, const std::string& path, const PulsarClientConfig* shared,
                 PulsarClientConfig& pulsar, LoadContext& ctx) {
  if (shared != nullptr) pulsar = *shared;
  load_section(section_node(top, "pulsar"), join_path(path, "pulsar"), pulsar_keys(), pulsar, ctx, shared == nullptr);
  validate_pulsar(pulsar, join_path(path, "pulsar"), ctx);
}

// In a run file, each pipeline may override `pulsar:` but the daemon settings are only at the top.
void reject_daemon_sections(const SectionContents& top, const std::string& path, LoadContext& ctx) {
  for (std::string_view name : {"admin", "log"}) {
    if (top.sections.count(name) != 0) {
      ctx.problems.add(top.path_of(path, name), "belongs at the top of a run file, not in a pipeline");
    }
  }
}

// A pipeline's `pulsar:`, and the daemon sections when the pipeline is a file of its own.
void load_client_and_daemon(const SectionContents& top, const std::string& path, const PulsarClientConfig* shared,
                            PulsarClientConfig& pulsar, DaemonConfig* daemon, LoadContext& ctx) {
  load_pulsar(top, path, shared, pulsar, ctx);
  if (daemon != nullptr) {
    load_daemon(top, path, *daemon, ctx);
  } else {
    reject_daemon_sections(top, path, ctx);
  }
}

// configs.extraKinesisProducerConfig: KPL settings over the sink keys, except where a sink key was given too.
void load_kpl(const SectionContents& configs_contents, const std::string& configs_path, SinkConfigs& configs,
              LoadContext& ctx) {
  const YAML::Node node = section_node(configs_contents, "extraKinesisProducerConfig");
  const std::string path = configs_contents.path_of(configs_path, "extraKinesisProducerConfig");
  if (node && node.IsMap()) {
    for (const auto& entry : node) {
      if (entry.first.IsScalar() && (entry.second.IsScalar() || entry.second.IsNull())) {
        configs.extra_kinesis_producer_config.emplace_back(entry.first.Scalar(),
                                                           entry.second.IsNull() ? "" : entry.second.Scalar());
      }
    }
  }
  const SinkConfigs before = configs;
  const SectionContents kpl = load_section(node, path, kpl_keys(), configs, ctx);
  for (const KeyDef<SinkConfigs>& def : kpl_keys().keys) {
    if (def.info.overridden_by.empty() || !kpl.has(def.info.name) || !configs_contents.has(def.info.overridden_by)) {
      continue;
    }
    const KeyDef<SinkConfigs>* sink_key = find_key(sink_configs_keys(), def.info.overridden_by);
    sink_key->assign(configs, sink_key->info, sink_key->read(before, sink_key->info));
    ctx.warnings.add(kpl.path_of(path, def.info.name),
                     fmt::format("overridden by {} (set in both places; the sink key wins, as in the Java connector)",
                                 configs_contents.path_of(configs_path, def.info.overridden_by)));
  }
}

SinkSpec load_sink_node(const YAML::Node& node, const std::string& path, LoadContext& ctx, DaemonConfig* daemon,
                        const PulsarClientConfig* shared_pulsar) {
  SinkSpec sink;
  const SectionContents top = load_section(node, path, sink_file_keys(), sink, ctx);
  const std::string configs_path = top.path_of(path, "configs");
  const SectionContents configs =
      load_section(section_node(top, "configs"), configs_path, sink_configs_keys(), sink.configs, ctx);
  load_kpl(configs, configs_path, sink.configs, ctx);
  load_client_and_daemon(top, path, shared_pulsar, sink.pulsar, daemon, ctx);
  validate_sink(sink, path, top, configs, ctx);
  return sink;
}

SourceSpec load_source_node(const YAML::Node& node, const std::string& path, LoadContext& ctx, DaemonConfig* daemon,
                            const PulsarClientConfig* shared_pulsar) {
  SourceSpec source;
  const SectionContents top = load_section(node, path, source_file_keys(), source, ctx);
  const std::string configs_path = top.path_of(path, "configs");
  const SectionContents configs =
      load_section(section_node(top, "configs"), configs_path, source_configs_keys(), source.configs, ctx);
  const SectionContents producer =
      load_section(section_node(top, "producerConfig"), top.path_of(path, "producerConfig"), producer_config_keys(),
                   source.producer_config, ctx);
  load_client_and_daemon(top, path, shared_pulsar, source.pulsar, daemon, ctx);
  validate_source(source, path, top, configs, producer, ctx);
  return source;
}

// Names must tell pipelines of one kind apart (metrics, logs, subscriptions and lease owners use them).
template <typename Spec>
void check_unique_names(const std::vector<Spec>& specs, std::string_view kind, LoadContext& ctx) {
  for (size_t i = 0; i < specs.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      if (specs[i].common.name == specs[j].common.name && !specs[i].common.name.empty()) {
        ctx.problems.add(fmt::format("{}[{}].name", kind, i),
                         fmt::format("\"{}\" is also the name of {}[{}]", specs[i].common.name, kind, j));
      }
    }
  }
}

RunSpec load_run_node(const YAML::Node& node, LoadContext& ctx) {
  RunSpec run;
  const SectionContents top = load_section(node, "", run_file_keys(), run, ctx);
  PulsarClientConfig shared;
  load_section(section_node(top, "pulsar"), "pulsar", pulsar_keys(), shared, ctx);
  load_daemon(top, "", run.daemon, ctx);
  for (std::string_view kind : {"sinks", "sources"}) {
    const YAML::Node list = section_node(top, kind);
    if (!list || list.IsNull()) continue;
    if (!list.IsSequence()) {
      ctx.problems.add(std::string(kind), fmt::format("expected a list of pipelines, got {}", node_kind(list)));
      continue;
    }
    for (size_t i = 0; i < list.size(); ++i) {
      const std::string path = fmt::format("{}[{}]", kind, i);
      if (!list[i].IsMap()) {
        ctx.problems.add(path, fmt::format("expected a map of keys, got {}", node_kind(list[i])));
      } else if (kind == "sinks") {
        run.sinks.push_back(load_sink_node(list[i], path, ctx, nullptr, &shared));
      } else {
        run.sources.push_back(load_source_node(list[i], path, ctx, nullptr, &shared));
      }
    }
  }
  if (run.sinks.empty() && run.sources.empty()) ctx.problems.add("", "a run file needs at least one of sinks, sources");
  check_unique_names(run.sinks, "sinks", ctx);
  check_unique_names(run.sources, "sources", ctx);
  return run;
}

enum class Kind { kSink, kSource, kRun };

// The table of an overridable section.
const KeyInfo* override_key(std::string_view section, std::string_view key) {
  auto find_in = [&](const auto& table) -> const KeyInfo* {
    for (const auto& def : table.keys) {
      if (def.info.name == key) return &def.info;
    }
    return nullptr;
  };
  if (section == "pulsar") return find_in(pulsar_keys());
  if (section == "admin") return find_in(admin_keys());
  if (section == "log") return find_in(log_keys());
  return nullptr;
}

// Sets `key` of the section map `parent[section]` (made when missing), dropping other spellings of the key.
void set_in_section(YAML::Node parent, std::string_view section, const KeyInfo& info, const std::string& value,
                    bool only_if_present) {
  if (!parent.IsMap()) return;
  YAML::Node node = parent[std::string(section)];
  if (only_if_present && !node.IsMap()) return;
  if (node.IsDefined() && !node.IsMap() && !node.IsNull()) return;  // not a map: the loader reports it
  if (!node.IsMap()) node = YAML::Node(YAML::NodeType::Map);
  bool present = false;
  for (std::string_view spelling : info.aliases) {
    if (node.IsMap() && node[std::string(spelling)]) {
      node.remove(std::string(spelling));
      present = true;
    }
  }
  if (node.IsMap() && node[std::string(info.name)]) present = true;
  if (only_if_present && !present) return;
  node[std::string(info.name)] = value;
  parent[std::string(section)] = node;
}

// LoadOptions::overrides, applied to the parsed document before it is loaded. Unknown names are problems.
void apply_overrides(YAML::Node& node, Kind kind, const LoadOptions& options, Problems& problems) {
  for (const auto& [name, value] : options.overrides) {
    const size_t dot = name.find('.');
    const std::string section = name.substr(0, dot);
    const KeyInfo* info = dot == std::string::npos ? nullptr : override_key(section, name.substr(dot + 1));
    if (info == nullptr) {
      problems.add(name, "cannot be set from the command line");
      continue;
    }
    if (!node.IsMap()) continue;
    set_in_section(node, section, *info, value, false);
    if (kind != Kind::kRun || section != "pulsar") continue;
    // A pipeline's own `pulsar:` overrides the shared one: the command line overrides both.
    for (const char* list : {"sinks", "sources"}) {
      YAML::Node pipelines = node[list];
      if (!pipelines.IsSequence()) continue;
      for (size_t i = 0; i < pipelines.size(); ++i) set_in_section(pipelines[i], section, *info, value, true);
    }
  }
}

Result<RunSpec> load_text(std::string_view text, Kind kind, Problems* problems_out, const LoadOptions& options) {
  Problems problems;
  Problems warnings;
  LoadContext ctx{problems, warnings, options};
  RunSpec run;
  YAML::Node node;
  try {
    node = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    problems.add(
        "", fmt::format("not valid YAML or JSON: {} (line {}, column {})", e.msg, e.mark.line + 1, e.mark.column + 1));
  }
  if (problems.empty()) apply_overrides(node, kind, options, problems);
  if (problems.empty()) {
    switch (kind) {
      case Kind::kSink:
        run.sinks.push_back(load_sink_node(node, "", ctx, &run.daemon, nullptr));
        break;
      case Kind::kSource:
        run.sources.push_back(load_source_node(node, "", ctx, &run.daemon, nullptr));
        break;
      case Kind::kRun:
        run = load_run_node(node, ctx);
        break;
    }
  }
  run.warnings = std::move(warnings);
  if (problems_out != nullptr) *problems_out = problems;
  if (!problems.empty()) {
    std::string message = problems.to_string();
    message.pop_back();  // the last newline
    return make_error(ErrorCode::kInvalidArgument, std::move(message));
  }
  return run;
}

Result<RunSpec> load_file(const std::string& path, Kind kind, Problems* problems_out, const LoadOptions& options) {
  auto text = read_text_file(path);
  if (!text.ok()) {
    if (problems_out != nullptr) {
      *problems_out = Problems();
      problems_out->add("", text.error().message);
    }
    return make_error(ErrorCode::kInvalidArgument, text.error().message);
  }
  auto run = load_text(*text, kind, problems_out, options);
  if (!run.ok()) return make_error(ErrorCode::kInvalidArgument, path + ":\n" + run.error().message);
  return run;
}

}  // namespace

Result<RunSpec> load_sink(const std::string& path, Problems* problems, const LoadOptions& options) {
  return load_file(path, Kind::kSink, problems, options);
}
Result<RunSpec> load_source(const std::string& path, Problems* problems, const LoadOptions& options) {
  return load_file(path, Kind::kSource, problems, options);
}
Result<RunSpec> load_run(const std::string& path, Problems* problems, const LoadOptions& options) {
  return load_file(path, Kind::kRun, problems, options);
}
Result<RunSpec> load_sink_text(std::string_view text, Problems* problems, const LoadOptions& options) {
  return load_text(text, Kind::kSink, problems, options);
}
Result<RunSpec> load_source_text(std::string_view text, Problems* problems, const LoadOptions& options) {
  return load_text(text, Kind::kSource, problems, options);
}
Result<RunSpec> load_run_text(std::string_view text, Problems* problems, const LoadOptions& options) {
  return load_text(text, Kind::kRun, problems, options);
}

}  // namespace pk::config
