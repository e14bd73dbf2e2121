#pragma once
// Temporary credentials of an IAM role, from STS AssumeRole signed with base credentials (the connector's
// STSAssumeRoleProviderPlugin, and profiles with role_arn). Wrap it in the cache: each get() is an STS call.
// The STS client is made on first use; get() may be called from any loop.

#include <memory>
#include <optional>

#include "aws/credentials.h"
#include "aws/credentials_context.h"
#include "aws/lazy_sts_client.h"
#include "aws/sts_client.h"

namespace pk::aws {

class StsAssumeRoleCredentialsProvider final : public CredentialsProvider {
 public:
  // An empty role_session_name gets "pulsar-kinesis-<epoch ms>" at each call.
  StsAssumeRoleCredentialsProvider(std::shared_ptr<CredentialsProvider> base, AssumeRoleRequest request,
                                   const CredentialsContext& context);

  boost::asio::awaitable<Result<Credentials>> get() override;
  std::string name() const override;
  void invalidate() override { base_->invalidate(); }

 private:
  std::shared_ptr<CredentialsProvider> base_;
  AssumeRoleRequest request_;
  CredentialsContext context_;
  LazyStsClient sts_;
};

}  // namespace pk::aws
