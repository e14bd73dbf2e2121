// Typed results of loading: what the corpus' full files and small inline files turn into.
#include "config/loader.h"

#include <gtest/gtest.h>

#include "config/effective.h"
#include "config_test_util.h"

namespace pk::config {
namespace {

RunSpec load_valid(std::string_view file) {
  auto run = testing::load_by_name(testing::corpus_dir("valid") / std::string(file), nullptr);
  EXPECT_TRUE(run.ok()) << (run.ok() ? "" : run.error().message);
  return run.ok() ? std::move(*run) : RunSpec{};
}

TEST(LoadSink, MinimalFileTakesTheDefaults) {
  const RunSpec run = load_valid("sink-minimal.yaml");
  ASSERT_EQ(run.sinks.size(), 1u);
  const SinkSpec& s = run.sinks[0];
  EXPECT_EQ(s.common.tenant, "public");
  EXPECT_EQ(s.common.namespace_name, "default");
  EXPECT_EQ(s.source_subscription_name, "public/default/kinesis-sink");
  EXPECT_EQ(s.subscription_type(), SubscriptionType::kShared);
  EXPECT_EQ(s.configs.message_format, MessageFormat::kOnlyRawPayload);
  EXPECT_TRUE(s.configs.aggregation_enabled);
  EXPECT_EQ(s.configs.collection_max_count, 500);
  EXPECT_EQ(s.configs.collection_max_size, 5242880);
  EXPECT_EQ(s.configs.rate_limit, 150);
  EXPECT_EQ(s.configs.record_ttl_ms, 30000);
  EXPECT_EQ(s.configs.aggregation_max_size, 51200);
  EXPECT_EQ(s.configs.aggregation_max_count, 4294967295);
  EXPECT_EQ(s.configs.record_max_buffered_time_ms, 100);
  EXPECT_TRUE(s.configs.verify_certificate);
  EXPECT_EQ(s.configs.max_in_flight_messages, 20000);
  EXPECT_EQ(s.configs.max_in_flight_bytes, 16 * 1024 * 1024);
  EXPECT_EQ(s.configs.aws_endpoint_port, std::nullopt);
  EXPECT_EQ(s.pulsar.service_url, "pulsar://localhost:6650");
  EXPECT_EQ(s.pulsar.operation_timeout_seconds, 30);
  EXPECT_TRUE(run.daemon.admin.enabled);
  EXPECT_EQ(run.daemon.admin.address, "127.0.0.1:9100");
  EXPECT_EQ(run.daemon.log.level, "info");
  EXPECT_TRUE(run.warnings.empty());
}

TEST(LoadSink, FullFile) {
  const RunSpec run = load_valid("sink-full.yaml");
  const SinkSpec& s = run.sinks[0];
  EXPECT_EQ(s.inputs,
            (std::vector<std::string>{"persistent://acme/streaming/orders", "persistent://acme/streaming/refunds"}));
  EXPECT_EQ(s.source_subscription_name, "kinesis-sub");
  EXPECT_EQ(s.source_subscription_position, SubscriptionPosition::kEarliest);
  EXPECT_EQ(s.subscription_type(), SubscriptionType::kKeyShared);
  EXPECT_EQ(s.timeout_ms, 30000);
  EXPECT_EQ(s.max_message_retries, 5);
  EXPECT_EQ(s.configs.aws_endpoint_port, 4567);
  EXPECT_EQ(s.configs.aws.credential_plugin_param.value,
            "{\"accessKey\":\"AKIDEXAMPLE\",\"secretKey\":\"wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY\"}");
  EXPECT_TRUE(s.configs.retain_ordering);
  // KPL settings: honoured where only they set something; the sink key wins where both do.
  EXPECT_EQ(s.configs.record_max_buffered_time_ms, 50);
  EXPECT_EQ(s.configs.aggregation_max_size, 25600);
  EXPECT_EQ(s.configs.aggregation_max_count, 100);
  EXPECT_TRUE(s.configs.fail_if_throttled);
  EXPECT_EQ(s.configs.record_ttl_ms, 60000);
  EXPECT_EQ(s.configs.request_timeout_ms, 10000);
  EXPECT_FALSE(s.configs.verify_certificate);  // skipCertificateValidation
  EXPECT_EQ(s.pulsar.service_url, "pulsar+ssl://broker.acme.example:6651");
  EXPECT_EQ(s.pulsar.auth_plugin, "token");
  EXPECT_TRUE(s.pulsar.tls_enable_hostname_verification);
  EXPECT_EQ(run.daemon.log.format, LogFormat::kJson);
  EXPECT_EQ(run.daemon.admin.address, "0.0.0.0:9200");
}

TEST(LoadSink, KplSettingGivenOnlyThereIsUsed) {
  const std::string text = R"(
name: s
inputs: [t]
configs:
  awsRegion: us-east-1
  awsKinesisStreamName: k
  awsCredentialPluginParam: ""
  extraKinesisProducerConfig: {RecordTtl: "45000", KinesisEndpoint: kinesis.local, MetricsLevel: detailed}
)";
  auto run = load_sink_text(text, nullptr, testing::test_options());
  ASSERT_TRUE(run.ok()) << run.error().message;
  EXPECT_EQ(run->sinks[0].configs.record_ttl_ms, 45000);
  EXPECT_EQ(run->sinks[0].configs.aws.endpoint, "kinesis.local");
  EXPECT_EQ(run->warnings.to_string(),
            "configs.extraKinesisProducerConfig.MetricsLevel: accepted and ignored: The KPL's CloudWatch metrics: "
            "ours are served at the admin endpoint (`/metrics`).\n");
}

TEST(LoadSource, FullFile) {
  const RunSpec run = load_valid("source-full.json");
  ASSERT_EQ(run.sources.size(), 1u);
  const SourceSpec& s = run.sources[0];
  EXPECT_EQ(s.configs.initial_position_in_stream, InitialPosition::kAtTimestamp);  // from AT_TIMESTAMAP
  EXPECT_EQ(s.configs.start_at_time_ms, 1704067200250);
  EXPECT_EQ(s.configs.checkpoint_interval_ms, 30000);
  EXPECT_FALSE(s.configs.use_enhanced_fan_out);
  EXPECT_EQ(s.configs.kinesis_record_properties,
            (std::vector<std::string>{"kinesis.partition.key", "kinesis.shard.id", "kinesis.millis.behind.latest"}));
  EXPECT_EQ(s.configs.message_key_mode, MessageKeyMode::kShardId);
  EXPECT_TRUE(s.configs.effectively_once);                              // from processingGuarantees
  EXPECT_EQ(s.producer_config.batch_builder, BatchBuilder::kKeyBased);  // producerConfig wins over the top level
  EXPECT_EQ(s.producer_config.compression_type, CompressionType::kZstd);
  EXPECT_EQ(s.producer_config.max_pending_messages, 500);
  EXPECT_EQ(s.producer_config.batching_max_publish_delay_ms, 5);
  EXPECT_EQ(s.pulsar.auth_params.value, testing::kCanaryToken);
  EXPECT_EQ(s.pulsar.auth_params.reference, "${PK_TEST_PULSAR_TOKEN}");
  EXPECT_EQ(s.configs.worker_id, "worker-a");
}

TEST(LoadSource, DefaultsAndEmbeddedReference) {
  const RunSpec minimal = load_valid("source-minimal.yaml");
  const SourceConfigs& c = minimal.sources[0].configs;
  EXPECT_EQ(c.application_name, "pulsar-kinesis");
  EXPECT_EQ(c.initial_position_in_stream, InitialPosition::kLatest);
  EXPECT_TRUE(c.use_enhanced_fan_out);
  EXPECT_EQ(c.kinesis_record_properties.size(), 4u);
  EXPECT_EQ(c.failover_time_ms, 10000);
  EXPECT_EQ(c.shard_sync_interval_ms, 60000);
  EXPECT_FALSE(c.effectively_once);
  EXPECT_EQ(minimal.sources[0].producer_config.batch_builder, BatchBuilder::kDefault);

  const RunSpec rfc = load_valid("source-rfc1123.yaml");
  EXPECT_EQ(rfc.sources[0].configs.start_at_time_ms, 1704067200000);
  EXPECT_TRUE(rfc.sources[0].configs.kinesis_record_properties.empty());
  EXPECT_EQ(
      rfc.sources[0].configs.aws.credential_plugin_param.value,
      std::string("{\"accessKey\": \"AKID\", \"secretKey\": \"") + std::string(testing::kCanarySecretKey) + "\"}");
}

TEST(LoadRun, SharedPulsarIsOverriddenKeyByKey) {
  const RunSpec run = load_valid("run.yaml");
  ASSERT_EQ(run.sinks.size(), 2u);
  ASSERT_EQ(run.sources.size(), 1u);
  EXPECT_EQ(run.sinks[0].pulsar.service_url, "pulsar://pulsar.internal:6650");
  EXPECT_EQ(run.sinks[1].pulsar.service_url, "pulsar://pulsar-audit.internal:6650");
  EXPECT_EQ(run.sinks[1].pulsar.operation_timeout_seconds, 20);  // shared, not the default 30
  EXPECT_EQ(run.sources[0].pulsar.operation_timeout_seconds, 20);
  EXPECT_FALSE(run.sinks[1].configs.aggregation_enabled);
  EXPECT_EQ(run.daemon.log.level, "warn");
  EXPECT_EQ(run.daemon.admin.address, "127.0.0.1:0");
}

TEST(LoadRun, SecretFileContentsAndReferences) {
  const auto dir = std::filesystem::temp_directory_path() / "pk-config-test-secret";
  std::filesystem::create_directories(dir);
  const auto file = dir / "aws.json";
  testing::write_file(file, "{\"accessKey\":\"A\",\"secretKey\":\"CANARY-SECRET-FROM-FILE-0003\"}\n");
  const std::string text =
      "name: s\ninputs: [t]\nconfigs:\n  awsRegion: us-east-1\n  awsKinesisStreamName: k\n"
      "  awsCredentialPluginParam: file:" +
      file.string() + "\n";
  auto run = load_sink_text(text, nullptr, testing::test_options());
  ASSERT_TRUE(run.ok()) << run.error().message;
  EXPECT_EQ(run->sinks[0].configs.aws.credential_plugin_param.value,
            "{\"accessKey\":\"A\",\"secretKey\":\"CANARY-SECRET-FROM-FILE-0003\"}");
  const std::string dump = effective_config_text(*run);
  EXPECT_EQ(dump.find("CANARY-SECRET-FROM-FILE-0003"), std::string::npos);
  EXPECT_NE(dump.find("awsCredentialPluginParam: \"****\"  # secret, from file:" + file.string()), std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST(LoadRun, EnvironmentReferences) {
  LoadOptions options;
  options.env = [](const std::string& name) -> std::optional<std::string> {
    if (name == "HOST") return "pulsar.example";
    return std::nullopt;
  };
  const std::string text = R"(
name: s
inputs: [t]
configs: {awsRegion: us-east-1, awsKinesisStreamName: "cost$$${x}", awsCredentialPluginParam: ""}
pulsar: {serviceUrl: "pulsar://${HOST}:6650"}
)";
  auto run = load_sink_text(text, nullptr, options);
  ASSERT_TRUE(run.ok()) << run.error().message;
  EXPECT_EQ(run->sinks[0].pulsar.service_url, "pulsar://pulsar.example:6650");
  EXPECT_EQ(run->sinks[0].configs.aws.stream_name, "cost$${x}");
}

TEST(EffectiveConfig, JsonIsValidAndComplete) {
  const RunSpec run = load_valid("run.json");
  const std::string json = effective_config_text(run, OutputFormat::kJson);
  const YAML::Node node = YAML::Load(json);  // JSON is YAML: parses back
  EXPECT_EQ(node["sources"].size(), 2u);
  EXPECT_EQ(node["sources"][1]["pulsar"]["connectionTimeoutMs"].as<int>(), 2000);
  EXPECT_EQ(node["sources"][0]["configs"]["applicationName"].as<std::string>(), "pulsar-kinesis");
  EXPECT_EQ(node["admin"]["address"].as<std::string>(), "127.0.0.1:9100");
  // The YAML dump loads back as a run file's pipelines would.
  const YAML::Node yaml = YAML::Load(effective_config_text(run));
  EXPECT_EQ(yaml["sources"][1]["configs"]["awsKinesisStreamName"].as<std::string>(), "b");
}

}  // namespace
}  // namespace pk::config
