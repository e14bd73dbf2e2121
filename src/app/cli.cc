#include "app/cli.h"

#include <iostream>

#include <CLI/CLI.hpp>

#include "app/commands.h"

namespace pk::app {

namespace {

constexpr std::string_view kAbout = "pulsar-kinesis: moves data between Apache Pulsar and AWS Kinesis Data Streams";

struct Flags {
  int64_t drain_ms = 30000;
  std::string kind;
  std::string output = "yaml";
};

// The flags every pipeline command and validate take.
void add_config_flags(CLI::App& command, CommandLine& line, Flags& flags, bool daemon) {
  command.add_option("-c,--config", line.config_path, "the configuration file (YAML or JSON)")
      ->required()
      ->check(CLI::ExistingFile);
  command.add_option("--pulsar-url", line.pulsar_url, "override pulsar.serviceUrl (pulsar://host:6650)");
  command.add_option("--pulsar-auth-plugin", line.pulsar_auth_plugin,
                     "override pulsar.authPlugin (token, tls or the Java class names)");
  command.add_option("--pulsar-auth-params", line.pulsar_auth_params,
                     "override pulsar.authParams; prefer file:/path or ${ENV_VAR} to a token on the command line");
  command.add_option("--log-level", line.log_level, "override log.level: trace, debug, info, warn, error or off");
  command.add_option("--log-format", line.log_format, "override log.format: text (readable) or json (JSON lines)");
  command.add_option("--admin", line.admin_address,
                     "override admin.address: where /metrics, /healthz, /readyz, /status and the status page listen "
                     "(host:port; port 0 picks one)");
  command.add_flag("--no-admin", line.no_admin, "no admin endpoint (admin.enabled: false)");
  if (!daemon) return;
  command.add_option("--log-file", line.log_file, "write the log to this file (appending; SIGHUP reopens it)");
  command.add_flag("--no-progress", line.no_progress,
                   "no live progress line on the terminal (it is shown only when stderr is a terminal)");
  command
      .add_option("--drain-timeout-ms", flags.drain_ms,
                  "how long a SIGTERM drain may take before the process exits anyway")
      ->capture_default_str()
      ->check(CLI::Range(int64_t{1}, int64_t{3600000}));
}

}  // namespace

std::vector<std::pair<std::string, std::string>> CommandLine::overrides() const {
  std::vector<std::pair<std::string, std::string>> out;
  if (pulsar_url) out.emplace_back("pulsar.serviceUrl", *pulsar_url);
  if (pulsar_auth_plugin) out.emplace_back("pulsar.authPlugin", *pulsar_auth_plugin);
  if (pulsar_auth_params) out.emplace_back("pulsar.authParams", *pulsar_auth_params);
  if (log_level) out.emplace_back("log.level", *log_level);
  if (log_format) out.emplace_back("log.format", *log_format);
  if (admin_address) out.emplace_back("admin.address", *admin_address);
  if (no_admin) out.emplace_back("admin.enabled", "false");
  return out;
}

std::variant<CommandLine, int> parse_command_line(int argc, const char* const* argv, std::ostream& out,
                                                  std::ostream& err) {
  CommandLine line;
  Flags flags;
  CLI::App app{std::string(kAbout), "pulsar-kinesis"};
  app.require_subcommand(1, 1);
  app.footer(
      "Exit codes: 0 clean stop (validate: the file is valid), 1 runtime failure, 2 bad configuration or usage.\n"
      "Run `pulsar-kinesis <command> --help` for a command's flags.");

  auto* sink = app.add_subcommand("sink", "run a sink: Pulsar topics -> Kinesis stream (a pulsar-admin sink file)");
  auto* source =
      app.add_subcommand("source", "run a source: Kinesis stream -> Pulsar topic (a pulsar-admin source file)");
  auto* run = app.add_subcommand("run", "run several sinks and sources in one process (a run file)");
  for (auto* command : {sink, source, run}) {
    add_config_flags(*command, line, flags, true);
    command->footer("SIGTERM / SIGINT drain and stop (a second one exits at once); SIGHUP reopens --log-file.");
  }
  auto* validate = app.add_subcommand(
      "validate",
      "check a file completely (keys, credentials plugin, endpoints and their DNS names, TLS files) and print the "
      "effective configuration, secrets masked; exit 0 when valid, 2 listing every problem");
  add_config_flags(*validate, line, flags, false);
  validate->add_option("--kind", flags.kind, "sink, source or run (default: told by the file's keys)")
      ->check(CLI::IsMember({"sink", "source", "run"}));
  validate->add_option("--output", flags.output, "yaml or json")
      ->capture_default_str()
      ->check(CLI::IsMember({"yaml", "json"}));
  auto* version = app.add_subcommand("version", "print the version");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e, out, err);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e, out, err);
  } catch (const CLI::ParseError& e) {
    (void)app.exit(e, out, err);
    return 2;
  }
  line.drain_timeout = std::chrono::milliseconds(flags.drain_ms);
  if (!flags.kind.empty()) line.kind = config::parse_file_kind(flags.kind);
  line.output = flags.output == "json" ? config::OutputFormat::kJson : config::OutputFormat::kYaml;
  if (*sink) line.command = Command::kSink;
  if (*source) line.command = Command::kSource;
  if (*run) line.command = Command::kRun;
  if (*validate) line.command = Command::kValidate;
  if (*version) line.command = Command::kVersion;
  return line;
}

int run_command_line(int argc, const char* const* argv, std::string_view version) {
  auto parsed = parse_command_line(argc, argv, std::cout, std::cerr);
  if (const int* code = std::get_if<int>(&parsed)) return *code;
  const CommandLine& line = std::get<CommandLine>(parsed);
  switch (line.command) {
    case Command::kVersion:
      std::cout << "pulsar-kinesis " << version << "\n";
      return 0;
    case Command::kValidate:
      return validate_command(line);
    case Command::kSink:
    case Command::kSource:
    case Command::kRun:
      return daemon_command(line, version);
  }
  return 2;
}

}  // namespace pk::app
