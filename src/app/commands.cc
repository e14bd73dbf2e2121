#include "app/commands.h"

#include <cstdio>
#include <iostream>

#include <fmt/format.h>

#include "app/config_check.h"
#include "app/console.h"
#include "app/daemon.h"
#include "app/log_output.h"
#include "common/log.h"
#include "config/effective.h"
#include "config/file_kind.h"
#include "config/loader.h"

namespace pk::app {

namespace {

config::FileKind kind_of(Command command) {
  switch (command) {
    case Command::kSource:
      return config::FileKind::kSource;
    case Command::kRun:
      return config::FileKind::kRun;
    default:
      return config::FileKind::kSink;
  }
}

void print_problems(std::FILE* to, const std::string& path, const config::Problems& problems) {
  std::fprintf(to, "pulsar-kinesis: %s: %zu problem%s:\n", path.c_str(), problems.size(),
               problems.size() == 1 ? "" : "s");
  for (const config::Problem& p : problems.items()) std::fprintf(to, "  %s\n", p.to_string().c_str());
}

config::LoadOptions load_options(const CommandLine& line) {
  config::LoadOptions options;
  options.overrides = line.overrides();
  return options;
}

// The file's problems, or the file-level error (unreadable) as one problem.
config::Problems problems_of(const Result<config::RunSpec>& loaded, config::Problems problems) {
  if (problems.empty() && !loaded.ok()) problems.add("", loaded.error().message);
  return problems;
}

}  // namespace

int validate_command(const CommandLine& line) {
  config::FileKind kind = config::FileKind::kSink;
  if (line.kind) {
    kind = *line.kind;
  } else {
    auto text = config::read_text_file(line.config_path);
    if (!text.ok()) {
      std::fprintf(stderr, "pulsar-kinesis: %s\n", text.error().message.c_str());
      return kExitBadConfig;
    }
    auto detected = config::detect_file_kind(*text);
    if (!detected.ok()) {
      std::fprintf(stderr, "pulsar-kinesis: %s: %s\n", line.config_path.c_str(), detected.error().message.c_str());
      return kExitBadConfig;
    }
    kind = *detected;
  }
  config::Problems problems;
  auto loaded = config::load_file_of_kind(line.config_path, kind, &problems, load_options(line));
  if (!loaded.ok()) {
    print_problems(stderr, line.config_path, problems_of(loaded, problems));
    return kExitBadConfig;
  }
  for (const config::Problem& warning : loaded->warnings.items()) {
    std::fprintf(stderr, "pulsar-kinesis: warning: %s\n", warning.to_string().c_str());
  }
  const config::Problems found = check_run(*loaded, kind);
  std::fputs(config::effective_config_text(*loaded, line.output).c_str(), stdout);
  std::fflush(stdout);
  if (!found.empty()) {
    print_problems(stderr, line.config_path, found);
    return kExitBadConfig;
  }
  std::fprintf(stderr, "pulsar-kinesis: %s: a valid %s file (%zu sink%s, %zu source%s)\n", line.config_path.c_str(),
               std::string(config::to_string(kind)).c_str(), loaded->sinks.size(), loaded->sinks.size() == 1 ? "" : "s",
               loaded->sources.size(), loaded->sources.size() == 1 ? "" : "s");
  return kExitOk;
}

int daemon_command(const CommandLine& line, std::string_view version) {
  Console console(2);
  LogOutputOptions log_options;
  if (line.log_format == "json") log_options.format = LogFormat::kJson;
  log_options.file = line.log_file;
  auto output = LogOutput::create(log_options, &console);
  if (!output.ok()) {
    std::fprintf(stderr, "pulsar-kinesis: --log-file: %s\n", output.error().message.c_str());
    return kExitBadConfig;
  }
  std::shared_ptr<LogOutput> log_output = *output;
  set_log_sink(log_output);
  if (!line.log_level || !set_log_level(*line.log_level)) set_log_level("info");  // a bad name: the loader says so
  struct ResetSink {
    ~ResetSink() { set_log_sink(nullptr); }
  } reset_sink;
  auto log = logger("app");

  config::Problems problems;
  auto loaded = config::load_file_of_kind(line.config_path, kind_of(line.command), &problems, load_options(line));
  if (!loaded.ok()) {
    // A list on stderr for people; one line in the log (a file, or JSON lines on stderr) for the log's readers.
    const bool json_on_stderr = line.log_file.empty() && log_options.format == LogFormat::kJson;
    if (!line.log_file.empty() || json_on_stderr) log->error("{}", loaded.error().message);
    if (!json_on_stderr) print_problems(stderr, line.config_path, problems_of(loaded, problems));
    return kExitBadConfig;
  }
  const config::RunSpec& spec = *loaded;
  set_log_level(spec.daemon.log.level);
  log_output->set_format(spec.daemon.log.format == config::LogFormat::kJson ? LogFormat::kJson : LogFormat::kText);
  for (const config::Problem& warning : spec.warnings.items()) logger("config")->warn("{}", warning.to_string());

  DaemonOptions options;
  options.drain_timeout = line.drain_timeout;
  options.version = std::string(version);
  options.console = &console;
  options.progress = console.is_terminal() && !line.no_progress;
  options.on_sighup = [log_output] {
    if (Status reopened = log_output->reopen(); !reopened.ok()) {
      std::fprintf(stderr, "pulsar-kinesis: %s\n", reopened.error().message.c_str());
    }
  };
  if (spec.daemon.admin.enabled) {
    auto address = http::ListenAddress::parse(spec.daemon.admin.address);
    if (!address.ok()) {
      log->error("admin.address: {}", address.error().message);
      return kExitBadConfig;
    }
    options.admin = *address;
  }
  log->info("pulsar-kinesis {}: {} sink{}, {} source{} from {}", version, spec.sinks.size(),
            spec.sinks.size() == 1 ? "" : "s", spec.sources.size(), spec.sources.size() == 1 ? "" : "s",
            line.config_path);
  return run_daemon(spec, options);
}

}  // namespace pk::app
