// The configuration corpus: valid files give their expected effective configuration and warnings; broken ones give
// exactly their expected problems, each naming the key; no secret appears in any output.
#include <gtest/gtest.h>

#include "config/effective.h"
#include "config_test_util.h"

namespace pk::config {
namespace {

using testing::corpus_files;
using testing::read_file;

std::string expected_path(const std::filesystem::path& file, std::string_view suffix) {
  return file.string() + std::string(suffix);
}

// Compares `actual` with the golden file next to the input (or rewrites it when regenerating).
void expect_golden(const std::filesystem::path& file, std::string_view suffix, const std::string& actual) {
  const std::string golden = expected_path(file, suffix);
  if (testing::regenerate()) {
    testing::write_file(golden, actual);
    return;
  }
  const auto expected = read_file(golden);
  ASSERT_TRUE(expected.has_value()) << golden << " is missing (PK_REGENERATE_CONFIG_GOLDEN=1 writes it)";
  EXPECT_EQ(actual, *expected) << "for " << file.filename();
}

TEST(ConfigCorpus, ValidFilesGiveTheirEffectiveConfig) {
  const auto files = corpus_files("valid");
  EXPECT_EQ(files.size(), 8u);
  for (const auto& file : files) {
    Problems problems;
    auto run = testing::load_by_name(file, &problems);
    ASSERT_TRUE(run.ok()) << file.filename() << ":\n" << run.error().message;
    EXPECT_TRUE(problems.empty());
    expect_golden(file, ".effective", effective_config_text(*run));
    expect_golden(file, ".warnings", run->warnings.to_string());
  }
}

TEST(ConfigCorpus, BrokenFilesNameEveryProblem) {
  const auto files = corpus_files("invalid");
  EXPECT_EQ(files.size(), 17u);
  for (const auto& file : files) {
    Problems problems;
    auto run = testing::load_by_name(file, &problems);
    ASSERT_FALSE(run.ok()) << file.filename() << " loaded";
    EXPECT_EQ(run.error().code, ErrorCode::kInvalidArgument);
    EXPECT_FALSE(problems.empty());
    // The error message is the file name and then the same list.
    EXPECT_EQ(run.error().message,
              file.string() + ":\n" + problems.to_string().substr(0, problems.to_string().size() - 1));
    expect_golden(file, ".problems", problems.to_string());
  }
}

TEST(ConfigCorpus, NoSecretInAnyOutput) {
  for (std::string_view which : {"valid", "invalid"}) {
    for (const auto& file : corpus_files(which)) {
      Problems problems;
      auto run = testing::load_by_name(file, &problems);
      std::string outputs = problems.to_string();
      if (run.ok()) {
        outputs += run->warnings.to_string();
        outputs += effective_config_text(*run, OutputFormat::kYaml);
        outputs += effective_config_text(*run, OutputFormat::kJson);
      } else {
        outputs += run.error().message;
      }
      for (const std::string& canary : testing::kCanaries) {
        EXPECT_EQ(outputs.find(canary), std::string::npos) << canary << " leaked for " << file.filename();
      }
    }
  }
}

}  // namespace
}  // namespace pk::config

namespace pk::config {
namespace {

// What a reload of the effective configuration cannot reproduce: secret values (masked), the older top-level
// batchBuilder (folded into producerConfig) and the KPL map as written (the dump shows the settings in force).
void forget_unreproducible(RunSpec& run) {
  for (SinkSpec& s : run.sinks) {
    s.configs.aws.credential_plugin_param = Secret{};
    s.pulsar.auth_params = Secret{};
    s.configs.extra_kinesis_producer_config.clear();
  }
  for (SourceSpec& s : run.sources) {
    s.configs.aws.credential_plugin_param = Secret{};
    s.pulsar.auth_params = Secret{};
    s.batch_builder.reset();
  }
}

// The YAML dump is itself a run file that loads back to the same pipelines.
TEST(ConfigCorpus, EffectiveConfigLoadsBackAsTheSameRun) {
  for (const auto& file : corpus_files("valid")) {
    auto run = testing::load_by_name(file, nullptr);
    ASSERT_TRUE(run.ok());
    auto again = load_run_text(effective_config_text(*run), nullptr, testing::test_options());
    ASSERT_TRUE(again.ok()) << file.filename() << ":\n" << again.error().message;
    forget_unreproducible(*run);
    forget_unreproducible(*again);
    EXPECT_TRUE(again->sinks == run->sinks) << file.filename();
    EXPECT_TRUE(again->sources == run->sources) << file.filename();
    EXPECT_TRUE(again->daemon == run->daemon) << file.filename();
  }
}

}  // namespace
}  // namespace pk::config
