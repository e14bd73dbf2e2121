#pragma once
// An StsClient made on first use (its HTTP client lives on context.executor, else on the first caller's loop;
// that loop must outlive this), for the providers that call STS. Thread-safe; the client, once made, is read-only.

#include <memory>
#include <mutex>

#include <boost/asio/awaitable.hpp>

#include "aws/credentials_context.h"
#include "aws/sts_client.h"

namespace pk::aws {

class LazyStsClient {
 public:
  // `base` signs AssumeRole; null for AssumeRoleWithWebIdentity only.
  LazyStsClient(std::shared_ptr<CredentialsProvider> base, const CredentialsContext& context)
      : base_(std::move(base)), context_(context) {}

  boost::asio::awaitable<Result<const StsClient*>> get();

 private:
  std::shared_ptr<CredentialsProvider> base_;
  const CredentialsContext& context_;  // owned by the provider that owns this
  std::mutex mutex_;
  std::unique_ptr<StsClient> sts_;  // guarded by mutex_
};

}  // namespace pk::aws
