#include "aws/credentials_chain.h"

#include "aws/container_credentials_provider.h"
#include "aws/environment_credentials_provider.h"
#include "aws/imds_credentials_provider.h"
#include "aws/profile_credentials_provider.h"
#include "aws/web_identity_credentials_provider.h"
#include "common/log.h"

namespace pk::aws {

CredentialsChain::CredentialsChain(std::vector<std::shared_ptr<CredentialsProvider>> links, std::string name)
    : links_(std::move(links)), name_(std::move(name)) {}

void CredentialsChain::invalidate() {
  for (auto& link : links_) link->invalidate();
}

namespace {

// The code the chain fails with: the first retryable one among the links' failures (a metadata endpoint that was
// down, throttled or slow may answer next time, so the caller retries), else kUnauthenticated (nothing is
// configured anywhere: retrying cannot help).
ErrorCode chain_failure_code(const std::vector<ErrorCode>& failures) {
  for (const ErrorCode code : failures) {
    if (is_retryable(code)) return code;
  }
  return ErrorCode::kUnauthenticated;
}

}  // namespace

boost::asio::awaitable<Result<Credentials>> CredentialsChain::get() {
  if (links_.empty()) co_return make_error(ErrorCode::kUnauthenticated, name_ + ": no credential providers");
  std::string why;
  std::vector<ErrorCode> failures;
  const size_t first = last_good_.load(std::memory_order_relaxed) % links_.size();
  for (size_t n = 0; n < links_.size(); ++n) {
    // The last good link first, then the others in their order.
    const size_t i = n == 0 ? first : (n <= first ? n - 1 : n);
    auto getting = links_[i]->get();
    auto got = co_await std::move(getting);
    if (got.ok()) {
      if (last_good_.exchange(i, std::memory_order_relaxed) != i || n != 0) {
        logger("aws")->info("credentials from {} (access key {})", links_[i]->name(), got->access_key_id);
      }
      co_return got;
    }
    if (!why.empty()) why += "; ";
    why += got.error().message;
    failures.push_back(got.error().code);
  }
  co_return make_error(chain_failure_code(failures), name_ + ": no credentials found: " + why);
}

std::unique_ptr<CredentialsChain> make_default_chain(const CredentialsContext& context) {
  std::vector<std::shared_ptr<CredentialsProvider>> links;
  links.push_back(std::make_shared<EnvironmentCredentialsProvider>());
  links.push_back(std::make_shared<ProfileCredentialsProvider>(std::string(), context));
  links.push_back(std::make_shared<WebIdentityCredentialsProvider>(std::nullopt, context));
  links.push_back(std::make_shared<ContainerCredentialsProvider>(context));
  links.push_back(std::make_shared<ImdsCredentialsProvider>(context));
  return std::make_unique<CredentialsChain>(std::move(links), "default credentials chain");
}

}  // namespace pk::aws
