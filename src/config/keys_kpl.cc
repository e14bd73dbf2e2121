// configs.extraKinesisProducerConfig: the KPL's KinesisProducerConfiguration settings (bounds as the KPL checks
// them), each accepted in the Java bean spelling and the properties-file spelling (first letter upper case).
#include <deque>
#include <string>

#include "config/key_table.h"

namespace pk::config {
namespace {

// The properties-file spelling of a bean name; the strings live as long as the table.
std::string_view properties_spelling(std::string_view bean) {
  static std::deque<std::string> names;
  std::string name(bean);
  name[0] = static_cast<char>(name[0] - 'a' + 'A');
  return names.emplace_back(std::move(name));
}

KeyInfo kpl(KeyInfo info) {
  info.aliases.push_back(properties_spelling(info.name));
  return info;
}

// A KPL setting that the sink's own key of the same meaning overrides when that key is set; used otherwise.
template <auto... Member>
KeyDef<SinkConfigs> shared_with_sink(std::string_view name, KeyType type, std::string_view sink_key, int64_t min,
                                     int64_t max) {
  return bound_path<Member...>(
      kpl({.name = name,
           .type = type,
           .doc = "Used when `configs` does not set the same setting; else that wins (a warning "
                  "says so).",
           .min = min,
           .max = max,
           .overridden_by = sink_key}));
}

KeyDef<SinkConfigs> ignored(std::string_view name, std::string_view why, std::string_view quiet_value = {}) {
  return unbound<SinkConfigs>(
      kpl({.name = name, .type = KeyType::kAny, .doc = why, .flags = kIgnored, .quiet_value = quiet_value}));
}

constexpr int64_t kNoMax = std::numeric_limits<int64_t>::max();

std::vector<KeyDef<SinkConfigs>> make_kpl_keys() {
  std::vector<KeyDef<SinkConfigs>> k;
  // Honoured: they only exist here.
  k.push_back(bound<&SinkConfigs::record_max_buffered_time_ms>(
      kpl({.name = "recordMaxBufferedTime",
           .type = KeyType::kInt,
           .default_text = "100",
           .doc = "Longest a record waits for others to share its aggregate or request (ms).",
           .min = 0})));
  k.push_back(bound<&SinkConfigs::aggregation_max_count>(kpl({.name = "aggregationMaxCount",
                                                              .type = KeyType::kInt,
                                                              .default_text = "4294967295",
                                                              .doc = "Records per aggregate at most.",
                                                              .min = 1})));
  k.push_back(bound<&SinkConfigs::aggregation_max_size>(kpl({.name = "aggregationMaxSize",
                                                             .type = KeyType::kInt,
                                                             .default_text = "51200",
                                                             .doc = "Bytes per aggregate at most.",
                                                             .min = 64,
                                                             .max = 1048576})));
  k.push_back(bound<&SinkConfigs::fail_if_throttled>(
      kpl({.name = "failIfThrottled",
           .type = KeyType::kBool,
           .default_text = "false",
           .doc = "A throttled record fails at once (negatively acknowledged / dead-lettered) instead of being "
                  "retried."})));
  k.push_back(bound<&SinkConfigs::verify_certificate>(
      kpl({.name = "verifyCertificate",
           .type = KeyType::kBool,
           .default_text = "true",
           .doc = "Verify the TLS certificates of AWS endpoints (`configs.skipCertificateValidation: true` turns "
                  "this off too)."})));
  k.push_back(bound<&SinkConfigs::cloudwatch_port>(kpl({.name = "cloudwatchPort",
                                                        .type = KeyType::kOptionalInt,
                                                        .default_text = "null",
                                                        .doc = "CloudWatch port override.",
                                                        .min = 1,
                                                        .max = 65535})));
  // The same settings as sink keys.
  k.push_back(shared_with_sink<&SinkConfigs::aggregation_enabled>("aggregationEnabled", KeyType::kBool,
                                                                  "aggregationEnabled", 0, 1));
  k.push_back(shared_with_sink<&SinkConfigs::collection_max_count>("collectionMaxCount", KeyType::kInt,
                                                                   "collectionMaxCount", 1, 500));
  k.push_back(shared_with_sink<&SinkConfigs::collection_max_size>("collectionMaxSize", KeyType::kInt,
                                                                  "collectionMaxSize", 52224, kNoMax));
  k.push_back(shared_with_sink<&SinkConfigs::connect_timeout_ms>("connectTimeout", KeyType::kInt, "connectTimeout", 100,
                                                                 300000));
  k.push_back(shared_with_sink<&SinkConfigs::credentials_refresh_delay_ms>("credentialsRefreshDelay", KeyType::kInt,
                                                                           "credentialsRefreshDelay", 1, 300000));
  k.push_back(
      shared_with_sink<&SinkConfigs::max_connections>("maxConnections", KeyType::kInt, "maxConnections", 1, 256));
  k.push_back(
      shared_with_sink<&SinkConfigs::min_connections>("minConnections", KeyType::kInt, "minConnections", 1, 16));
  k.push_back(shared_with_sink<&SinkConfigs::rate_limit>("rateLimit", KeyType::kInt, "rateLimit", 1, kNoMax));
  k.push_back(shared_with_sink<&SinkConfigs::record_ttl_ms>("recordTtl", KeyType::kInt, "recordTtl", 100, kNoMax));
  k.push_back(shared_with_sink<&SinkConfigs::request_timeout_ms>("requestTimeout", KeyType::kInt, "requestTimeout", 100,
                                                                 600000));
  k.push_back(shared_with_sink<&SinkConfigs::aws, &AwsSettings::endpoint>("kinesisEndpoint", KeyType::kString,
                                                                          "awsEndpoint", 0, 0));
  k.push_back(shared_with_sink<&SinkConfigs::aws_endpoint_port>("kinesisPort", KeyType::kOptionalInt, "awsEndpointPort",
                                                                1, 65535));
  k.push_back(shared_with_sink<&SinkConfigs::aws, &AwsSettings::cloudwatch_endpoint>(
      "cloudwatchEndpoint", KeyType::kString, "cloudwatchEndpoint", 0, 0));
  k.push_back(
      shared_with_sink<&SinkConfigs::aws_sts_endpoint>("stsEndpoint", KeyType::kString, "awsStsEndpoint", 0, 0));
  k.push_back(shared_with_sink<&SinkConfigs::aws_sts_port>("stsPort", KeyType::kOptionalInt, "awsStsPort", 1, 65535));
  k.push_back(shared_with_sink<&SinkConfigs::aws, &AwsSettings::region>("region", KeyType::kString, "awsRegion", 0, 0));
  // Accepted, no effect here.
  constexpr std::string_view kMetrics =
      "The KPL's CloudWatch metrics: ours are served at the admin endpoint (`/metrics`).";
  k.push_back(ignored("metricsLevel", kMetrics, "none"));
  k.push_back(ignored("metricsGranularity", kMetrics));
  k.push_back(ignored("metricsNamespace", kMetrics));
  k.push_back(ignored("metricsUploadDelay", kMetrics));
  k.push_back(ignored("logLevel", "The KPL daemon's log level: use `log.level`."));
  constexpr std::string_view kNative = "About the Java KPL's native daemon process: there is none here.";
  for (std::string_view name : {"nativeExecutable", "tempDirectory", "enableCoreDumps", "threadingModel",
                                "threadPoolSize", "enableOldestFutureTracker", "returnUserRecordOnFailure"}) {
    k.push_back(ignored(name, kNative));
  }
  k.push_back(ignored("userRecordTimeoutInMillis",
                      "A queueing timeout of the Java KPL; `recordTtl` bounds a "
                      "record's life here."));
  constexpr std::string_view kUnsupported = "Not supported here.";
  for (std::string_view name : {"proxyHost", "proxyPort", "proxyUserName", "caCertPath", "caCertFile",
                                "glueSchemaRegistryPropertiesFilePath"}) {
    k.push_back(ignored(name, kUnsupported));
  }
  k.push_back(unbound<SinkConfigs>(
      kpl({.name = "proxyPassword", .type = KeyType::kSecret, .doc = kUnsupported, .flags = kIgnored})));
  return k;
}

}  // namespace

const Section<SinkConfigs>& kpl_keys() {
  static const std::vector<KeyDef<SinkConfigs>> keys = make_kpl_keys();
  static const Section<SinkConfigs> section{
      "Sink `configs.extraKinesisProducerConfig`",
      "KPL settings (a map of strings, as the Java connector takes them). Both spellings are accepted: the Java "
      "bean name (`metricsLevel`) and the KPL properties-file name (`MetricsLevel`; the Java connector accepts "
      "only the former). In the Java connector the sink's own keys always override these, even when only "
      "defaulted; here a setting given only here is used, and one given in both places takes the `configs` "
      "value with a warning.",
      keys};
  return section;
}

}  // namespace pk::config
