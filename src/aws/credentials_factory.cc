#include "aws/credentials_factory.h"

#include <fmt/format.h>

#include "aws/caching_credentials_provider.h"
#include "aws/credentials_chain.h"
#include "aws/json_reader.h"
#include "aws/static_credentials_provider.h"
#include "aws/sts_assume_role_credentials_provider.h"

namespace pk::aws {
namespace {

constexpr std::string_view kOldPackage = "org.apache.pulsar.io.kinesis.";
constexpr std::string_view kPackage = "org.apache.pulsar.io.aws.";

// The class name without its package, for either package; empty for anything else.
std::string_view plugin_class(std::string_view name) {
  if (name.starts_with(kPackage)) return name.substr(kPackage.size());
  if (name.starts_with(kOldPackage)) return name.substr(kOldPackage.size());
  return {};
}

CacheOptions cache_options(const CredentialsContext& context) {
  return CacheOptions{context.refresh_check_interval, context.refresh_margin};
}

Error param_error(std::string what) {
  return make_error(ErrorCode::kInvalidArgument,
                    fmt::format("awsCredentialPluginParam for STSAssumeRoleProviderPlugin: {}", what));
}

Result<std::unique_ptr<CredentialsProvider>> make_assume_role(std::string_view param,
                                                              const CredentialsContext& context) {
  auto parsed = json::FlatObject::parse(param, "awsCredentialPluginParam for STSAssumeRoleProviderPlugin");
  if (!parsed.ok()) return param_error("not a JSON object");
  const json::FlatObject& doc = *parsed;
  auto text = [&](const char* key) -> Result<std::string> {
    auto v = doc.string(key);
    if (!v.ok()) return param_error(fmt::format("\"{}\" must be a string", key));
    return v;
  };
  AssumeRoleRequest request;
  PK_ASSIGN_OR_RETURN(request.role_arn, text("roleArn"));
  PK_ASSIGN_OR_RETURN(request.role_session_name, text("roleSessionName"));
  PK_ASSIGN_OR_RETURN(request.external_id, text("externalId"));
  if (request.role_arn.empty()) return param_error("\"roleArn\" is missing");
  if (request.role_session_name.empty()) return param_error("\"roleSessionName\" is missing");
  auto duration = doc.integer("durationSeconds");
  if (!duration.ok()) return param_error("\"durationSeconds\" is not a number");
  if (*duration) {
    if (**duration < 900 || **duration > 43200) {
      return param_error(fmt::format("\"durationSeconds\" {} is outside 900-43200", **duration));
    }
    request.duration_seconds = static_cast<int>(**duration);
  }
  CredentialsContext sts_context = context;
  PK_ASSIGN_OR_RETURN(std::string endpoint, text("stsEndpoint"));
  PK_ASSIGN_OR_RETURN(std::string region, text("stsRegion"));
  if (!endpoint.empty()) sts_context.sts.endpoint = endpoint;
  if (!region.empty()) sts_context.sts.region = region;
  PK_TRY(sts_context.sts_endpoint());  // a bad endpoint fails now, at configuration time

  std::shared_ptr<CredentialsProvider> base =
      std::make_shared<CachingCredentialsProvider>(make_default_chain(context), cache_options(context), *context.clock);
  auto role = std::make_shared<StsAssumeRoleCredentialsProvider>(std::move(base), std::move(request), sts_context);
  return std::unique_ptr<CredentialsProvider>(
      std::make_unique<CachingCredentialsProvider>(std::move(role), cache_options(context), *context.clock));
}

}  // namespace

Result<std::unique_ptr<CredentialsProvider>> make_credentials_provider(std::string_view plugin_name,
                                                                       std::string_view plugin_param_json,
                                                                       const CredentialsContext& context) {
  while (!plugin_name.empty() && (plugin_name.front() == ' ' || plugin_name.front() == '\t'))
    plugin_name.remove_prefix(1);
  while (!plugin_name.empty() && (plugin_name.back() == ' ' || plugin_name.back() == '\t'))
    plugin_name.remove_suffix(1);
  if (plugin_name.empty()) {
    PK_ASSIGN_OR_RETURN(auto p, StaticCredentialsProvider::from_plugin_param(plugin_param_json));
    return std::unique_ptr<CredentialsProvider>(std::move(p));
  }
  const std::string_view cls = plugin_class(plugin_name);
  if (cls == "AwsDefaultProviderChainPlugin") {
    return std::unique_ptr<CredentialsProvider>(std::make_unique<CachingCredentialsProvider>(
        make_default_chain(context), cache_options(context), *context.clock));
  }
  if (cls == "STSAssumeRoleProviderPlugin") return make_assume_role(plugin_param_json, context);
  return make_error(ErrorCode::kInvalidArgument,
                    fmt::format("unknown awsCredentialPluginName '{}': use empty (static keys), {} or {} (or the "
                                "org.apache.pulsar.io.kinesis.* names)",
                                plugin_name, kDefaultChainPlugin, kStsAssumeRolePlugin));
}

}  // namespace pk::aws
