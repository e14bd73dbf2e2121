#pragma once
// EC2 instance profile credentials through IMDSv2:
//   PUT  /latest/api/token                               x-aws-ec2-metadata-token-ttl-seconds: 21600 -> token
//   GET  /latest/meta-data/iam/security-credentials/     x-aws-ec2-metadata-token: <token>         -> role name
//   GET  /latest/meta-data/iam/security-credentials/<role>                                         -> credentials
// The session token is reused until shortly before its TTL ends (measured with the injected clock); a 401 means
// it expired early: it is fetched again once. AWS_EC2_METADATA_DISABLED=true turns the provider off;
// AWS_EC2_METADATA_SERVICE_ENDPOINT moves it (default http://169.254.169.254). Short timeouts: off EC2 the
// default chain must fall through quickly.
// get() may be called from any loop; the token cache has its own lock.

#include <chrono>
#include <mutex>
#include <optional>
#include <string>

#include "aws/credentials.h"
#include "aws/credentials_context.h"
#include "aws/lazy_http_client.h"

namespace pk::aws {

class ImdsCredentialsProvider final : public CredentialsProvider {
 public:
  static constexpr std::chrono::seconds kTokenTtl{21600};

  explicit ImdsCredentialsProvider(const CredentialsContext& context);

  boost::asio::awaitable<Result<Credentials>> get() override;
  std::string name() const override { return "instance metadata (IMDSv2)"; }

  static bool disabled();  // AWS_EC2_METADATA_DISABLED=true

 private:
  struct Token {
    std::string value;
    std::chrono::steady_clock::time_point expires;
  };
  // One pass: token (cached or new), role, credentials. `unauthorized` is set when IMDS answered 401.
  boost::asio::awaitable<Result<Credentials>> fetch(std::shared_ptr<http::Http1Client> client, bool& unauthorized);
  boost::asio::awaitable<Result<std::string>> token(const std::shared_ptr<http::Http1Client>& client);

  CredentialsContext context_;
  LazyHttpClient http_;
  std::mutex mutex_;
  std::optional<Token> token_;  // guarded by mutex_
};

}  // namespace pk::aws
