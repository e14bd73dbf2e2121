#pragma once
// What credential providers need from their surroundings: a clock (expiry, tests), the blocking pool (files,
// credential_process), HTTP settings for STS (TLS verification and CA file follow the connector's options), where
// STS is, and how the cache refreshes. Plain values; copied into each provider.

#include <chrono>
#include <optional>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/thread_pool.hpp>

#include "aws/endpoints.h"
#include "aws/retry_policy.h"
#include "common/clock.h"
#include "http/types.h"

namespace pk::aws {

struct CredentialsContext {
  // The loop that owns the providers' HTTP clients (STS, IMDS, container endpoint). Empty: the loop of the first
  // get() that needs one. Either way that loop must outlive the providers (their clients post clean-up to it).
  boost::asio::any_io_executor executor;
  const Clock* clock = &SystemClock::instance();
  boost::asio::thread_pool* blocking = nullptr;     // Runtime::blocking(); null = net::helper_pool()
  http::ClientOptions http;                         // for STS (TLS, timeouts)
  EndpointConfig sts{"sts", "", "", std::nullopt};  // awsRegion / awsStsEndpoint / awsStsPort
  RetryOptions retry;
  std::chrono::milliseconds refresh_check_interval{5000};  // credentialsRefreshDelay: how often the cache re-checks
  std::chrono::seconds refresh_margin{300};                // refresh credentials expiring within this
  // Metadata endpoints (tests point these at local servers; production uses the AWS defaults).
  std::string container_base_url = "http://169.254.170.2";       // for AWS_CONTAINER_CREDENTIALS_RELATIVE_URI
  std::string imds_default_endpoint = "http://169.254.169.254";  // unless AWS_EC2_METADATA_SERVICE_ENDPOINT
  std::chrono::milliseconds metadata_timeout{2000};  // connect + request timeout for IMDS / container endpoints

  // STS endpoint: the configured one, else the regional endpoint of the configured region, else us-east-1's.
  Result<ServiceEndpoint> sts_endpoint() const;
  // HTTP settings for a metadata endpoint (IMDS, container): metadata_timeout for connect and request, at most two
  // connections, none kept idle; the TLS settings of `http` when `with_tls` (a container FULL_URI may be https).
  http::ClientOptions metadata_http_options(bool with_tls) const;
};

}  // namespace pk::aws
