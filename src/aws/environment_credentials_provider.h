#pragma once
// Credentials from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and optional AWS_SESSION_TOKEN (the first link of the
// default chain), read at each get(). Stateless: thread-safe.

#include "aws/credentials.h"

namespace pk::aws {

class EnvironmentCredentialsProvider final : public CredentialsProvider {
 public:
  boost::asio::awaitable<Result<Credentials>> get() override;
  std::string name() const override { return "environment"; }

  // The same without a coroutine (the profile provider's credential_source = Environment uses it too).
  static Result<Credentials> read();
};

}  // namespace pk::aws
