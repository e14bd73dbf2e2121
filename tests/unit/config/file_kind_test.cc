// Telling sink, source and run files apart by their keys; command-line overrides of `pulsar:`, `admin:`, `log:`.
#include "config/file_kind.h"

#include <gtest/gtest.h>

#include "config/loader.h"
#include "config_test_util.h"

namespace pk::config {
namespace {

FileKind kind(std::string_view text) {
  auto detected = detect_file_kind(text);
  EXPECT_TRUE(detected.ok()) << text << ": " << detected.error().message;
  return detected.ok() ? *detected : FileKind::kRun;
}

TEST(FileKind, TheCorpusIsToldApartByContentAlone) {
  for (std::string_view which : {"valid", "invalid"}) {
    for (const auto& file : testing::corpus_files(which)) {
      const std::string name = file.filename().string();
      auto text = testing::read_file(file.string());
      ASSERT_TRUE(text.has_value());
      auto detected = detect_file_kind(*text);
      if (!detected.ok()) {
        // Only files that say nothing about their kind (empty, not YAML, no pipeline key or a misspelled one) stay
        // undecided.
        EXPECT_TRUE(name == "sink-not-yaml.yaml" || name == "run-empty.yaml" || name == "sink-unknown-top-level.yaml" ||
                    name == "sink-missing-required.yaml")
            << name;
        continue;
      }
      const std::string expected =
          name.substr(0, name.find('-') == std::string::npos ? name.find('.') : name.find('-'));
      EXPECT_EQ(to_string(*detected), expected) << name;
    }
  }
}

TEST(FileKind, KeysDecide) {
  EXPECT_EQ(kind("sinks: []"), FileKind::kRun);
  EXPECT_EQ(kind("{\"sources\": []}"), FileKind::kRun);
  EXPECT_EQ(kind("name: a\ninputs: [t]"), FileKind::kSink);
  EXPECT_EQ(kind("name: a\ntopicsPattern: persistent://public/default/.*"), FileKind::kSink);
  EXPECT_EQ(kind("name: a\ntopicName: t"), FileKind::kSource);
  // Only `configs:` tells: the source-only keys win.
  EXPECT_EQ(kind("name: a\nconfigs:\n  initialPositionInStream: LATEST\n  awsRegion: us-east-1"), FileKind::kSource);
  EXPECT_EQ(kind("name: a\nconfigs:\n  messageFormat: FULL_MESSAGE_IN_JSON"), FileKind::kSink);
}

TEST(FileKind, UndecidedFilesSayHowToName) {
  auto detected = detect_file_kind("name: a\nconfigs:\n  awsRegion: us-east-1");
  ASSERT_FALSE(detected.ok());
  EXPECT_NE(detected.error().message.find("--kind sink|source|run"), std::string::npos) << detected.error().message;
  EXPECT_FALSE(detect_file_kind("- a list").ok());
  EXPECT_FALSE(detect_file_kind("{not: [closed").ok());
  EXPECT_EQ(parse_file_kind("source"), FileKind::kSource);
  EXPECT_FALSE(parse_file_kind("sinks").has_value());
}

constexpr std::string_view kSink = R"(name: s
inputs: [t]
configs:
  awsRegion: us-east-1
  awsKinesisStreamName: k
  awsCredentialPluginParam: ""
pulsar:
  brokerServiceUrl: pulsar://from-file:6650
  authPlugin: token
  authParams: "token:abc"
)";

LoadOptions with_overrides(std::vector<std::pair<std::string, std::string>> overrides) {
  LoadOptions options = testing::test_options();
  options.overrides = std::move(overrides);
  return options;
}

TEST(Overrides, ReplaceTheFilesValues) {
  auto run = load_sink_text(kSink, nullptr,
                            with_overrides({{"pulsar.serviceUrl", "pulsar://from-flag:6650"},
                                            {"pulsar.authParams", "${PK_TEST_PULSAR_TOKEN}"},
                                            {"admin.address", "127.0.0.1:9200"},
                                            {"admin.enabled", "false"},
                                            {"log.level", "debug"},
                                            {"log.format", "json"}}));
  ASSERT_TRUE(run.ok()) << run.error().message;
  const SinkSpec& sink = run->sinks.at(0);
  EXPECT_EQ(sink.pulsar.service_url, "pulsar://from-flag:6650");
  EXPECT_EQ(sink.pulsar.auth_plugin, "token");
  EXPECT_EQ(sink.pulsar.auth_params.value, std::string(testing::kCanaryToken));
  EXPECT_EQ(sink.pulsar.auth_params.reference, "${PK_TEST_PULSAR_TOKEN}");
  EXPECT_EQ(run->daemon.admin.address, "127.0.0.1:9200");
  EXPECT_FALSE(run->daemon.admin.enabled);
  EXPECT_EQ(run->daemon.log.level, "debug");
  EXPECT_EQ(run->daemon.log.format, LogFormat::kJson);
}

TEST(Overrides, ReplaceAnAliasSpellingWithoutADuplicate) {
  auto run = load_sink_text(kSink, nullptr, with_overrides({{"pulsar.serviceUrl", "pulsar://flag:6650"}}));
  ASSERT_TRUE(run.ok()) << run.error().message;
  EXPECT_EQ(run->sinks.at(0).pulsar.service_url, "pulsar://flag:6650");
  auto unchanged = load_sink_text(kSink, nullptr, testing::test_options());
  ASSERT_TRUE(unchanged.ok()) << unchanged.error().message;
  EXPECT_EQ(unchanged->sinks.at(0).pulsar.service_url, "pulsar://from-file:6650");
}

TEST(Overrides, ReachEveryPipelineOfARunFile) {
  constexpr std::string_view kRun = R"(pulsar:
  serviceUrl: pulsar://shared:6650
sinks:
  - name: a
    inputs: [t]
    configs: {awsRegion: us-east-1, awsKinesisStreamName: k, awsCredentialPluginParam: ""}
    pulsar:
      serviceUrl: pulsar://own:6650
sources:
  - name: b
    topicName: t2
    configs: {awsRegion: us-east-1, awsKinesisStreamName: k, awsCredentialPluginParam: ""}
)";
  auto run = load_run_text(kRun, nullptr, with_overrides({{"pulsar.serviceUrl", "pulsar://flag:6650"}}));
  ASSERT_TRUE(run.ok()) << run.error().message;
  EXPECT_EQ(run->sinks.at(0).pulsar.service_url, "pulsar://flag:6650");
  EXPECT_EQ(run->sources.at(0).pulsar.service_url, "pulsar://flag:6650");
}

TEST(Overrides, BadValuesAreProblemsNamingTheKey) {
  Problems problems;
  auto run =
      load_sink_text(kSink, &problems, with_overrides({{"pulsar.serviceUrl", "http://nope"}, {"log.level", "loud"}}));
  ASSERT_FALSE(run.ok());
  ASSERT_EQ(problems.size(), 2u) << problems.to_string();
  EXPECT_EQ(problems.items()[0].path, "pulsar.serviceUrl");
  EXPECT_EQ(problems.items()[1].path, "log.level");
  Problems unknown;
  EXPECT_FALSE(load_sink_text(kSink, &unknown, with_overrides({{"configs.awsRegion", "x"}})).ok());
  EXPECT_EQ(unknown.to_string(), "configs.awsRegion: cannot be set from the command line\n");
}

}  // namespace
}  // namespace pk::config
