#include "aws/static_credentials_provider.h"

#include "aws/credentials_json.h"

namespace pk::aws {

Result<std::unique_ptr<StaticCredentialsProvider>> StaticCredentialsProvider::from_plugin_param(std::string_view json) {
  PK_ASSIGN_OR_RETURN(Credentials c, parse_static_plugin_param(json));
  return std::make_unique<StaticCredentialsProvider>(std::move(c), "awsCredentialPluginParam");
}

boost::asio::awaitable<Result<Credentials>> StaticCredentialsProvider::get() {
  co_return credentials_;
}

}  // namespace pk::aws
