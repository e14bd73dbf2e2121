// The command line: commands, flags, overrides, --help and usage errors with their exit codes.
#include "app/cli.h"

#include <sstream>

#include <gtest/gtest.h>

namespace pk::app {
namespace {

struct Parsed {
  std::variant<CommandLine, int> result;
  std::string out;
  std::string err;
};

Parsed parse(std::vector<std::string> args) {
  args.insert(args.begin(), "pulsar-kinesis");
  std::vector<const char*> argv;
  for (const auto& a : args) argv.push_back(a.c_str());
  std::ostringstream out;
  std::ostringstream err;
  auto result = parse_command_line(static_cast<int>(argv.size()), argv.data(), out, err);
  return Parsed{std::move(result), out.str(), err.str()};
}

// A file that exists (--config is checked for existence).
const std::string kFile = std::string(PK_TESTDATA_DIR) + "/config/valid/run.yaml";

TEST(CommandLine, PipelineCommandsWithEveryFlag) {
  auto p = parse({"run",
                  "--config",
                  kFile,
                  "--pulsar-url",
                  "pulsar://flag:6650",
                  "--pulsar-auth-plugin",
                  "token",
                  "--pulsar-auth-params",
                  "file:/run/token",
                  "--log-level",
                  "debug",
                  "--log-format",
                  "json",
                  "--admin",
                  "0.0.0.0:9200",
                  "--log-file",
                  "/tmp/pk.log",
                  "--no-progress",
                  "--drain-timeout-ms",
                  "5000"});
  ASSERT_TRUE(std::holds_alternative<CommandLine>(p.result)) << p.err;
  const auto& line = std::get<CommandLine>(p.result);
  EXPECT_EQ(line.command, Command::kRun);
  EXPECT_EQ(line.config_path, kFile);
  EXPECT_EQ(line.log_file, "/tmp/pk.log");
  EXPECT_TRUE(line.no_progress);
  EXPECT_EQ(line.drain_timeout, std::chrono::milliseconds(5000));
  using Pairs = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(line.overrides(), (Pairs{{"pulsar.serviceUrl", "pulsar://flag:6650"},
                                     {"pulsar.authPlugin", "token"},
                                     {"pulsar.authParams", "file:/run/token"},
                                     {"log.level", "debug"},
                                     {"log.format", "json"},
                                     {"admin.address", "0.0.0.0:9200"}}));
}

TEST(CommandLine, DefaultsOverrideNothing) {
  for (std::string command : {"sink", "source", "run"}) {
    auto p = parse({command, "-c", kFile});
    ASSERT_TRUE(std::holds_alternative<CommandLine>(p.result)) << p.err;
    const auto& line = std::get<CommandLine>(p.result);
    EXPECT_TRUE(line.overrides().empty());
    EXPECT_FALSE(line.no_progress);
    EXPECT_EQ(line.drain_timeout, std::chrono::seconds(30));
  }
  auto no_admin = parse({"sink", "-c", kFile, "--no-admin"});
  EXPECT_EQ(std::get<CommandLine>(no_admin.result).overrides(),
            (std::vector<std::pair<std::string, std::string>>{{"admin.enabled", "false"}}));
}

TEST(CommandLine, Validate) {
  auto p = parse({"validate", "--config", kFile, "--kind", "run", "--output", "json"});
  ASSERT_TRUE(std::holds_alternative<CommandLine>(p.result)) << p.err;
  const auto& line = std::get<CommandLine>(p.result);
  EXPECT_EQ(line.command, Command::kValidate);
  EXPECT_EQ(line.kind, config::FileKind::kRun);
  EXPECT_EQ(line.output, config::OutputFormat::kJson);
  auto detected = parse({"validate", "--config", kFile});
  EXPECT_FALSE(std::get<CommandLine>(detected.result).kind.has_value());
  EXPECT_EQ(std::get<CommandLine>(detected.result).output, config::OutputFormat::kYaml);
}

TEST(CommandLine, HelpEverywhereExitsZero) {
  for (std::vector<std::string> args : std::vector<std::vector<std::string>>{{"--help"},
                                                                             {"sink", "--help"},
                                                                             {"source", "-h"},
                                                                             {"run", "--help"},
                                                                             {"validate", "--help"},
                                                                             {"version", "--help"}}) {
    auto p = parse(args);
    ASSERT_TRUE(std::holds_alternative<int>(p.result)) << args[0];
    EXPECT_EQ(std::get<int>(p.result), 0);
    EXPECT_NE(p.out.find("Usage: pulsar-kinesis"), std::string::npos) << p.out;
  }
  auto top = parse({"--help"});
  for (std::string_view command : {"sink", "source", "run", "validate", "version", "Exit codes"}) {
    EXPECT_NE(top.out.find(command), std::string::npos) << command;
  }
  auto run = parse({"run", "--help"});
  for (std::string_view flag :
       {"--config", "--pulsar-url", "--pulsar-auth-plugin", "--pulsar-auth-params", "--log-level", "--log-format",
        "--log-file", "--admin", "--no-admin", "--no-progress", "--drain-timeout-ms"}) {
    EXPECT_NE(run.out.find(flag), std::string::npos) << flag;
  }
}

TEST(CommandLine, UsageErrorsExitTwo) {
  for (std::vector<std::string> args :
       std::vector<std::vector<std::string>>{{},
                                             {"launch"},
                                             {"sink"},
                                             {"sink", "--config", "/no/such/file.yaml"},
                                             {"sink", "--config", kFile, "--bogus"},
                                             {"validate", "--config", kFile, "--kind", "pipe"},
                                             {"run", "--config", kFile, "--drain-timeout-ms", "0"}}) {
    auto p = parse(args);
    ASSERT_TRUE(std::holds_alternative<int>(p.result)) << (args.empty() ? "" : args.back());
    EXPECT_EQ(std::get<int>(p.result), 2);
    EXPECT_FALSE(p.err.empty());
  }
}

TEST(CommandLine, Version) {
  auto p = parse({"version"});
  ASSERT_TRUE(std::holds_alternative<CommandLine>(p.result));
  EXPECT_EQ(std::get<CommandLine>(p.result).command, Command::kVersion);
}

}  // namespace
}  // namespace pk::app
