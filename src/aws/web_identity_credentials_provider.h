#pragma once
// Web identity federation (EKS IRSA and the like): reads the OIDC token file and exchanges it at STS
// (AssumeRoleWithWebIdentity, unsigned) for role credentials. From AWS_WEB_IDENTITY_TOKEN_FILE, AWS_ROLE_ARN and
// AWS_ROLE_SESSION_NAME (read at each get()), or from a profile (web_identity_token_file + role_arn).
// The token file is re-read each time (it rotates) off the event loop. Wrap it in the cache.

#include <memory>
#include <optional>
#include <string>

#include "aws/credentials.h"
#include "aws/credentials_context.h"
#include "aws/lazy_sts_client.h"

namespace pk::aws {

struct WebIdentityConfig {
  std::string token_file;
  std::string role_arn;
  std::string role_session_name;  // empty: AWS_ROLE_SESSION_NAME, else "pulsar-kinesis-<epoch ms>"
};

class WebIdentityCredentialsProvider final : public CredentialsProvider {
 public:
  // `config` nullopt: from the environment.
  WebIdentityCredentialsProvider(std::optional<WebIdentityConfig> config, const CredentialsContext& context);

  boost::asio::awaitable<Result<Credentials>> get() override;
  std::string name() const override { return "web identity"; }

  static bool configured_in_environment();  // AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN set

 private:
  std::optional<WebIdentityConfig> config_;
  CredentialsContext context_;
  LazyStsClient sts_;
};

}  // namespace pk::aws
