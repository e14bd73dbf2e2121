// The top level of pulsar-admin sink and source files, `producerConfig`, and our run files.
#include "config/key_table.h"

namespace pk::config {
namespace {

const std::vector<std::string_view> kGuarantees = {"ATLEAST_ONCE", "ATMOST_ONCE", "EFFECTIVELY_ONCE", "MANUAL"};

constexpr std::string_view kRuntimeOnly =
    "Java functions runtime only (how pulsar-admin packages and runs a connector).";

// Fields of pulsar-admin's SinkConfig / SourceConfig that only the Java functions runtime uses.
template <typename T>
void add_runtime_only(std::vector<KeyDef<T>>& keys, std::initializer_list<std::string_view> names) {
  for (std::string_view name : names) {
    keys.push_back(unbound<T>({.name = name, .type = KeyType::kAny, .doc = kRuntimeOnly, .flags = kIgnored}));
  }
}

// pulsar-admin's `secrets` mapping (for the Java runtime's secrets provider).
template <typename T>
void add_secrets_key(std::vector<KeyDef<T>>& keys) {
  keys.push_back(
      unbound<T>({.name = "secrets",
                  .type = KeyType::kAny,
                  .doc = "The Java runtime's secrets-provider mapping. Write `${ENV_VAR}` or `file:/path` in `configs` "
                         "instead.",
                  .flags = kIgnored}));
}

// The sections a sink or source file may hold besides `configs`.
template <typename T>
void add_client_sections(std::vector<KeyDef<T>>& keys) {
  keys.push_back(unbound<T>({.name = "pulsar",
                             .type = KeyType::kSection,
                             .doc = "The Pulsar client: see the `pulsar:` section below.",
                             .flags = kOurs}));
  keys.push_back(unbound<T>({.name = "admin",
                             .type = KeyType::kSection,
                             .doc = "The admin HTTP endpoint of the daemon: see the `admin:` section below.",
                             .flags = kOurs}));
  keys.push_back(unbound<T>(
      {.name = "log", .type = KeyType::kSection, .doc = "Logging: see the `log:` section below.", .flags = kOurs}));
}

template <typename T>
void add_identity(std::vector<KeyDef<T>>& keys, std::string_view what) {
  keys.push_back(bound_in<&T::common, &PipelineCommon::tenant>(
      {.name = "tenant", .default_text = "public", .doc = "Pulsar tenant of the pipeline."}));
  keys.push_back(bound_in<&T::common, &PipelineCommon::namespace_name>(
      {.name = "namespace", .default_text = "default", .doc = "Pulsar namespace of the pipeline."}));
  keys.push_back(bound_in<&T::common, &PipelineCommon::name>({.name = "name", .doc = what, .flags = kRequired}));
}

template <typename T>
void add_guarantees_and_parallelism(std::vector<KeyDef<T>>& keys, std::string_view guarantees_doc) {
  keys.push_back(bound_in<&T::common, &PipelineCommon::processing_guarantees>({.name = "processingGuarantees",
                                                                               .type = KeyType::kEnum,
                                                                               .default_text = "ATLEAST_ONCE",
                                                                               .doc = guarantees_doc,
                                                                               .values = kGuarantees}));
  keys.push_back(bound_in<&T::common, &PipelineCommon::parallelism>(
      {.name = "parallelism",
       .type = KeyType::kInt,
       .default_text = "1",
       .doc = "Accepted; one process runs one instance of each pipeline. To scale out, start more processes with "
              "the same file: sinks share the subscription, sources share the lease table. A value above 1 warns.",
       .min = 1}));
}

std::vector<KeyDef<SinkSpec>> make_sink_file_keys() {
  std::vector<KeyDef<SinkSpec>> k;
  add_identity(k, "Name of the sink; with tenant and namespace it names the default subscription.");
  k.push_back(bound<&SinkSpec::inputs>(
      {.name = "inputs",
       .type = KeyType::kStringList,
       .doc = "Topics to read (a list; a comma-separated string is accepted too). Exactly one of `inputs` and "
              "`topicsPattern`."}));
  k.push_back(bound<&SinkSpec::topics_pattern>(
      {.name = "topicsPattern",
       .doc = "A regular expression over full topic names of one namespace, e.g. "
              "`persistent://public/default/orders-.*`; new matching topics are picked up."}));
  k.push_back(bound<&SinkSpec::source_subscription_name>(
      {.name = "sourceSubscriptionName",
       .doc = "Subscription name. Empty: `<tenant>/<namespace>/<name>`, as pulsar-admin does, so a sink that "
              "replaces the Java connector continues its subscription."}));
  k.push_back(bound<&SinkSpec::source_subscription_position>({.name = "sourceSubscriptionPosition",
                                                              .type = KeyType::kEnum,
                                                              .default_text = "Latest",
                                                              .doc = "Where a new subscription starts.",
                                                              .values = {"Latest", "Earliest"}}));
  add_guarantees_and_parallelism(
      k,
      "ATLEAST_ONCE and MANUAL: a message is acknowledged after Kinesis accepted the record carrying it. "
      "ATMOST_ONCE: acknowledged when received. EFFECTIVELY_ONCE: as ATLEAST_ONCE on a Failover subscription "
      "(Kinesis has no deduplication; a warning says so).");
  k.push_back(bound<&SinkSpec::retain_ordering>(
      {.name = "retainOrdering",
       .type = KeyType::kBool,
       .default_text = "false",
       .doc = "Pulsar side: a Failover subscription, so one process reads each topic partition in order. "
              "(`configs.retainOrdering` is the Kinesis side.)"}));
  k.push_back(bound<&SinkSpec::retain_key_ordering>(
      {.name = "retainKeyOrdering",
       .type = KeyType::kBool,
       .default_text = "false",
       .doc = "A Key_Shared subscription: several processes share the topics, each key stays with one."}));
  k.push_back(bound<&SinkSpec::timeout_ms>(
      {.name = "timeoutMs",
       .type = KeyType::kOptionalInt,
       .default_text = "null",
       .doc = "Ack timeout of the consumer in ms (messages not acknowledged by then are redelivered). None by "
              "default.",
       .min = 0}));
  k.push_back(bound<&SinkSpec::max_message_retries>(
      {.name = "maxMessageRetries",
       .type = KeyType::kOptionalInt,
       .default_text = "null",
       .doc = "Redeliveries of a negatively acknowledged message before it goes to `deadLetterTopic`.",
       .min = 0}));
  k.push_back(bound<&SinkSpec::dead_letter_topic>(
      {.name = "deadLetterTopic",
       .doc = "Where messages that cannot be delivered go (with the reason in a property) instead of being "
              "negatively acknowledged."}));
  k.push_back(bound<&SinkSpec::negative_ack_redelivery_delay_ms>(
      {.name = "negativeAckRedeliveryDelayMs",
       .type = KeyType::kOptionalInt,
       .default_text = "null",
       .doc = "Delay before a negatively acknowledged message is redelivered (client default 60000 ms).",
       .min = 0}));
  k.push_back(unbound<SinkSpec>(
      {.name = "configs", .type = KeyType::kSection, .doc = "The connector's settings: see Sink `configs` below."}));
  add_client_sections(k);
  add_runtime_only(k,
                   {"className", "archive", "sinkType", "resources", "autoAck", "runtimeFlags", "customRuntimeOptions",
                    "cleanupSubscription", "transformFunction", "transformFunctionClassName", "transformFunctionConfig",
                    "logTopic", "topicToSerdeClassName", "topicToSchemaType", "topicToSchemaProperties"});
  k.push_back(unbound<SinkSpec>(
      {.name = "inputSpecs",
       .type = KeyType::kAny,
       .doc = "Java functions runtime only (per-topic serde and schema settings). Its topics are not subscribed: "
              "list them in `inputs`.",
       .flags = kIgnored}));
  add_secrets_key(k);
  return k;
}

std::vector<KeyDef<SourceSpec>> make_source_file_keys() {
  std::vector<KeyDef<SourceSpec>> k;
  add_identity(k, "Name of the source; it names the producer of each shard in effectively-once mode.");
  k.push_back(bound<&SourceSpec::topic_name>(
      {.name = "topicName", .doc = "The Pulsar topic the records are published to.", .flags = kRequired}));
  k.push_back(unbound<SourceSpec>({.name = "producerConfig",
                                   .type = KeyType::kSection,
                                   .doc = "The Pulsar producer: see Source `producerConfig` below."}));
  k.push_back(bound<&SourceSpec::batch_builder>(
      {.name = "batchBuilder",
       .type = KeyType::kEnum,
       .default_text = "null",
       .doc = "Older spelling of `producerConfig.batchBuilder` (which wins when both are set).",
       .flags = kFolded,
       .values = {"DEFAULT", "KEY_BASED"}}));
  add_guarantees_and_parallelism(
      k,
      "ATLEAST_ONCE, ATMOST_ONCE and MANUAL: records are checkpointed after Pulsar confirmed them (duplicates "
      "possible after a crash). EFFECTIVELY_ONCE: also sets `configs.effectivelyOnce`.");
  k.push_back(unbound<SourceSpec>(
      {.name = "configs", .type = KeyType::kSection, .doc = "The connector's settings: see Source `configs` below."}));
  add_client_sections(k);
  add_runtime_only(k, {"className", "archive", "sourceType", "resources", "runtimeFlags", "customRuntimeOptions",
                       "logTopic", "serdeClassName", "schemaType", "batchSourceConfig"});
  add_secrets_key(k);
  return k;
}

std::vector<KeyDef<ProducerConfig>> make_producer_keys() {
  std::vector<KeyDef<ProducerConfig>> k;
  k.push_back(bound<&ProducerConfig::max_pending_messages>(
      {.name = "maxPendingMessages",
       .type = KeyType::kInt,
       .default_text = "1000",
       .doc = "Messages a producer (per partition) may have unconfirmed; 0 = no limit.",
       .min = 0,
       .max = 1'000'000'000}));
  k.push_back(bound<&ProducerConfig::max_pending_messages_across_partitions>(
      {.name = "maxPendingMessagesAcrossPartitions",
       .type = KeyType::kInt,
       .default_text = "50000",
       .doc = "The same bound over all partitions of a partitioned topic.",
       .min = 0,
       .max = 1'000'000'000}));
  k.push_back(
      bound<&ProducerConfig::batch_builder>({.name = "batchBuilder",
                                             .type = KeyType::kEnum,
                                             .default_text = "DEFAULT",
                                             .doc = "KEY_BASED: batches never mix keys (for Key_Shared consumers).",
                                             .values = {"DEFAULT", "KEY_BASED"}}));
  k.push_back(bound<&ProducerConfig::compression_type>({.name = "compressionType",
                                                        .type = KeyType::kEnum,
                                                        .default_text = "NONE",
                                                        .doc = "Compression of message batches.",
                                                        .values = {"NONE", "LZ4", "ZLIB", "ZSTD", "SNAPPY"}}));
  k.push_back(bound<&ProducerConfig::batching_enabled>({.name = "batchingEnabled",
                                                        .type = KeyType::kBool,
                                                        .default_text = "true",
                                                        .doc = "Batch messages (one Pulsar entry for many records).",
                                                        .flags = kOurs}));
  k.push_back(
      bound<&ProducerConfig::batching_max_publish_delay_ms>({.name = "batchingMaxPublishDelayMs",
                                                             .type = KeyType::kInt,
                                                             .default_text = "10",
                                                             .doc = "Longest a batch waits to fill before it is sent.",
                                                             .flags = kOurs,
                                                             .min = 0,
                                                             .max = 60'000}));
  k.push_back(bound<&ProducerConfig::batching_max_messages>({.name = "batchingMaxMessages",
                                                             .type = KeyType::kInt,
                                                             .default_text = "1000",
                                                             .doc = "Messages per batch at most.",
                                                             .flags = kOurs,
                                                             .min = 1,
                                                             .max = 1'000'000}));
  k.push_back(bound<&ProducerConfig::batching_max_bytes>({.name = "batchingMaxBytes",
                                                          .type = KeyType::kInt,
                                                          .default_text = "131072",
                                                          .doc = "Bytes per batch at most.",
                                                          .flags = kOurs,
                                                          .min = 1,
                                                          .max = 5 * 1024 * 1024}));
  k.push_back(unbound<ProducerConfig>({.name = "useThreadLocalProducers",
                                       .type = KeyType::kAny,
                                       .doc = "Java functions runtime only (each pipeline has its own producers here).",
                                       .flags = kIgnored}));
  k.push_back(unbound<ProducerConfig>(
      {.name = "cryptoConfig",
       .type = KeyType::kAny,
       .doc = "Producer-side end-to-end encryption: not supported; rejected rather than publishing in clear.",
       .flags = kRejected}));
  return k;
}

std::vector<KeyDef<RunSpec>> make_run_file_keys() {
  std::vector<KeyDef<RunSpec>> k;
  k.push_back(unbound<RunSpec>({.name = "sinks",
                                .type = KeyType::kSectionList,
                                .doc = "Sink pipelines: a list of sink files' contents (without `admin` and `log`).",
                                .flags = kOurs}));
  k.push_back(unbound<RunSpec>({.name = "sources",
                                .type = KeyType::kSectionList,
                                .doc = "Source pipelines: a list of source files' contents (without `admin` and "
                                       "`log`).",
                                .flags = kOurs}));
  k.push_back(unbound<RunSpec>({.name = "pulsar",
                                .type = KeyType::kSection,
                                .doc = "The Pulsar client shared by every pipeline; a pipeline's own `pulsar:` "
                                       "section overrides single keys of it.",
                                .flags = kOurs}));
  k.push_back(unbound<RunSpec>(
      {.name = "admin", .type = KeyType::kSection, .doc = "The admin HTTP endpoint.", .flags = kOurs}));
  k.push_back(unbound<RunSpec>({.name = "log", .type = KeyType::kSection, .doc = "Logging.", .flags = kOurs}));
  return k;
}

}  // namespace

const Section<SinkSpec>& sink_file_keys() {
  static const std::vector<KeyDef<SinkSpec>> keys = make_sink_file_keys();
  static const Section<SinkSpec> section{
      "Sink file", "What `pulsar-admin sinks create --sink-config-file` takes, plus our `pulsar`, `admin` and `log`.",
      keys};
  return section;
}

const Section<SourceSpec>& source_file_keys() {
  static const std::vector<KeyDef<SourceSpec>> keys = make_source_file_keys();
  static const Section<SourceSpec> section{
      "Source file",
      "What `pulsar-admin sources create --source-config-file` takes, plus our `pulsar`, `admin` and `log`.", keys};
  return section;
}

const Section<ProducerConfig>& producer_config_keys() {
  static const std::vector<KeyDef<ProducerConfig>> keys = make_producer_keys();
  static const Section<ProducerConfig> section{
      "Source `producerConfig`",
      "pulsar-admin's ProducerConfig (field names as it spells them), plus our batching keys.", keys};
  return section;
}

const Section<RunSpec>& run_file_keys() {
  static const std::vector<KeyDef<RunSpec>> keys = make_run_file_keys();
  static const Section<RunSpec> section{"Run file",
                                        "`pulsar-kinesis run --config FILE`: several pipelines in one process.", keys};
  return section;
}

}  // namespace pk::config
