// pulsar-kinesis: moves data between Apache Pulsar and AWS Kinesis Data Streams.
//
//   pulsar-kinesis sink --config FILE       a pulsar-admin sink config (YAML or JSON): Pulsar topics -> Kinesis
//   pulsar-kinesis source --config FILE     a pulsar-admin source config: Kinesis -> a Pulsar topic
//   pulsar-kinesis run --config FILE        several pipelines in one process
//   pulsar-kinesis validate --config FILE   check a file, print the effective config (secrets masked)
//   pulsar-kinesis version
//
// Exit codes: 0 clean stop, 1 runtime failure, 2 bad configuration.

#include <cstdio>
#include <iostream>
#include <string>

#include <CLI/CLI.hpp>

#include "app/daemon.h"
#include "common/log.h"
#include "config/loader.h"

namespace {

enum class FileKind { kSink, kSource, kRun };

pk::Result<pk::config::RunSpec> load(FileKind kind, const std::string& path) {
  switch (kind) {
    case FileKind::kSink:
      return pk::config::load_sink(path);
    case FileKind::kSource:
      return pk::config::load_source(path);
    case FileKind::kRun:
      return pk::config::load_run(path);
  }
  return pk::make_error(pk::ErrorCode::kInternal, "unknown file kind");
}

int run(FileKind kind, const std::string& path, const pk::app::DaemonOptions& options) {
  auto spec = load(kind, path);
  if (!spec.ok()) {
    std::fprintf(stderr, "pulsar-kinesis: %s: %s\n", path.c_str(), spec.error().message.c_str());
    return pk::app::kExitBadConfig;
  }
  for (const auto& warning : spec->warnings.items()) pk::logger("config")->warn("{}", warning.to_string());
  return pk::app::run_daemon(*spec, options);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"pulsar-kinesis: moves data between Apache Pulsar and AWS Kinesis Data Streams"};
  app.require_subcommand(1);
  std::string log_level = "info";
  app.add_option("--log-level", log_level, "trace, debug, info, warn, error or off")->capture_default_str();
  pk::app::DaemonOptions options;
  int64_t drain_ms = options.drain_timeout.count();
  app.add_option("--drain-timeout-ms", drain_ms, "how long a SIGTERM drain may take before the process exits")
      ->capture_default_str();

  std::string config_path;
  auto add_pipeline_command = [&](const char* name, const char* help) {
    auto* command = app.add_subcommand(name, help);
    command->add_option("-c,--config", config_path, "the configuration file (YAML or JSON)")->required();
    return command;
  };
  auto* sink = add_pipeline_command("sink", "run a sink: Pulsar topics -> Kinesis stream (pulsar-admin sink config)");
  auto* source =
      add_pipeline_command("source", "run a source: Kinesis stream -> Pulsar topic (pulsar-admin source config)");
  auto* run_all =
      add_pipeline_command("run", "run several pipelines in one process (a file listing sinks and sources)");
  auto* version = app.add_subcommand("version", "print the version");

  CLI11_PARSE(app, argc, argv);
  if (!pk::set_log_level(log_level)) {
    std::fprintf(stderr, "pulsar-kinesis: --log-level: unknown level '%s'\n", log_level.c_str());
    return pk::app::kExitBadConfig;
  }
  options.drain_timeout = std::chrono::milliseconds(drain_ms);
  if (*version) {
    std::printf("pulsar-kinesis %s\n", PK_VERSION);
    return 0;
  }
  if (*sink) return run(FileKind::kSink, config_path, options);
  if (*source) return run(FileKind::kSource, config_path, options);
  if (*run_all) return run(FileKind::kRun, config_path, options);
  return pk::app::kExitBadConfig;
}
