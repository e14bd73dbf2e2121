#pragma once
// AWS credentials and the provider interface. One provider per file (static, environment, profile,
// process, web identity, container, IMDS, STS assume-role), composed by a chain and a cache.
// Secrets never appear in logs or error messages: print `access_key_id` at most.

#include <chrono>
#include <optional>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "common/result.h"

namespace pk::aws {

struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;                                        // empty for long-term keys
  std::optional<std::chrono::system_clock::time_point> expiration;  // none: valid until replaced

  bool empty() const { return access_key_id.empty() || secret_access_key.empty(); }
};

class CredentialsProvider {
 public:
  virtual ~CredentialsProvider() = default;
  // Current credentials; a provider with expiring credentials refreshes before expiry.
  virtual boost::asio::awaitable<Result<Credentials>> get() = 0;
  // For error messages and logs: "environment", "profile default", "imds", ...
  virtual std::string name() const = 0;
  // The service rejected the credentials last returned as expired: providers that cache drop them so that the
  // next get() fetches new ones. Providers without a cache ignore it.
  virtual void invalidate() {}
};

}  // namespace pk::aws
