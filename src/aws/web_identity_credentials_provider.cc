#include "aws/web_identity_credentials_provider.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "aws/env_var.h"
#include "net/blocking.h"

namespace pk::aws {
namespace {

Result<std::string> read_token_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return make_error(ErrorCode::kUnauthenticated, fmt::format("web identity: cannot read the token file {}", path));
  }
  std::stringstream ss;
  ss << in.rdbuf();
  std::string token = ss.str();
  while (!token.empty() && (token.back() == '\n' || token.back() == '\r' || token.back() == ' ')) token.pop_back();
  if (token.empty()) {
    return make_error(ErrorCode::kUnauthenticated, fmt::format("web identity: the token file {} is empty", path));
  }
  return token;
}

}  // namespace

WebIdentityCredentialsProvider::WebIdentityCredentialsProvider(std::optional<WebIdentityConfig> config,
                                                               const CredentialsContext& context)
    : config_(std::move(config)), context_(context), sts_(nullptr, context_) {}

bool WebIdentityCredentialsProvider::configured_in_environment() {
  return !env_var("AWS_WEB_IDENTITY_TOKEN_FILE").empty() && !env_var("AWS_ROLE_ARN").empty();
}

boost::asio::awaitable<Result<Credentials>> WebIdentityCredentialsProvider::get() {
  WebIdentityConfig config;
  if (config_) {
    config = *config_;
  } else {
    config.token_file = env_var("AWS_WEB_IDENTITY_TOKEN_FILE");
    config.role_arn = env_var("AWS_ROLE_ARN");
    config.role_session_name = env_var("AWS_ROLE_SESSION_NAME");
  }
  if (config.token_file.empty()) {
    co_return make_error(ErrorCode::kUnauthenticated, "web identity: AWS_WEB_IDENTITY_TOKEN_FILE not set");
  }
  if (config.role_arn.empty()) co_return make_error(ErrorCode::kUnauthenticated, "web identity: AWS_ROLE_ARN not set");
  if (config.role_session_name.empty()) config.role_session_name = default_role_session_name(*context_.clock);

  std::function<Result<std::string>()> read = [path = config.token_file] { return read_token_file(path); };
  auto reading = net::run_blocking<std::string>(context_.blocking, std::move(read));
  auto token = co_await std::move(reading);
  if (!token.ok()) co_return std::move(token).error();
  auto getting = sts_.get();
  auto sts = co_await std::move(getting);
  if (!sts.ok()) co_return std::move(sts).error();
  WebIdentityRequest request{config.role_arn, config.role_session_name, std::move(*token), std::nullopt};
  auto assuming = (*sts)->assume_role_with_web_identity(std::move(request));
  co_return co_await std::move(assuming);
}

}  // namespace pk::aws
