#pragma once
// Tries providers in order and returns the first credentials found; the provider that answered is tried first
// next time (its credentials are what this process runs with). When every link fails, the error lists each
// link and why ("environment: AWS_ACCESS_KEY_ID ... not set; profile default: ...") and carries the first
// retryable code among the links' (an IMDS or container endpoint that was down or slow: retry later), else
// kUnauthenticated (nothing configured: retrying cannot help).
// make_default_chain() builds the standard order: environment, shared profile files, web identity, container
// endpoint, EC2 instance metadata. Thread-safe.

#include <atomic>
#include <memory>
#include <vector>

#include "aws/credentials.h"
#include "aws/credentials_context.h"

namespace pk::aws {

class CredentialsChain final : public CredentialsProvider {
 public:
  explicit CredentialsChain(std::vector<std::shared_ptr<CredentialsProvider>> links, std::string name = "chain");

  boost::asio::awaitable<Result<Credentials>> get() override;
  std::string name() const override { return name_; }
  void invalidate() override;

 private:
  std::vector<std::shared_ptr<CredentialsProvider>> links_;
  std::string name_;
  std::atomic<size_t> last_good_{0};
};

// The default chain (not cached: wrap it in CachingCredentialsProvider).
std::unique_ptr<CredentialsChain> make_default_chain(const CredentialsContext& context);

}  // namespace pk::aws
