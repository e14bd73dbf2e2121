#pragma once
// Parsers for the JSON documents that carry credentials: the connector's static plugin parameter, the output of a
// credential_process, and the container (ECS/EKS) and EC2 instance-metadata answers; plus ISO 8601 timestamps.
// Errors name the document and the missing or malformed field, never a value.

#include <chrono>
#include <string_view>

#include "aws/credentials.h"
#include "common/result.h"

namespace pk::aws {

// "2019-11-09T13:34:41Z", with optional fraction and a "Z" or "+hh:mm"/"-hh:mm" offset.
Result<std::chrono::system_clock::time_point> parse_iso8601(std::string_view text);

// awsCredentialPluginParam for an empty plugin name: {"accessKey": "...", "secretKey": "...", "sessionToken"?}.
Result<Credentials> parse_static_plugin_param(std::string_view json);

// credential_process output: {"Version": 1, "AccessKeyId", "SecretAccessKey", "SessionToken"?, "Expiration"?}.
Result<Credentials> parse_process_credentials(std::string_view json);

// ECS/EKS container endpoint and EC2 IMDS role credentials: {"AccessKeyId", "SecretAccessKey", "Token",
// "Expiration", "Code"?}. `source` names the endpoint in errors ("container endpoint", "instance metadata").
Result<Credentials> parse_metadata_credentials(std::string_view json, std::string_view source);

}  // namespace pk::aws
