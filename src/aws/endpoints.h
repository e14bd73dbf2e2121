#pragma once
// Where an AWS service is and how to sign for it. From the connector's options:
//   - region only                      -> https://<service>.<region>.amazonaws.com (".amazonaws.com.cn" for cn-*)
//   - endpoint, with or without scheme -> that URL (scheme defaults to https), e.g. "kinesis.eu-west-1.amazonaws.com",
//                                         "http://127.0.0.1:4568"
//   - port override (awsEndpointPort, awsStsPort) replaces the port either way.
// The signing region is the configured region; without one it is read from the endpoint host
// ("kinesis.eu-west-1.amazonaws.com" -> eu-west-1); for a custom endpoint without region it is us-east-1, with a
// warning (emulators accept any region). Pure functions.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "http/types.h"

namespace pk::aws {

struct EndpointConfig {
  std::string service;           // endpoint prefix and signing name: "kinesis", "dynamodb", "sts", "monitoring"
  std::string region;            // awsRegion; may be empty when `endpoint` is set
  std::string endpoint;          // awsEndpoint / dynamoEndpoint / cloudwatchEndpoint / awsStsEndpoint; may be empty
  std::optional<uint32_t> port;  // awsEndpointPort / awsStsPort
};

struct ServiceEndpoint {
  http::Url url;
  std::string signing_region;
  std::string signing_name;
  bool region_defaulted = false;  // no region given nor found in the host: us-east-1 was assumed
};

Result<ServiceEndpoint> resolve_endpoint(const EndpointConfig& config);

// The region named by an AWS host name ("kinesis.eu-west-1.amazonaws.com", "sts.cn-north-1.amazonaws.com.cn",
// "vpce-1.kinesis.us-east-1.vpce.amazonaws.com"); nullopt for hosts that name none (custom, IP, global sts).
std::optional<std::string> region_from_host(std::string_view host);

// Whether `s` looks like an AWS region name ("us-east-1", "us-gov-west-1", "cn-north-1", "us-isob-east-1").
bool looks_like_region(std::string_view s);

// Parses "scheme://host[:port][/path]" or "host[:port][/path]" (scheme defaults to https; only http/https;
// IPv6 in brackets; no user info). Errors name the text.
Result<http::Url> parse_endpoint_url(std::string_view text);

}  // namespace pk::aws
