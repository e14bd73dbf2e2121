#include "aws/sts_assume_role_credentials_provider.h"

#include <fmt/format.h>

namespace pk::aws {

StsAssumeRoleCredentialsProvider::StsAssumeRoleCredentialsProvider(std::shared_ptr<CredentialsProvider> base,
                                                                   AssumeRoleRequest request,
                                                                   const CredentialsContext& context)
    : base_(std::move(base)), request_(std::move(request)), context_(context), sts_(base_, context_) {}

std::string StsAssumeRoleCredentialsProvider::name() const {
  return fmt::format("STS AssumeRole {} (base: {})", request_.role_arn, base_->name());
}

boost::asio::awaitable<Result<Credentials>> StsAssumeRoleCredentialsProvider::get() {
  auto getting = sts_.get();
  auto sts = co_await std::move(getting);
  if (!sts.ok()) co_return std::move(sts).error();
  AssumeRoleRequest request = request_;
  if (request.role_session_name.empty()) request.role_session_name = default_role_session_name(*context_.clock);
  auto assuming = (*sts)->assume_role(std::move(request));
  co_return co_await std::move(assuming);
}

}  // namespace pk::aws
