// The configuration files we ship (deploy/examples and the Kubernetes ConfigMap) load without a problem or a
// warning, say what they claim to (pipelines, streams, subscription type, admin address), and every ${VAR} they
// hold is read from the environment: none stays in a value literally.
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include "config/loader.h"

namespace {

namespace fs = std::filesystem;
using pk::config::RunSpec;

const fs::path kDeploy = fs::path(PK_SOURCE_DIR) / "deploy";

std::string read_file(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_TRUE(in.good() || in.eof()) << "cannot read " << path;
  return text.str();
}

// The ${NAME}s of a file, comment lines left out (the files explain `${NAME}` in their header).
std::set<std::string> env_references(const std::string& text) {
  static const std::regex kCommentLine(R"((^|\n)[ \t]*#[^\n]*)");
  static const std::regex kReference(R"(\$\{([A-Za-z_][A-Za-z0-9_]*)\})");
  const std::string code = std::regex_replace(text, kCommentLine, "$1");
  std::set<std::string> names;
  for (auto it = std::sregex_iterator(code.begin(), code.end(), kReference); it != std::sregex_iterator(); ++it) {
    names.insert((*it)[1]);
  }
  return names;
}

// Loads `text` with an environment that answers every name (and remembers which were asked).
struct Loaded {
  pk::Result<RunSpec> spec;
  std::set<std::string> asked;
};

template <typename LoadText>
Loaded load(const std::string& text, LoadText load_text) {
  auto asked = std::make_shared<std::set<std::string>>();
  pk::config::LoadOptions options;
  options.env = [asked](const std::string& name) -> std::optional<std::string> {
    asked->insert(name);
    return "value-of-" + name;
  };
  pk::config::Problems problems;
  auto spec = load_text(text, &problems, options);
  return Loaded{std::move(spec), *asked};
}

void expect_clean(const Loaded& loaded, const std::string& text, const std::string& what) {
  ASSERT_TRUE(loaded.spec.ok()) << what << ":\n" << loaded.spec.error().message;
  EXPECT_TRUE(loaded.spec->warnings.empty()) << what << ":\n" << loaded.spec->warnings.to_string();
  EXPECT_EQ(loaded.asked, env_references(text)) << what << ": the ${VAR}s looked up are not those in the file";
}

TEST(ShippedConfigs, ExampleSink) {
  const std::string text = read_file(kDeploy / "examples" / "sink.yaml");
  const Loaded loaded = load(text, [](auto&&... a) { return pk::config::load_sink_text(a...); });
  expect_clean(loaded, text, "deploy/examples/sink.yaml");
  ASSERT_TRUE(loaded.spec.ok());
  ASSERT_EQ(loaded.spec->sinks.size(), 1u);
  const auto& sink = loaded.spec->sinks[0];
  EXPECT_EQ(sink.common.name, "orders-to-kinesis");
  EXPECT_EQ(sink.configs.aws.stream_name, "orders");
  EXPECT_EQ(sink.subscription_type(), pk::config::SubscriptionType::kKeyShared);
  EXPECT_EQ(sink.configs.aws.credential_plugin_param.value,
            R"({"accessKey": "value-of-AWS_ACCESS_KEY_ID", "secretKey": "value-of-AWS_SECRET_ACCESS_KEY"})");
  EXPECT_EQ(loaded.spec->daemon.admin.address, "127.0.0.1:9100");
  EXPECT_EQ(loaded.asked, (std::set<std::string>{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "PULSAR_AUTH_TOKEN"}));
}

TEST(ShippedConfigs, ExampleSource) {
  const std::string text = read_file(kDeploy / "examples" / "source.yaml");
  const Loaded loaded = load(text, [](auto&&... a) { return pk::config::load_source_text(a...); });
  expect_clean(loaded, text, "deploy/examples/source.yaml");
  ASSERT_TRUE(loaded.spec.ok());
  ASSERT_EQ(loaded.spec->sources.size(), 1u);
  const auto& source = loaded.spec->sources[0];
  EXPECT_EQ(source.common.name, "orders-from-kinesis");
  EXPECT_EQ(source.configs.application_name, "orders-from-kinesis");
  EXPECT_EQ(source.topic_name, "persistent://public/default/orders-from-kinesis");
}

TEST(ShippedConfigs, ExampleRunFile) {
  const std::string text = read_file(kDeploy / "examples" / "run.yaml");
  const Loaded loaded = load(text, [](auto&&... a) { return pk::config::load_run_text(a...); });
  expect_clean(loaded, text, "deploy/examples/run.yaml");
  ASSERT_TRUE(loaded.spec.ok());
  ASSERT_EQ(loaded.spec->sinks.size(), 2u);
  ASSERT_EQ(loaded.spec->sources.size(), 1u);
  EXPECT_EQ(loaded.spec->sinks[1].topics_pattern, "persistent://public/audit/.*");
  // The shared pulsar: section reaches every pipeline.
  EXPECT_EQ(loaded.spec->sources[0].pulsar.service_url, "pulsar+ssl://pulsar.example.com:6651");
}

// Both files of the ConfigMap, as the Deployments mount them.
TEST(ShippedConfigs, KubernetesConfigMap) {
  const YAML::Node config_map = YAML::LoadFile((kDeploy / "kubernetes" / "configmap.yaml").string());
  ASSERT_EQ(config_map["kind"].as<std::string>(), "ConfigMap");
  const std::string sink_text = config_map["data"]["sink.yaml"].as<std::string>();
  const std::string source_text = config_map["data"]["source.yaml"].as<std::string>();

  const Loaded sink = load(sink_text, [](auto&&... a) { return pk::config::load_sink_text(a...); });
  expect_clean(sink, sink_text, "ConfigMap sink.yaml");
  ASSERT_TRUE(sink.spec.ok());
  EXPECT_EQ(sink.spec->daemon.admin.address, "0.0.0.0:9100");
  EXPECT_EQ(sink.spec->sinks.at(0).subscription_type(), pk::config::SubscriptionType::kKeyShared);

  const Loaded source = load(source_text, [](auto&&... a) { return pk::config::load_source_text(a...); });
  expect_clean(source, source_text, "ConfigMap source.yaml");
  ASSERT_TRUE(source.spec.ok());
  EXPECT_EQ(source.spec->daemon.admin.address, "0.0.0.0:9100");
  EXPECT_EQ(source.spec->sources.at(0).configs.application_name, "orders-from-kinesis");
}

// The comparison can fail: a reference the loader never looks up (here one in a comment at the end of a line)
// shows as a difference between the names in the text and those asked for.
TEST(ShippedConfigs, AReferenceThatIsNotLookedUpIsSeen) {
  const std::string text = R"(
name: s
inputs: [t]
configs:
  awsRegion: us-east-1
  # a comment line with ${IGNORED}
  awsKinesisStreamName: s  # was ${OLD_SECRET}
  awsCredentialPluginParam: '{"accessKey": "${AWS_ACCESS_KEY_ID}", "secretKey": "k"}'
)";
  const Loaded loaded = load(text, [](auto&&... a) { return pk::config::load_sink_text(a...); });
  ASSERT_TRUE(loaded.spec.ok()) << loaded.spec.error().message;
  EXPECT_EQ(loaded.asked, (std::set<std::string>{"AWS_ACCESS_KEY_ID"}));
  EXPECT_EQ(env_references(text), (std::set<std::string>{"AWS_ACCESS_KEY_ID", "OLD_SECRET"}));
}

}  // namespace
