// `pulsar:` (the key names of Pulsar's client.conf), `admin:` and `log:`.
#include "config/key_table.h"

namespace pk::config {
namespace {

std::vector<KeyDef<PulsarClientConfig>> make_pulsar_keys() {
  using P = PulsarClientConfig;
  std::vector<KeyDef<P>> k;
  k.push_back(bound<&P::service_url>(
      {.name = "serviceUrl",
       .default_text = "pulsar://localhost:6650",
       .doc = "`pulsar://host:6650` (several hosts: `pulsar://h1:6650,h2:6650`) or `pulsar+ssl://host:6651`.",
       .aliases = {"brokerServiceUrl"}}));
  k.push_back(unbound<P>(
      {.name = "webServiceUrl",
       .doc = "Accepted so that a client.conf can be pasted; not used (everything goes over the binary protocol).",
       .flags = kIgnored | kQuiet}));
  k.push_back(bound<&P::auth_plugin>(
      {.name = "authPlugin",
       .doc = "Empty: no authentication. Token: `org.apache.pulsar.client.impl.auth.AuthenticationToken` or "
              "`token`. TLS client certificate: `org.apache.pulsar.client.impl.auth.AuthenticationTls` or `tls`."}));
  k.push_back(bound<&P::auth_params>(
      {.name = "authParams",
       .type = KeyType::kSecret,
       .doc = "Secret. Token: `token:<jwt>`, `file:/path` (re-read when the broker asks again, so rotation works), "
              "`env:NAME` or the bare token. TLS: `tlsCertFile:/path,tlsKeyFile:/path` or the same as JSON."}));
  k.push_back(bound<&P::tls_trust_certs_file_path>(
      {.name = "tlsTrustCertsFilePath", .doc = "CA certificates (PEM) for `pulsar+ssl://`; empty: the system's."}));
  k.push_back(bound<&P::tls_allow_insecure_connection>({.name = "tlsAllowInsecureConnection",
                                                        .type = KeyType::kBool,
                                                        .default_text = "false",
                                                        .doc = "Accept any broker certificate (tests only)."}));
  k.push_back(bound<&P::tls_enable_hostname_verification>(
      {.name = "tlsEnableHostnameVerification",
       .type = KeyType::kBool,
       .default_text = "false",
       .doc = "Check that the broker certificate names the host (off by default, as in the Java client).",
       .aliases = {"tlsHostnameVerificationEnable"}}));
  k.push_back(bound<&P::tls_certificate_file_path>(
      {.name = "tlsCertificateFilePath", .doc = "Client certificate (PEM) for mutual TLS."}));
  k.push_back(bound<&P::tls_key_file_path>({.name = "tlsKeyFilePath", .doc = "Its private key (PEM)."}));
  k.push_back(bound<&P::use_tls>({.name = "useTls",
                                  .type = KeyType::kBool,
                                  .default_text = "false",
                                  .doc = "Deprecated in Pulsar; TLS follows the URL scheme (`pulsar+ssl://`). true "
                                         "with a `pulsar://` URL is an error."}));
  k.push_back(bound<&P::operation_timeout_seconds>(
      {.name = "operationTimeoutSeconds",
       .type = KeyType::kInt,
       .default_text = "30",
       .doc = "Timeout of lookups, subscribe, producer creation and other requests (s).",
       .min = 1,
       .max = 3600}));
  k.push_back(bound<&P::connection_timeout_ms>({.name = "connectionTimeoutMs",
                                                .type = KeyType::kInt,
                                                .default_text = "10000",
                                                .doc = "TCP + TLS + CONNECT timeout (ms).",
                                                .min = 1,
                                                .max = 600000}));
  k.push_back(bound<&P::keep_alive_interval_seconds>({.name = "keepAliveIntervalSeconds",
                                                      .type = KeyType::kInt,
                                                      .default_text = "30",
                                                      .doc = "Ping interval of idle connections (s).",
                                                      .min = 1,
                                                      .max = 3600}));
  k.push_back(bound<&P::memory_limit_bytes>(
      {.name = "memoryLimitBytes",
       .type = KeyType::kInt,
       .default_text = "67108864",
       .doc = "Payload bytes all producers of the client may hold unconfirmed; 0 = no limit.",
       .min = 0}));
  return k;
}

std::vector<KeyDef<AdminConfig>> make_admin_keys() {
  std::vector<KeyDef<AdminConfig>> k;
  k.push_back(bound<&AdminConfig::enabled>({.name = "enabled",
                                            .type = KeyType::kBool,
                                            .default_text = "true",
                                            .doc = "Serve `/metrics`, `/healthz`, `/readyz`, `/status` and the status "
                                                   "page."}));
  k.push_back(bound<&AdminConfig::address>(
      {.name = "address",
       .default_text = "127.0.0.1:9100",
       .doc = "`host:port` to listen on (`[::1]:9100` for IPv6; port 0 picks a free one)."}));
  return k;
}

std::vector<KeyDef<LogConfig>> make_log_keys() {
  std::vector<KeyDef<LogConfig>> k;
  k.push_back(bound<&LogConfig::level>({.name = "level",
                                        .type = KeyType::kEnum,
                                        .default_text = "info",
                                        .doc = "Least severe level logged.",
                                        .values = {"trace", "debug", "info", "warn", "error", "off"}}));
  k.push_back(bound<&LogConfig::format>({.name = "format",
                                         .type = KeyType::kEnum,
                                         .default_text = "text",
                                         .doc = "`text` (readable) or `json` (one JSON object per line).",
                                         .values = {"text", "json"}}));
  return k;
}

}  // namespace

const Section<PulsarClientConfig>& pulsar_keys() {
  static const std::vector<KeyDef<PulsarClientConfig>> keys = make_pulsar_keys();
  static const Section<PulsarClientConfig> section{
      "`pulsar:`",
      "The Pulsar client, with the key names of Pulsar's `client.conf` (ours: the section itself). In a run file "
      "a pipeline's own `pulsar:` overrides single keys of the shared one.",
      keys};
  return section;
}

const Section<AdminConfig>& admin_keys() {
  static const std::vector<KeyDef<AdminConfig>> keys = make_admin_keys();
  static const Section<AdminConfig> section{"`admin:`", "The daemon's admin HTTP endpoint (ours).", keys};
  return section;
}

const Section<LogConfig>& log_keys() {
  static const std::vector<KeyDef<LogConfig>> keys = make_log_keys();
  static const Section<LogConfig> section{"`log:`", "Logging (ours).", keys};
  return section;
}

}  // namespace pk::config
