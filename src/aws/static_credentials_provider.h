#pragma once
// Fixed credentials: the connector's default (empty awsCredentialPluginName) with awsCredentialPluginParam
// {"accessKey": "...", "secretKey": "...", "sessionToken"?}, and profiles with keys in the files.
// Immutable after construction: thread-safe.

#include <memory>
#include <string>
#include <string_view>

#include "aws/credentials.h"

namespace pk::aws {

class StaticCredentialsProvider final : public CredentialsProvider {
 public:
  StaticCredentialsProvider(Credentials credentials, std::string name = "static")
      : credentials_(std::move(credentials)), name_(std::move(name)) {}

  // From the awsCredentialPluginParam JSON; errors name the missing key, never a value.
  static Result<std::unique_ptr<StaticCredentialsProvider>> from_plugin_param(std::string_view json);

  boost::asio::awaitable<Result<Credentials>> get() override;
  std::string name() const override { return name_; }

 private:
  Credentials credentials_;
  std::string name_;
};

}  // namespace pk::aws
