#include "app/pulsar_options.h"

#include <chrono>

#include "pulsar/client/auth.h"

namespace pk::app {

Result<pulsar::ClientOptions> pulsar_client_options(const config::PulsarClientConfig& config) {
  pulsar::ClientOptions options;
  options.service_url = config.service_url;
  if (config.auth_plugin == "token") {
    auto auth = pulsar::make_token_auth(config.auth_params.value);
    if (!auth.ok()) return auth.error().with_context("pulsar.authParams");
    options.auth = std::move(*auth);
  }
  // TLS: trust store, client certificate (the tls auth plugin's certificate and key), host-name verification.
  options.tls.ca_file = config.tls_trust_certs_file_path;
  options.tls.cert_file = config.tls_certificate_file_path;
  options.tls.key_file = config.tls_key_file_path;
  options.tls.verify_peer = !config.tls_allow_insecure_connection;
  if (config.operation_timeout_seconds > 0)
    options.operation_timeout = std::chrono::seconds(config.operation_timeout_seconds);
  if (config.connection_timeout_ms > 0)
    options.connect_timeout = std::chrono::milliseconds(config.connection_timeout_ms);
  if (config.keep_alive_interval_seconds > 0)
    options.keep_alive = std::chrono::seconds(config.keep_alive_interval_seconds);
  if (config.memory_limit_bytes > 0) options.memory_limit_bytes = static_cast<uint64_t>(config.memory_limit_bytes);
  return options;
}

}  // namespace pk::app
