// `validate`'s checks beyond the key rules: endpoints parse and resolve, the credentials plugin takes its parameter,
// the pipelines' settings map, the admin address can be listened on. Every problem is named by its key.
#include "app/config_check.h"

#include <set>

#include <gtest/gtest.h>

#include "config/loader.h"

namespace pk::app {
namespace {

// A resolver that knows a few names and records what it was asked.
struct FakeDns {
  std::set<std::string> known = {"pulsar.example", "kinesis.example", "dynamo.example",
                                 "kinesis.us-east-1.amazonaws.com", "dynamodb.us-east-1.amazonaws.com"};
  std::vector<std::string> asked;
  CheckOptions options() {
    return CheckOptions{.resolve = [this](const std::string& host) -> Status {
      asked.push_back(host);
      if (known.count(host) != 0) return Status();
      return make_error(ErrorCode::kNotFound, "Name or service not known");
    }};
  }
};

config::RunSpec load_run(std::string_view text) {
  auto run = config::load_run_text(text);
  EXPECT_TRUE(run.ok()) << run.error().message;
  return run.ok() ? *run : config::RunSpec{};
}

constexpr std::string_view kGood = R"(admin: {address: "127.0.0.1:9100"}
pulsar: {serviceUrl: "pulsar://pulsar.example:6650,10.0.0.2:6650"}
sinks:
  - name: out
    inputs: [t]
    configs:
      awsEndpoint: http://kinesis.example:4567
      awsRegion: us-east-1
      awsKinesisStreamName: s
      awsCredentialPluginParam: '{"accessKey":"AKID","secretKey":"not-a-real-secret-0000"}'
sources:
  - name: back
    topicName: t2
    configs:
      awsRegion: us-east-1
      awsKinesisStreamName: s
      awsCredentialPluginName: org.apache.pulsar.io.aws.AwsDefaultProviderChainPlugin
      awsCredentialPluginParam: ""
)";

TEST(ConfigCheck, AGoodFileHasNoProblemAndEveryHostIsLookedUp) {
  FakeDns dns;
  const auto problems = check_run(load_run(kGood), config::FileKind::kRun, dns.options());
  EXPECT_TRUE(problems.empty()) << problems.to_string();
  // IP literals are not looked up; region endpoints are.
  EXPECT_EQ(std::set<std::string>(dns.asked.begin(), dns.asked.end()),
            (std::set<std::string>{"pulsar.example", "kinesis.example", "kinesis.us-east-1.amazonaws.com",
                                   "dynamodb.us-east-1.amazonaws.com"}));
}

TEST(ConfigCheck, EveryProblemNamedByItsKey) {
  constexpr std::string_view kBad = R"(admin: {address: "admin.example:9100"}
pulsar: {serviceUrl: "pulsar://pulsar.nowhere.invalid:6650"}
sinks:
  - name: out
    inputs: [t]
    configs:
      awsEndpoint: "ftp://kinesis.example"
      awsRegion: us-east-1
      awsKinesisStreamName: s
      awsCredentialPluginParam: '{"accessKey":"AKID"}'
sources:
  - name: back
    topicName: t2
    configs:
      awsRegion: us-east-1
      awsKinesisStreamName: s
      dynamoEndpoint: http://dynamo.nowhere.invalid
      awsCredentialPluginName: org.apache.pulsar.io.aws.STSAssumeRoleProviderPlugin
      awsCredentialPluginParam: '{"roleSessionName":"x"}'
)";
  FakeDns dns;
  const auto problems = check_run(load_run(kBad), config::FileKind::kRun, dns.options());
  std::vector<std::string> paths;
  for (const auto& p : problems.items()) paths.push_back(p.path);
  EXPECT_EQ(paths, (std::vector<std::string>{"sinks[0].pulsar.serviceUrl", "sinks[0].configs.awsEndpoint",
                                             "sinks[0].configs.awsCredentialPluginParam",
                                             "sources[0].pulsar.serviceUrl", "sources[0].configs.dynamoEndpoint",
                                             "sources[0].configs.awsCredentialPluginParam", "admin.address"}))
      << problems.to_string();
  EXPECT_EQ(problems.items()[0].message, "host \"pulsar.nowhere.invalid\" does not resolve: Name or service not known");
  EXPECT_NE(problems.items()[1].message.find("ftp"), std::string::npos) << problems.items()[1].message;
  EXPECT_NE(problems.items()[2].message.find("secretKey"), std::string::npos) << problems.items()[2].message;
  EXPECT_NE(problems.items()[5].message.find("roleArn"), std::string::npos) << problems.items()[5].message;
}

TEST(ConfigCheck, APipelineFileHasNoListPrefix) {
  constexpr std::string_view kSink = R"(name: out
inputs: [t]
configs:
  awsRegion: us-east-1
  awsKinesisStreamName: s
  awsCredentialPluginParam: '{"secretKey":"x"}'
pulsar: {serviceUrl: "pulsar://pulsar.example:6650"}
)";
  auto run = config::load_sink_text(kSink);
  ASSERT_TRUE(run.ok()) << run.error().message;
  FakeDns dns;
  const auto problems = check_run(*run, config::FileKind::kSink, dns.options());
  ASSERT_EQ(problems.size(), 1u) << problems.to_string();
  EXPECT_EQ(problems.items()[0].path, "configs.awsCredentialPluginParam");
}

TEST(ConfigCheck, TheSystemResolver) {
  EXPECT_TRUE(resolve_host("localhost").ok());
  // .invalid never resolves (RFC 2606).
  auto missing = resolve_host("pk-check.invalid");
  ASSERT_FALSE(missing.ok());
  EXPECT_FALSE(missing.error().message.empty());
}

}  // namespace
}  // namespace pk::app
