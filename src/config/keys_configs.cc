// `configs:` of sinks and sources: the Java connector's fields (connector-compat sections 2-4, 6) and ours.
#include "config/key_table.h"

namespace pk::config {
namespace {

constexpr int64_t kMiB = 1024 * 1024;

// Section 2: the same keys, stored in SinkConfigs or SourceConfigs.
template <typename T>
void add_shared(std::vector<KeyDef<T>>& k) {
  k.push_back(bound_in<&T::aws, &AwsSettings::endpoint>(
      {.name = "awsEndpoint",
       .doc = "Kinesis endpoint override: a host name or a full URL (scheme optional, https by default). Empty: "
              "the region's endpoint."}));
  k.push_back(bound_in<&T::aws, &AwsSettings::cloudwatch_endpoint>(
      {.name = "cloudwatchEndpoint", .doc = "CloudWatch endpoint override (host or URL, as `awsEndpoint`)."}));
  k.push_back(bound_in<&T::aws, &AwsSettings::region>({.name = "awsRegion", .doc = "AWS region, e.g. `us-west-2`."}));
  k.push_back(bound_in<&T::aws, &AwsSettings::stream_name>(
      {.name = "awsKinesisStreamName", .doc = "The Kinesis stream.", .flags = kRequired}));
  k.push_back(bound_in<&T::aws, &AwsSettings::credential_plugin_name>(
      {.name = "awsCredentialPluginName",
       .doc = "Credential plugin (Java class name): empty = static keys from `awsCredentialPluginParam`; "
              "`org.apache.pulsar.io.aws.AwsDefaultProviderChainPlugin` = the default AWS chain (environment, "
              "profiles, web identity, container, instance metadata); "
              "`org.apache.pulsar.io.aws.STSAssumeRoleProviderPlugin` = STS AssumeRole over the default chain. "
              "The old `org.apache.pulsar.io.kinesis.*` names are accepted."}));
  k.push_back(bound_in<&T::aws, &AwsSettings::credential_plugin_param>(
      {.name = "awsCredentialPluginParam",
       .type = KeyType::kSecret,
       .doc = "Secret. JSON for the plugin: `{\"accessKey\": ..., \"secretKey\": ..., \"sessionToken\"?: ...}` for "
              "static keys; `{\"roleArn\": ..., \"roleSessionName\": ..., \"externalId\"?, \"durationSeconds\"?, "
              "\"stsEndpoint\"?, \"stsRegion\"?}` for AssumeRole; ignored by the default chain. Required as in the "
              "Java connector (4.0.x marks it required): with the default chain write `\"\"`. A YAML map is "
              "accepted and turned into JSON.",
       .flags = kRequired | kJsonText | kFileContents}));
}

std::vector<KeyDef<SinkConfigs>> make_sink_configs() {
  std::vector<KeyDef<SinkConfigs>> k;
  add_shared(k);
  k.push_back(bound<&SinkConfigs::message_format>(
      {.name = "messageFormat",
       .type = KeyType::kEnum,
       .default_text = "ONLY_RAW_PAYLOAD",
       .doc = "What a Kinesis record holds: the payload as is; a JSON envelope with payload (base64), properties "
              "and encryption context; the same as FlatBuffers; or JSON with the schema-decoded value.",
       .values = {"ONLY_RAW_PAYLOAD", "FULL_MESSAGE_IN_JSON", "FULL_MESSAGE_IN_FB",
                  "FULL_MESSAGE_IN_JSON_EXPAND_VALUE"}}));
  k.push_back(bound<&SinkConfigs::retain_ordering>(
      {.name = "retainOrdering",
       .type = KeyType::kBool,
       .default_text = "false",
       .doc = "Records of one partition key reach Kinesis in Pulsar order, also across partial failures and "
              "retries (one request in flight per shard)."}));
  k.push_back(bound<&SinkConfigs::retry_initial_delay_ms>({.name = "retryInitialDelayInMillis",
                                                           .type = KeyType::kInt,
                                                           .default_text = "100",
                                                           .doc = "First retry delay of a failed record (ms).",
                                                           .min = 0}));
  k.push_back(
      bound<&SinkConfigs::retry_max_delay_ms>({.name = "retryMaxDelayInMillis",
                                               .type = KeyType::kInt,
                                               .default_text = "60000",
                                               .doc = "Retry delay cap (ms); delays grow exponentially with jitter.",
                                               .min = 0}));
  k.push_back(bound<&SinkConfigs::aws_endpoint_port>({.name = "awsEndpointPort",
                                                      .type = KeyType::kOptionalInt,
                                                      .default_text = "null",
                                                      .doc = "Kinesis port override.",
                                                      .min = 1,
                                                      .max = 65535}));
  k.push_back(bound<&SinkConfigs::skip_certificate_validation>(
      {.name = "skipCertificateValidation",
       .type = KeyType::kBool,
       .default_text = "false",
       .doc = "Do not verify the TLS certificates of AWS endpoints (tests only)."}));
  k.push_back(bound<&SinkConfigs::json_include_non_nulls>(
      {.name = "jsonIncludeNonNulls",
       .type = KeyType::kBool,
       .default_text = "true",
       .doc = "FULL_MESSAGE_IN_JSON_EXPAND_VALUE: leave out top-level fields that are null."}));
  k.push_back(bound<&SinkConfigs::json_flatten>({.name = "jsonFlatten",
                                                 .type = KeyType::kBool,
                                                 .default_text = "false",
                                                 .doc = "FULL_MESSAGE_IN_JSON_EXPAND_VALUE: flatten nested JSON."}));
  k.push_back(bound<&SinkConfigs::aws_sts_endpoint>({.name = "awsStsEndpoint", .doc = "STS endpoint override."}));
  k.push_back(bound<&SinkConfigs::aws_sts_port>({.name = "awsStsPort",
                                                 .type = KeyType::kOptionalInt,
                                                 .default_text = "null",
                                                 .doc = "STS port override.",
                                                 .min = 1,
                                                 .max = 65535}));
  k.push_back(bound<&SinkConfigs::aggregation_enabled>(
      {.name = "aggregationEnabled",
       .type = KeyType::kBool,
       .default_text = "true",
       .doc = "Pack records of one shard into KPL aggregated records (readable by the KCL and our source)."}));
  k.push_back(bound<&SinkConfigs::collection_max_count>({.name = "collectionMaxCount",
                                                         .type = KeyType::kInt,
                                                         .default_text = "500",
                                                         .doc = "Records per PutRecords request at most.",
                                                         .min = 1,
                                                         .max = 500}));
  k.push_back(bound<&SinkConfigs::collection_max_size>(
      {.name = "collectionMaxSize",
       .type = KeyType::kInt,
       .default_text = "5242880",
       .doc = "Bytes per PutRecords request at most (the KPL's lower bound 52224 applies).",
       .min = 52224}));
  k.push_back(bound<&SinkConfigs::connect_timeout_ms>({.name = "connectTimeout",
                                                       .type = KeyType::kInt,
                                                       .default_text = "6000",
                                                       .doc = "Connection (and TLS) set-up timeout (ms).",
                                                       .min = 100,
                                                       .max = 300000}));
  k.push_back(bound<&SinkConfigs::credentials_refresh_delay_ms>(
      {.name = "credentialsRefreshDelay",
       .type = KeyType::kInt,
       .default_text = "5000",
       .doc = "Accepted (KPL setting); our credentials refresh before they expire.",
       .min = 1,
       .max = 300000}));
  k.push_back(bound<&SinkConfigs::max_connections>({.name = "maxConnections",
                                                    .type = KeyType::kInt,
                                                    .default_text = "24",
                                                    .doc = "PutRecords requests in flight at most.",
                                                    .min = 1,
                                                    .max = 256}));
  k.push_back(bound<&SinkConfigs::min_connections>({.name = "minConnections",
                                                    .type = KeyType::kInt,
                                                    .default_text = "1",
                                                    .doc = "Connections kept open at least.",
                                                    .min = 1,
                                                    .max = 16}));
  k.push_back(bound<&SinkConfigs::rate_limit>(
      {.name = "rateLimit",
       .type = KeyType::kInt,
       .default_text = "150",
       .doc = "Per-shard rate limit in % of the shard limits (1 MiB/s, 1000 records/s); also backs off on "
              "throttling.",
       .min = 1}));
  k.push_back(bound<&SinkConfigs::record_ttl_ms>(
      {.name = "recordTtl",
       .type = KeyType::kInt,
       .default_text = "30000",
       .doc = "Give up on a record after this long (ms): its messages are negatively acknowledged or "
              "dead-lettered, never dropped.",
       .min = 100}));
  k.push_back(bound<&SinkConfigs::request_timeout_ms>({.name = "requestTimeout",
                                                       .type = KeyType::kInt,
                                                       .default_text = "6000",
                                                       .doc = "Timeout of one PutRecords request (ms).",
                                                       .min = 100,
                                                       .max = 600000}));
  k.push_back(unbound<SinkConfigs>(
      {.name = "extraKinesisProducerConfig",
       .type = KeyType::kSection,
       .doc = "KPL settings, in the Java bean spelling (`recordMaxBufferedTime`) or the KPL properties-file spelling "
              "(`RecordMaxBufferedTime`): see the table below for which take effect."}));
  k.push_back(unbound<SinkConfigs>({.name = "nativeExecutable",
                                    .doc = "Path of the Java KPL's native binary: there is nothing to run here.",
                                    .flags = kIgnored}));
  k.push_back(bound<&SinkConfigs::max_in_flight_messages>(
      {.name = "maxInFlightMessages",
       .type = KeyType::kInt,
       .default_text = "20000",
       .doc = "Messages received from Pulsar and not yet acknowledged, at most: the window that back-pressures the "
              "consumer. 20000 covers about 100k messages/s at a 200 ms cycle (100 ms buffering + a PutRecords "
              "round trip).",
       .flags = kOurs,
       .min = 1}));
  k.push_back(bound<&SinkConfigs::max_in_flight_bytes>(
      {.name = "maxInFlightBytes",
       .type = KeyType::kInt,
       .default_text = "16777216",
       .doc = "Payload bytes of those messages, at most (16 MiB; each is held about twice: the message and its "
              "encoded record, which keeps the process within about 64 MiB).",
       .flags = kOurs,
       .min = 1 * kMiB}));
  k.push_back(bound<&SinkConfigs::shard_map_refresh_interval_ms>(
      {.name = "shardMapRefreshIntervalMs",
       .type = KeyType::kInt,
       .default_text = "60000",
       .doc = "How often the shard map is re-read (ListShards); also re-read on resharding and wrong-shard "
              "results.",
       .flags = kOurs,
       .min = 1000}));
  return k;
}

std::vector<KeyDef<SourceConfigs>> make_source_configs() {
  std::vector<KeyDef<SourceConfigs>> k;
  add_shared(k);
  k.push_back(bound<&SourceConfigs::initial_position_in_stream>(
      {.name = "initialPositionInStream",
       .type = KeyType::kEnum,
       .default_text = "LATEST",
       .doc = "Where shards without a checkpoint start. The old docs' spelling `AT_TIMESTAMAP` is accepted.",
       .values = {"LATEST", "TRIM_HORIZON", "AT_TIMESTAMP"},
       .value_aliases = {{"AT_TIMESTAMAP", "AT_TIMESTAMP"}}}));
  k.push_back(bound<&SourceConfigs::start_at_time_ms>(
      {.name = "startAtTime",
       .type = KeyType::kTimestamp,
       .default_text = "null",
       .doc = "With AT_TIMESTAMP: epoch milliseconds, ISO-8601 (`2024-01-01T00:00:00Z`; no offset = UTC) or "
              "RFC-1123 (`Mon, 01 Jan 2024 00:00:00 GMT`)."}));
  k.push_back(bound<&SourceConfigs::application_name>(
      {.name = "applicationName",
       .default_text = "pulsar-kinesis",
       .doc = "KCL application name: the DynamoDB lease table and the enhanced fan-out consumer are named after "
              "it."}));
  k.push_back(bound<&SourceConfigs::checkpoint_interval_ms>(
      {.name = "checkpointInterval",
       .type = KeyType::kInt,
       .default_text = "60000",
       .doc = "How often positions confirmed by Pulsar are checkpointed (ms).",
       .min = 1}));
  k.push_back(bound<&SourceConfigs::backoff_time_ms>({.name = "backoffTime",
                                                      .type = KeyType::kInt,
                                                      .default_text = "3000",
                                                      .doc = "Wait after throttling or errors (ms).",
                                                      .min = 0}));
  k.push_back(bound<&SourceConfigs::num_retries>({.name = "numRetries",
                                                  .type = KeyType::kInt,
                                                  .default_text = "3",
                                                  .doc = "Retries of checkpoint and other DynamoDB errors.",
                                                  .min = 0,
                                                  .max = 1000}));
  k.push_back(bound<&SourceConfigs::receive_queue_size>(
      {.name = "receiveQueueSize",
       .type = KeyType::kInt,
       .default_text = "1000",
       .doc = "Records read from Kinesis and not yet sent to Pulsar, at most (back-pressure).",
       .min = 1}));
  k.push_back(bound<&SourceConfigs::dynamo_endpoint>({.name = "dynamoEndpoint", .doc = "DynamoDB endpoint override."}));
  k.push_back(bound<&SourceConfigs::use_enhanced_fan_out>(
      {.name = "useEnhancedFanOut",
       .type = KeyType::kBool,
       .default_text = "true",
       .doc = "Enhanced fan-out (SubscribeToShard over HTTP/2); false: polling with GetRecords."}));
  k.push_back(bound<&SourceConfigs::kinesis_record_properties>(
      {.name = "kinesisRecordProperties",
       .type = KeyType::kCsv,
       .default_text = "kinesis.arrival.timestamp,kinesis.encryption.type,kinesis.partition.key,"
                       "kinesis.sequence.number",
       .doc = "Comma-separated message properties to set.",
       .values = {"kinesis.arrival.timestamp", "kinesis.encryption.type", "kinesis.partition.key",
                  "kinesis.sequence.number", "kinesis.shard.id", "kinesis.millis.behind.latest"}}));
  k.push_back(bound<&SourceConfigs::message_key_mode>(
      {.name = "messageKeyMode",
       .type = KeyType::kEnum,
       .default_text = "PARTITION_KEY",
       .doc = "Message key: the record's partition key, or its shard id (one key per shard).",
       .values = {"PARTITION_KEY", "SHARD_ID"}}));
  k.push_back(bound<&SourceConfigs::effectively_once>(
      {.name = "effectivelyOnce",
       .type = KeyType::kBool,
       .default_text = "false",
       .doc = "Stable producer names and sequence ids per shard, so that the broker drops records replayed after "
              "a crash (needs deduplication enabled on the topic). Also set by processingGuarantees "
              "EFFECTIVELY_ONCE.",
       .flags = kOurs}));
  k.push_back(bound<&SourceConfigs::worker_id>(
      {.name = "workerId",
       .doc = "Lease owner name of this process. Empty: host name + process id + a random suffix.",
       .flags = kOurs}));
  k.push_back(bound<&SourceConfigs::failover_time_ms>(
      {.name = "failoverTimeMillis",
       .type = KeyType::kInt,
       .default_text = "10000",
       .doc = "A lease not renewed for this long (ms) is expired and may be taken (KCL's failoverTimeMillis).",
       .flags = kOurs,
       .min = 1000}));
  k.push_back(bound<&SourceConfigs::shard_sync_interval_ms>({.name = "shardSyncIntervalMillis",
                                                             .type = KeyType::kInt,
                                                             .default_text = "60000",
                                                             .doc = "How often shards are listed (ms).",
                                                             .flags = kOurs,
                                                             .min = 1000}));
  k.push_back(bound<&SourceConfigs::max_leases_per_worker>({.name = "maxLeasesPerWorker",
                                                            .type = KeyType::kInt,
                                                            .default_text = "0",
                                                            .doc = "Leases this process holds at most; 0 = no limit.",
                                                            .flags = kOurs,
                                                            .min = 0}));
  k.push_back(bound<&SourceConfigs::polling_interval_ms>(
      {.name = "pollingIntervalMillis",
       .type = KeyType::kInt,
       .default_text = "1000",
       .doc = "Polling: pause between GetRecords calls of a shard that returned nothing new (ms); never more than "
              "5 calls per second per shard.",
       .flags = kOurs,
       .min = 200}));
  k.push_back(bound<&SourceConfigs::max_records_per_get_records>(
      {.name = "maxRecordsPerGetRecords",
       .type = KeyType::kInt,
       .default_text = "10000",
       .doc = "Polling: most records asked for per GetRecords call (fewer for big "
              "records: each call asks for about 2 MiB of data).",
       .flags = kOurs,
       .min = 1,
       .max = 10000}));
  return k;
}

}  // namespace

const Section<SinkConfigs>& sink_configs_keys() {
  static const std::vector<KeyDef<SinkConfigs>> keys = make_sink_configs();
  static const Section<SinkConfigs> section{
      "Sink `configs`",
      "The Java connector's sink fields (same names, types and defaults), plus ours. Validation: `awsRegion` "
      "non-blank, or both `awsEndpoint` and `cloudwatchEndpoint` non-blank.",
      keys};
  return section;
}

const Section<SourceConfigs>& source_configs_keys() {
  static const std::vector<KeyDef<SourceConfigs>> keys = make_source_configs();
  static const Section<SourceConfigs> section{
      "Source `configs`",
      "The Java connector's source fields (same names, types and defaults), plus ours. Validation: `awsRegion` "
      "set, or all of `awsEndpoint`, `cloudwatchEndpoint` and `dynamoEndpoint`; AT_TIMESTAMP needs "
      "`startAtTime`.",
      keys};
  return section;
}

std::vector<std::string_view> credential_plugin_names() {
  return {kDefaultChainPlugin, kStsAssumeRolePlugin, "org.apache.pulsar.io.kinesis.AwsDefaultProviderChainPlugin",
          "org.apache.pulsar.io.kinesis.STSAssumeRoleProviderPlugin"};
}

}  // namespace pk::config
