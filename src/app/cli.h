#pragma once
// The command line of `pulsar-kinesis`:
//
//   pulsar-kinesis sink     --config FILE [flags]   a pulsar-admin sink file: Pulsar topics -> Kinesis
//   pulsar-kinesis source   --config FILE [flags]   a pulsar-admin source file: Kinesis -> a Pulsar topic
//   pulsar-kinesis run      --config FILE [flags]   a run file: several sinks and sources in one process
//   pulsar-kinesis validate --config FILE [--kind sink|source|run] [--output yaml|json] [flags]
//   pulsar-kinesis version
//
// Flags of the pipeline commands and validate: --pulsar-url, --pulsar-auth-plugin, --pulsar-auth-params (override
// the file's `pulsar:`), --log-level, --log-format (override `log:`), --admin ADDRESS / --no-admin (override
// `admin:`), --log-file PATH (reopened on SIGHUP), --no-progress, --drain-timeout-ms. `--help` on every command.
// Exit codes: 0 clean stop (or a valid file), 1 runtime failure, 2 bad configuration or usage.

#include <chrono>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "config/effective.h"
#include "config/file_kind.h"

namespace pk::app {

enum class Command { kSink, kSource, kRun, kValidate, kVersion };

struct CommandLine {
  Command command = Command::kVersion;
  std::string config_path;
  std::optional<config::FileKind> kind;  // validate --kind; else detected from the contents
  config::OutputFormat output = config::OutputFormat::kYaml;
  std::optional<std::string> log_level;
  std::optional<std::string> log_format;
  std::string log_file;
  bool no_progress = false;
  std::optional<std::string> admin_address;
  bool no_admin = false;
  std::optional<std::string> pulsar_url;
  std::optional<std::string> pulsar_auth_plugin;
  std::optional<std::string> pulsar_auth_params;
  std::chrono::milliseconds drain_timeout{std::chrono::seconds(30)};

  // The flags that replace configuration values, as config::LoadOptions::overrides.
  std::vector<std::pair<std::string, std::string>> overrides() const;
};

// Parses the arguments. Returns the command line, or the exit code after --help (0, help on `out`) or a usage
// error (2, the error and a hint on `err`).
std::variant<CommandLine, int> parse_command_line(int argc, const char* const* argv, std::ostream& out,
                                                  std::ostream& err);

// The whole program: parse, set up logging, then version / validate / run the daemon. Returns the exit code.
int run_command_line(int argc, const char* const* argv, std::string_view version);

}  // namespace pk::app
