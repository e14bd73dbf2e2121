#pragma once
// The typed configuration of the daemon and its pipelines, as loaded and validated from pulsar-admin style sink and
// source files (YAML or JSON) and our run files. Every field here is filled from the key table (key_table.h and
// keys_*.cc): names, types, defaults, bounds and docs live there, not here. Plain values, copied freely.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "config/problems.h"

namespace pk::config {

// ---- enums (the names of each value are in the key table) ----
enum class ProcessingGuarantees { kAtLeastOnce, kAtMostOnce, kEffectivelyOnce, kManual };
enum class SubscriptionPosition { kLatest, kEarliest };
enum class MessageFormat { kOnlyRawPayload, kFullMessageInJson, kFullMessageInFb, kFullMessageInJsonExpandValue };
enum class InitialPosition { kLatest, kTrimHorizon, kAtTimestamp };
enum class MessageKeyMode { kPartitionKey, kShardId };
enum class CompressionType { kNone, kLz4, kZlib, kZstd, kSnappy };
enum class BatchBuilder { kDefault, kKeyBased };
enum class LogFormat { kText, kJson };
// Which Pulsar subscription type a sink uses (derived; see SinkSpec::subscription_type()).
enum class SubscriptionType { kShared, kFailover, kKeyShared };

// A secret string (credentials JSON, auth parameters). `value` is what the code uses; `reference` says where it
// came from ("${NAME}", "file:/path") for the effective-config dump, which prints the reference, never the value.
struct Secret {
  std::string value;
  std::string reference;  // empty when written in the file itself
  friend bool operator==(const Secret&, const Secret&) = default;
};

// ---- sections ----
// The Pulsar client (`pulsar:`), with the key names of Pulsar's client.conf.
struct PulsarClientConfig {
  std::string service_url;
  std::string auth_plugin;  // normalised: "" (none), "token" or "tls"
  Secret auth_params;       // token: "token:<jwt>", "file:<path>", "env:<NAME>" or the bare token
  std::string tls_trust_certs_file_path;
  bool tls_allow_insecure_connection = false;
  bool tls_enable_hostname_verification = false;
  std::string tls_certificate_file_path;  // also from authParams of the tls plugin
  std::string tls_key_file_path;
  bool use_tls = false;
  int64_t operation_timeout_seconds = 0;
  int64_t connection_timeout_ms = 0;
  int64_t keep_alive_interval_seconds = 0;
  int64_t memory_limit_bytes = 0;
  friend bool operator==(const PulsarClientConfig&, const PulsarClientConfig&) = default;
};

// The admin HTTP endpoint (`admin:`).
struct AdminConfig {
  bool enabled = true;
  std::string address;  // host:port
  friend bool operator==(const AdminConfig&, const AdminConfig&) = default;
};

// Logging (`log:`).
struct LogConfig {
  std::string level;
  LogFormat format = LogFormat::kText;
  friend bool operator==(const LogConfig&, const LogConfig&) = default;
};

// Daemon-wide settings: from a sink/source file or the top of a run file.
struct DaemonConfig {
  AdminConfig admin;
  LogConfig log;
  friend bool operator==(const DaemonConfig&, const DaemonConfig&) = default;
};

// The pulsar-admin fields every pipeline has.
struct PipelineCommon {
  std::string tenant;
  std::string namespace_name;
  std::string name;
  ProcessingGuarantees processing_guarantees = ProcessingGuarantees::kAtLeastOnce;
  int64_t parallelism = 1;
  friend bool operator==(const PipelineCommon&, const PipelineCommon&) = default;
};

// The keys sinks and sources share (connector-compat sections 2 and 6): stream, region, endpoints, credentials.
struct AwsSettings {
  std::string endpoint;             // awsEndpoint
  std::string cloudwatch_endpoint;  // cloudwatchEndpoint
  std::string region;               // awsRegion
  std::string stream_name;          // awsKinesisStreamName
  std::string credential_plugin_name;
  Secret credential_plugin_param;
  friend bool operator==(const AwsSettings&, const AwsSettings&) = default;
};

// `configs:` of a sink (connector-compat sections 2, 3, 6 and our keys).
struct SinkConfigs {
  AwsSettings aws;  // shared (section 2)
  // sink (section 3)
  MessageFormat message_format = MessageFormat::kOnlyRawPayload;
  bool retain_ordering = false;
  int64_t retry_initial_delay_ms = 0;
  int64_t retry_max_delay_ms = 0;
  std::optional<int64_t> aws_endpoint_port;
  bool skip_certificate_validation = false;
  bool json_include_non_nulls = false;
  bool json_flatten = false;
  std::string aws_sts_endpoint;
  std::optional<int64_t> aws_sts_port;
  bool aggregation_enabled = false;
  int64_t collection_max_count = 0;
  int64_t collection_max_size = 0;
  int64_t connect_timeout_ms = 0;
  int64_t credentials_refresh_delay_ms = 0;
  int64_t max_connections = 0;
  int64_t min_connections = 0;
  int64_t rate_limit = 0;
  int64_t record_ttl_ms = 0;
  int64_t request_timeout_ms = 0;
  std::vector<std::pair<std::string, std::string>> extra_kinesis_producer_config;  // as written
  // KPL settings honoured from extraKinesisProducerConfig (only there)
  int64_t aggregation_max_count = 0;
  int64_t aggregation_max_size = 0;
  int64_t record_max_buffered_time_ms = 0;
  bool fail_if_throttled = false;
  bool verify_certificate = true;
  std::optional<int64_t> cloudwatch_port;
  // ours
  int64_t max_in_flight_messages = 0;
  int64_t max_in_flight_bytes = 0;
  int64_t shard_map_refresh_interval_ms = 0;
  friend bool operator==(const SinkConfigs&, const SinkConfigs&) = default;
};

// `configs:` of a source (connector-compat sections 2, 4, 6 and our keys).
struct SourceConfigs {
  AwsSettings aws;  // shared (section 2)
  // source (section 4)
  InitialPosition initial_position_in_stream = InitialPosition::kLatest;
  std::optional<int64_t> start_at_time_ms;  // epoch milliseconds
  std::string application_name;
  int64_t checkpoint_interval_ms = 0;
  int64_t backoff_time_ms = 0;
  int64_t num_retries = 0;
  int64_t receive_queue_size = 0;
  std::string dynamo_endpoint;
  bool use_enhanced_fan_out = true;
  std::vector<std::string> kinesis_record_properties;
  MessageKeyMode message_key_mode = MessageKeyMode::kPartitionKey;
  // ours
  bool effectively_once = false;
  std::string worker_id;  // empty: host + pid + random suffix, chosen at start
  int64_t failover_time_ms = 0;
  int64_t shard_sync_interval_ms = 0;
  int64_t max_leases_per_worker = 0;  // 0: no limit
  int64_t polling_interval_ms = 0;
  int64_t max_records_per_get_records = 0;
  friend bool operator==(const SourceConfigs&, const SourceConfigs&) = default;
};

// `producerConfig:` of a source file (pulsar-admin ProducerConfig, plus our batching keys).
struct ProducerConfig {
  int64_t max_pending_messages = 0;
  int64_t max_pending_messages_across_partitions = 0;
  BatchBuilder batch_builder = BatchBuilder::kDefault;
  CompressionType compression_type = CompressionType::kNone;
  bool batching_enabled = true;
  int64_t batching_max_publish_delay_ms = 0;
  int64_t batching_max_messages = 0;
  int64_t batching_max_bytes = 0;
  friend bool operator==(const ProducerConfig&, const ProducerConfig&) = default;
};

// One sink pipeline: Pulsar topics -> a Kinesis stream.
struct SinkSpec {
  PipelineCommon common;
  std::vector<std::string> inputs;
  std::string topics_pattern;
  std::string source_subscription_name;  // default "<tenant>/<namespace>/<name>", as pulsar-admin
  SubscriptionPosition source_subscription_position = SubscriptionPosition::kLatest;
  bool retain_ordering = false;       // the top-level key: a Failover subscription
  bool retain_key_ordering = false;   // the top-level key: a Key_Shared subscription
  std::optional<int64_t> timeout_ms;  // ack timeout; none by default
  std::optional<int64_t> max_message_retries;
  std::string dead_letter_topic;
  std::optional<int64_t> negative_ack_redelivery_delay_ms;
  SinkConfigs configs;
  PulsarClientConfig pulsar;

  // Failover when the top-level retainOrdering is set or the guarantee is EFFECTIVELY_ONCE; Key_Shared with
  // retainKeyOrdering; else Shared (what the Pulsar functions runtime does).
  SubscriptionType subscription_type() const;
  friend bool operator==(const SinkSpec&, const SinkSpec&) = default;
};

// One source pipeline: a Kinesis stream -> a Pulsar topic.
struct SourceSpec {
  PipelineCommon common;
  std::string topic_name;
  ProducerConfig producer_config;
  std::optional<BatchBuilder> batch_builder;  // the older top-level key; producerConfig.batchBuilder wins
  SourceConfigs configs;
  PulsarClientConfig pulsar;
  friend bool operator==(const SourceSpec&, const SourceSpec&) = default;
};

// What one file configures: the pipelines and the daemon settings, plus warnings about keys that were accepted
// but have no effect here (Java-runtime-only fields, KPL settings we do not use, parallelism > 1).
struct RunSpec {
  std::vector<SinkSpec> sinks;
  std::vector<SourceSpec> sources;
  DaemonConfig daemon;
  Problems warnings;
};

}  // namespace pk::config
