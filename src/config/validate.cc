#include "config/validate.h"

#include <charconv>
#include <filesystem>

#include <fmt/format.h>

#include "common/text.h"

namespace pk::config {
namespace {

bool blank(std::string_view s) {
  return trim_whitespace(s).empty();
}

// A file the process must be able to read (TLS material, token files).
void check_readable(const std::string& file, const std::string& path, LoadContext& ctx) {
  auto text = read_text_file(file);
  if (!text.ok()) ctx.problems.add(path, text.error().message);
}

void check_credentials(const std::string& plugin, const std::string& path, LoadContext& ctx) {
  if (plugin.empty()) return;
  const std::vector<std::string_view> known = credential_plugin_names();
  for (std::string_view name : known) {
    if (name == plugin) return;
  }
  const std::string_view suggestion = closest_key(plugin, known);
  ctx.problems.add(path, fmt::format("\"{}\" is not a known credential plugin (allowed: empty, {}, {}){}", plugin,
                                     kDefaultChainPlugin, kStsAssumeRolePlugin,
                                     suggestion.empty() ? "" : fmt::format("; did you mean \"{}\"?", suggestion)));
}

void warn_parallelism(const PipelineCommon& common, const std::string& path, std::string_view how, LoadContext& ctx) {
  if (common.parallelism > 1) {
    ctx.warnings.add(join_path(path, "parallelism"),
                     fmt::format("{}: this process runs one instance; to scale out, start {} processes with this "
                                 "file ({})",
                                 common.parallelism, common.parallelism, how));
  }
}

}  // namespace

void validate_sink(SinkSpec& sink, const std::string& path, const SectionContents& top, const SectionContents& configs,
                   LoadContext& ctx) {
  SinkConfigs& c = sink.configs;
  const std::string configs_path = top.path_of(path, "configs");
  const bool region_failed =
      configs.has_failed("awsRegion") || configs.has_failed("awsEndpoint") || configs.has_failed("cloudwatchEndpoint");
  if (!region_failed && blank(c.aws.region) && (blank(c.aws.endpoint) || blank(c.aws.cloudwatch_endpoint))) {
    ctx.problems.add(configs_path,
                     "either \"awsRegion\" must be set or both \"awsEndpoint\" and \"cloudwatchEndpoint\" must be set");
  }
  const bool has_inputs = !sink.inputs.empty();
  const bool has_pattern = !blank(sink.topics_pattern);
  if (has_inputs && has_pattern) {
    ctx.problems.add(top.path_of(path, "topicsPattern"), "give either inputs or topicsPattern, not both");
  } else if (!has_inputs && !has_pattern && !top.has_failed("inputs") && !top.has_failed("topicsPattern")) {
    ctx.problems.add(join_path(path, "inputs"), "no topics: give inputs (a list of topics) or topicsPattern");
  }
  if (c.retry_initial_delay_ms > c.retry_max_delay_ms) {
    ctx.problems.add(
        configs.path_of(configs_path, "retryInitialDelayInMillis"),
        fmt::format("{} is above retryMaxDelayInMillis ({})", c.retry_initial_delay_ms, c.retry_max_delay_ms));
  }
  if (c.min_connections > c.max_connections) {
    ctx.problems.add(configs.path_of(configs_path, "minConnections"),
                     fmt::format("{} is above maxConnections ({})", c.min_connections, c.max_connections));
  }
  check_credentials(c.aws.credential_plugin_name, configs.path_of(configs_path, "awsCredentialPluginName"), ctx);
  if (c.skip_certificate_validation) c.verify_certificate = false;
  if (sink.source_subscription_name.empty()) {
    sink.source_subscription_name =
        fmt::format("{}/{}/{}", sink.common.tenant, sink.common.namespace_name, sink.common.name);
  }
  if (sink.common.processing_guarantees == ProcessingGuarantees::kEffectivelyOnce) {
    ctx.warnings.add(top.path_of(path, "processingGuarantees"),
                     "EFFECTIVELY_ONCE: Kinesis has no deduplication, so a record may still be written twice after "
                     "a failure; runs as ATLEAST_ONCE on a Failover subscription");
  }
  warn_parallelism(sink.common, path, "they share the subscription", ctx);
}

void validate_source(SourceSpec& source, const std::string& path, const SectionContents& top,
                     const SectionContents& configs, const SectionContents& producer, LoadContext& ctx) {
  SourceConfigs& c = source.configs;
  const std::string configs_path = top.path_of(path, "configs");
  const bool region_failed = configs.has_failed("awsRegion") || configs.has_failed("awsEndpoint") ||
                             configs.has_failed("cloudwatchEndpoint") || configs.has_failed("dynamoEndpoint");
  if (!region_failed && blank(c.aws.region) &&
      (blank(c.aws.endpoint) || blank(c.aws.cloudwatch_endpoint) || blank(c.dynamo_endpoint))) {
    ctx.problems.add(configs_path,
                     "either \"awsRegion\" must be set or all of \"awsEndpoint\", \"cloudwatchEndpoint\" "
                     "and \"dynamoEndpoint\" must be set");
  }
  if (c.initial_position_in_stream == InitialPosition::kAtTimestamp && !c.start_at_time_ms &&
      !configs.has_failed("startAtTime")) {
    ctx.problems.add(configs.path_of(configs_path, "startAtTime"),
                     "required when initialPositionInStream is AT_TIMESTAMP");
  } else if (c.initial_position_in_stream != InitialPosition::kAtTimestamp && c.start_at_time_ms) {
    ctx.warnings.add(configs.path_of(configs_path, "startAtTime"),
                     "ignored: initialPositionInStream is not AT_TIMESTAMP");
  }
  check_credentials(c.aws.credential_plugin_name, configs.path_of(configs_path, "awsCredentialPluginName"), ctx);
  if (source.common.processing_guarantees == ProcessingGuarantees::kEffectivelyOnce) c.effectively_once = true;
  if (source.batch_builder && !producer.has("batchBuilder"))
    source.producer_config.batch_builder = *source.batch_builder;
  warn_parallelism(source.common, path, "they share the shards through the lease table", ctx);
}

void validate_pulsar(PulsarClientConfig& p, const std::string& path, LoadContext& ctx) {
  const bool tls_url = p.service_url.starts_with("pulsar+ssl://");
  if (!tls_url && !p.service_url.starts_with("pulsar://")) {
    ctx.problems.add(join_path(path, "serviceUrl"),
                     fmt::format("\"{}\" is not a Pulsar service URL (allowed: pulsar://host:port or "
                                 "pulsar+ssl://host:port)",
                                 p.service_url));
  } else if (p.use_tls && !tls_url) {
    ctx.problems.add(join_path(path, "useTls"), "true, but serviceUrl is pulsar:// (use pulsar+ssl:// for TLS)");
  }
  constexpr std::string_view kToken = "org.apache.pulsar.client.impl.auth.AuthenticationToken";
  constexpr std::string_view kTls = "org.apache.pulsar.client.impl.auth.AuthenticationTls";
  const std::string plugin = p.auth_plugin;
  if (plugin.empty()) {
    if (!p.auth_params.value.empty()) {
      ctx.warnings.add(join_path(path, "authParams"), "ignored: authPlugin is empty (no authentication)");
    }
  } else if (plugin == kToken || plugin == "token") {
    p.auth_plugin = "token";
    const std::string& params = p.auth_params.value;
    if (blank(params)) {
      ctx.problems.add(join_path(path, "authParams"),
                       "the token plugin needs a token (token:..., file:/path or "
                       "env:NAME)");
    } else if (params.starts_with("file:")) {
      std::string file = params.substr(5);
      if (file.starts_with("//")) file = file.substr(2);
      check_readable(file, join_path(path, "authParams"), ctx);
    }
  } else if (plugin == kTls || plugin == "tls") {
    p.auth_plugin = "tls";
    // "tlsCertFile:/a,tlsKeyFile:/b" (the Java plugin also reads the same as JSON).
    std::string params = p.auth_params.value;
    for (char& ch : params) {
      if (ch == '{' || ch == '}' || ch == '"' || ch == ' ') ch = ' ';
    }
    size_t start = 0;
    while (start < params.size()) {
      size_t end = params.find(',', start);
      if (end == std::string::npos) end = params.size();
      const std::string_view item = trim_whitespace(std::string_view(params).substr(start, end - start));
      const size_t colon = item.find(':');
      if (colon != std::string_view::npos) {
        const std::string_view key = trim_whitespace(item.substr(0, colon));
        const std::string value(trim_whitespace(item.substr(colon + 1)));
        if (key == "tlsCertFile" && p.tls_certificate_file_path.empty()) p.tls_certificate_file_path = value;
        if (key == "tlsKeyFile" && p.tls_key_file_path.empty()) p.tls_key_file_path = value;
      }
      start = end + 1;
    }
    if (p.tls_certificate_file_path.empty() || p.tls_key_file_path.empty()) {
      ctx.problems.add(join_path(path, "authParams"),
                       "the TLS plugin needs tlsCertFile:/path,tlsKeyFile:/path (or tlsCertificateFilePath and "
                       "tlsKeyFilePath)");
    }
  } else {
    const std::vector<std::string_view> known = {kToken, kTls, "token", "tls"};
    const std::string_view suggestion = closest_key(plugin, known);
    ctx.problems.add(join_path(path, "authPlugin"),
                     fmt::format("\"{}\" is not supported (allowed: empty, {}, {}, token, tls){}", plugin, kToken, kTls,
                                 suggestion.empty() ? "" : fmt::format("; did you mean \"{}\"?", suggestion)));
  }
  if (!p.tls_trust_certs_file_path.empty()) {
    check_readable(p.tls_trust_certs_file_path, join_path(path, "tlsTrustCertsFilePath"), ctx);
  }
  if (!p.tls_certificate_file_path.empty()) {
    check_readable(p.tls_certificate_file_path, join_path(path, "tlsCertificateFilePath"), ctx);
  }
  if (!p.tls_key_file_path.empty()) check_readable(p.tls_key_file_path, join_path(path, "tlsKeyFilePath"), ctx);
  if (p.tls_certificate_file_path.empty() != p.tls_key_file_path.empty()) {
    ctx.problems.add(join_path(path, p.tls_key_file_path.empty() ? "tlsKeyFilePath" : "tlsCertificateFilePath"),
                     "a client certificate needs both tlsCertificateFilePath and tlsKeyFilePath");
  }
}

void validate_daemon(const DaemonConfig& daemon, const std::string& path, LoadContext& ctx) {
  const std::string& address = daemon.admin.address;
  const size_t colon = address.rfind(':');
  bool ok = colon != std::string::npos && colon > 0 && colon + 1 < address.size();
  if (ok) {
    unsigned port = 0;
    const char* begin = address.data() + colon + 1;
    const char* end = address.data() + address.size();
    const auto [ptr, ec] = std::from_chars(begin, end, port);
    ok = ec == std::errc() && ptr == end && port <= 65535;
    const std::string_view host = std::string_view(address).substr(0, colon);
    if (host.find(':') != std::string_view::npos) ok = ok && host.front() == '[' && host.back() == ']';
  }
  if (!ok) {
    ctx.problems.add(join_path(join_path(path, "admin"), "address"),
                     fmt::format("\"{}\" is not host:port (e.g. 127.0.0.1:9100 or [::1]:9100)", address));
  }
}

}  // namespace pk::config
