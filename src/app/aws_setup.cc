#include "app/aws_setup.h"

#include "aws/credentials_factory.h"

namespace pk::app {

Result<std::shared_ptr<aws::CredentialsProvider>> credentials_provider(const config::AwsSettings& aws,
                                                                       const CredentialsSetup& setup) {
  aws::CredentialsContext context;
  context.executor = setup.executor;
  context.blocking = setup.blocking;
  context.http = setup.http;
  context.sts = aws::EndpointConfig{"sts", aws.region, setup.sts_endpoint, setup.sts_port};
  context.refresh_check_interval = setup.refresh_check_interval;
  auto provider =
      aws::make_credentials_provider(aws.credential_plugin_name, aws.credential_plugin_param.value, context);
  if (!provider.ok()) return provider.error().with_context("configs.awsCredentialPluginParam");
  return std::shared_ptr<aws::CredentialsProvider>(std::move(*provider));
}

Result<aws::ServiceEndpoint> service_endpoint(std::string service, const config::AwsSettings& aws,
                                              const std::string& endpoint, std::optional<int64_t> port,
                                              std::string_view key) {
  std::optional<uint32_t> p;
  if (port) p = static_cast<uint32_t>(*port);
  auto resolved = aws::resolve_endpoint({std::move(service), aws.region, endpoint, p});
  if (!resolved.ok()) return resolved.error().with_context(std::string("configs.") + std::string(key));
  return resolved;
}

}  // namespace pk::app
