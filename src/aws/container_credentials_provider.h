#pragma once
// ECS task roles and EKS pod identity: credentials from the container credentials endpoint.
//   AWS_CONTAINER_CREDENTIALS_RELATIVE_URI -> http://169.254.170.2<uri>
//   AWS_CONTAINER_CREDENTIALS_FULL_URI     -> that URL (http only to loopback or the ECS/EKS link-local hosts)
//   Authorization header from the file AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE (re-read each time: it rotates),
//   else AWS_CONTAINER_AUTHORIZATION_TOKEN.
// Answer: {"AccessKeyId", "SecretAccessKey", "Token", "Expiration"}. Variables are read at each get().
// get() may be called from any loop (wrap in the cache to avoid a request per call).

#include "aws/credentials.h"
#include "aws/credentials_context.h"
#include "aws/lazy_http_client.h"

namespace pk::aws {

class ContainerCredentialsProvider final : public CredentialsProvider {
 public:
  explicit ContainerCredentialsProvider(const CredentialsContext& context);

  boost::asio::awaitable<Result<Credentials>> get() override;
  std::string name() const override { return "container endpoint"; }

  // Whether the environment names a container endpoint (the default chain skips this link otherwise).
  static bool configured();
  // The endpoint URL from the environment (kUnauthenticated when not configured, kInvalidArgument when refused).
  static Result<http::Url> endpoint_url(const std::string& relative_base);

 private:
  CredentialsContext context_;
  LazyHttpClient http_;
};

}  // namespace pk::aws
