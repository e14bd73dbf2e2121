#pragma once
// The `pulsar:` section (Pulsar's client.conf keys) -> our Pulsar client's options: service URL, token or TLS
// authentication, TLS trust and client certificates, timeouts. Pure; errors name the key.

#include "common/result.h"
#include "config/model.h"
#include "pulsar/client/options.h"

namespace pk::app {

Result<pulsar::ClientOptions> pulsar_client_options(const config::PulsarClientConfig& config);

}  // namespace pk::app
