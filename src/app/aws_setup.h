#pragma once
// The AWS pieces both pipelines build from their `configs:`: HTTP settings, the credentials provider of
// awsCredentialPluginName / awsCredentialPluginParam, and service endpoints (awsEndpoint, dynamoEndpoint,
// cloudwatchEndpoint: host or URI, scheme optional). Errors name the config key.

#include <memory>
#include <optional>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/thread_pool.hpp>

#include "app/durations.h"
#include "aws/credentials.h"
#include "aws/endpoints.h"
#include "common/result.h"
#include "config/model.h"
#include "http/types.h"

namespace pk::app {

struct CredentialsSetup {
  boost::asio::any_io_executor executor;
  boost::asio::thread_pool* blocking = nullptr;
  http::ClientOptions http;                                // for STS (TLS verification follows the pipeline's setting)
  std::string sts_endpoint;                                // awsStsEndpoint (sink) or empty
  std::optional<uint32_t> sts_port;                        // awsStsPort
  std::chrono::milliseconds refresh_check_interval{5000};  // credentialsRefreshDelay
};

Result<std::shared_ptr<aws::CredentialsProvider>> credentials_provider(const config::AwsSettings& aws,
                                                                       const CredentialsSetup& setup);

// `service` ("kinesis", "dynamodb", "monitoring") at `endpoint` (or the region's), named `key` in errors.
Result<aws::ServiceEndpoint> service_endpoint(std::string service, const config::AwsSettings& aws,
                                              const std::string& endpoint, std::optional<int64_t> port,
                                              std::string_view key);

}  // namespace pk::app
