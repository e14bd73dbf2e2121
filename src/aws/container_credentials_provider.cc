#include "aws/container_credentials_provider.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "aws/credentials_json.h"
#include "aws/env_var.h"
#include "net/blocking.h"

namespace pk::aws {
namespace {

bool allowed_plain_host(const std::string& host) {
  return host == "localhost" || host == "::1" || host.starts_with("127.") || host == "169.254.170.2" ||
         host == "169.254.170.23" || host == "fd00:ec2::23";
}

// The token, from the file (read off the loop) or the variable; empty when neither is set.
Result<std::string> read_token() {
  const std::string file = env_var("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
  std::string token;
  if (!file.empty()) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
      return make_error(ErrorCode::kUnauthenticated,
                        fmt::format("container endpoint: cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE {}", file));
    }
    std::stringstream ss;
    ss << in.rdbuf();
    token = ss.str();
    while (!token.empty() && (token.back() == '\n' || token.back() == '\r' || token.back() == ' ')) token.pop_back();
  } else {
    token = env_var("AWS_CONTAINER_AUTHORIZATION_TOKEN");
  }
  if (token.find_first_of("\r\n") != std::string::npos) {
    return make_error(ErrorCode::kInvalidArgument, "container endpoint: the authorization token contains a line break");
  }
  return token;
}

}  // namespace

ContainerCredentialsProvider::ContainerCredentialsProvider(const CredentialsContext& context)
    : context_(context), http_(context.metadata_http_options(/*with_tls=*/true), context.executor) {}

bool ContainerCredentialsProvider::configured() {
  return !env_var("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI").empty() ||
         !env_var("AWS_CONTAINER_CREDENTIALS_FULL_URI").empty();
}

Result<http::Url> ContainerCredentialsProvider::endpoint_url(const std::string& relative_base) {
  const std::string relative = env_var("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
  if (!relative.empty()) {
    const std::string sep = relative.front() == '/' ? "" : "/";
    auto url = parse_endpoint_url(relative_base + sep + relative);
    if (!url.ok()) return url.error().with_context("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
    return url;
  }
  const std::string full = env_var("AWS_CONTAINER_CREDENTIALS_FULL_URI");
  if (full.empty()) {
    return make_error(ErrorCode::kUnauthenticated,
                      "container endpoint: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and _FULL_URI not set");
  }
  if (full.find("://") == std::string::npos) {
    return make_error(ErrorCode::kInvalidArgument, "AWS_CONTAINER_CREDENTIALS_FULL_URI must be an http(s):// URL");
  }
  auto url = parse_endpoint_url(full);
  if (!url.ok()) return url.error().with_context("AWS_CONTAINER_CREDENTIALS_FULL_URI");
  if (!url->is_tls() && !allowed_plain_host(url->host)) {
    return make_error(ErrorCode::kInvalidArgument,
                      fmt::format("AWS_CONTAINER_CREDENTIALS_FULL_URI: plain http is only allowed to loopback or the "
                                  "ECS/EKS endpoints, not {}",
                                  url->host));
  }
  return url;
}

boost::asio::awaitable<Result<Credentials>> ContainerCredentialsProvider::get() {
  PK_CO_ASSIGN_OR_RETURN(http::Url url, endpoint_url(context_.container_base_url));
  auto reading = net::run_blocking<std::string>(context_.blocking, &read_token);
  auto token = co_await std::move(reading);
  if (!token.ok()) co_return std::move(token).error();
  auto making = http_.client_for(url);
  auto client = co_await std::move(making);
  if (!client.ok()) co_return std::move(client).error();

  http::Request request;
  request.method = "GET";
  request.target = url.path.empty() ? std::string("/") : url.path;
  request.headers.push_back({"Accept", "application/json"});
  if (!token->empty()) request.headers.push_back({"Authorization", *token});
  auto sending = (*client)->send(request);
  auto response = co_await std::move(sending);
  if (!response.ok()) co_return response.error().with_context("container endpoint");
  if (response->status != 200) {
    co_return make_error(
        response->status == 401 || response->status == 403 ? ErrorCode::kUnauthenticated : ErrorCode::kUnavailable,
        fmt::format("container endpoint {}: HTTP {}", url.origin(), response->status));
  }
  co_return parse_metadata_credentials(response->body, "container endpoint");
}

}  // namespace pk::aws
