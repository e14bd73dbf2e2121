#pragma once
// The connector's awsCredentialPluginName / awsCredentialPluginParam -> a credentials provider:
//   ""                                                       static keys from the JSON param
//                                                            {"accessKey", "secretKey", "sessionToken"?}
//   org.apache.pulsar.io.aws.AwsDefaultProviderChainPlugin   the default chain, cached (param ignored)
//   org.apache.pulsar.io.aws.STSAssumeRoleProviderPlugin     STS AssumeRole over the default chain, cached; param
//                                                            {"roleArn", "roleSessionName", "externalId"?,
//                                                             "durationSeconds"?, "stsEndpoint"?, "stsRegion"?}
// and the same class names under org.apache.pulsar.io.kinesis.*. Errors name the plugin and the missing key,
// never a secret.

#include <memory>
#include <string_view>

#include "aws/credentials.h"
#include "aws/credentials_context.h"

namespace pk::aws {

inline constexpr std::string_view kDefaultChainPlugin = "org.apache.pulsar.io.aws.AwsDefaultProviderChainPlugin";
inline constexpr std::string_view kStsAssumeRolePlugin = "org.apache.pulsar.io.aws.STSAssumeRoleProviderPlugin";

Result<std::unique_ptr<CredentialsProvider>> make_credentials_provider(std::string_view plugin_name,
                                                                       std::string_view plugin_param_json,
                                                                       const CredentialsContext& context);

}  // namespace pk::aws
