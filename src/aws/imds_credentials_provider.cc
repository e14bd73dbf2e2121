#include "aws/imds_credentials_provider.h"

#include <cstdlib>

#include <fmt/format.h>

#include "aws/credentials_json.h"
#include "aws/endpoints.h"
#include "aws/env_var.h"

namespace pk::aws {
namespace {

constexpr std::string_view kCredentialsPath = "/latest/meta-data/iam/security-credentials/";
constexpr std::chrono::seconds kTokenRefreshEarly{60};

Error status_error(std::string_view step, int status) {
  const ErrorCode code = status == 401 || status == 403 ? ErrorCode::kUnauthenticated
                         : status == 404                ? ErrorCode::kNotFound
                                                        : ErrorCode::kUnavailable;
  return make_error(code, fmt::format("instance metadata: {}: HTTP {}", step, status));
}

}  // namespace

ImdsCredentialsProvider::ImdsCredentialsProvider(const CredentialsContext& context)
    : context_(context), http_(context.metadata_http_options(/*with_tls=*/false), context.executor) {}

bool ImdsCredentialsProvider::disabled() {
  std::string v = env_var("AWS_EC2_METADATA_DISABLED");
  for (auto& c : v) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return v == "true";
}

boost::asio::awaitable<Result<std::string>> ImdsCredentialsProvider::token(
    const std::shared_ptr<http::Http1Client>& client) {
  {
    std::lock_guard lock(mutex_);
    if (token_ && context_.clock->steady_now() < token_->expires) co_return token_->value;
  }
  http::Request request;
  request.method = "PUT";
  request.target = "/latest/api/token";
  request.headers.push_back({"x-aws-ec2-metadata-token-ttl-seconds", std::to_string(kTokenTtl.count())});
  auto sending = client->send(request);
  auto response = co_await std::move(sending);
  if (!response.ok()) co_return response.error().with_context("instance metadata: token");
  if (response->status != 200) co_return status_error("PUT /latest/api/token", response->status);
  if (response->body.empty()) co_return make_error(ErrorCode::kMalformedInput, "instance metadata: empty token");
  std::lock_guard lock(mutex_);
  token_ = Token{response->body, context_.clock->steady_now() + kTokenTtl - kTokenRefreshEarly};
  co_return token_->value;
}

boost::asio::awaitable<Result<Credentials>> ImdsCredentialsProvider::fetch(std::shared_ptr<http::Http1Client> client,
                                                                           bool& unauthorized) {
  auto getting_token = token(client);
  auto tok = co_await std::move(getting_token);
  if (!tok.ok()) co_return std::move(tok).error();

  http::Request request;
  request.method = "GET";
  request.target = std::string(kCredentialsPath);
  request.headers.push_back({"x-aws-ec2-metadata-token", *tok});
  auto listing = client->send(request);
  auto roles = co_await std::move(listing);
  if (!roles.ok()) co_return roles.error().with_context("instance metadata: role");
  if (roles->status == 401) {
    unauthorized = true;
    co_return status_error("role name", 401);
  }
  if (roles->status != 200) co_return status_error("role name (is an instance profile attached?)", roles->status);
  std::string role = roles->body.substr(0, roles->body.find_first_of("\r\n"));
  while (!role.empty() && role.back() == ' ') role.pop_back();
  if (role.empty() || role.find('/') != std::string::npos) {
    co_return make_error(ErrorCode::kNotFound, "instance metadata: no IAM role attached to this instance");
  }

  request.target = std::string(kCredentialsPath) + role;
  auto fetching = client->send(request);
  auto creds = co_await std::move(fetching);
  if (!creds.ok()) co_return creds.error().with_context("instance metadata: credentials");
  if (creds->status == 401) {
    unauthorized = true;
    co_return status_error("credentials", 401);
  }
  if (creds->status != 200) co_return status_error(fmt::format("credentials of role {}", role), creds->status);
  co_return parse_metadata_credentials(creds->body, "instance metadata");
}

boost::asio::awaitable<Result<Credentials>> ImdsCredentialsProvider::get() {
  if (disabled()) {
    co_return make_error(ErrorCode::kUnauthenticated, "instance metadata: disabled by AWS_EC2_METADATA_DISABLED");
  }
  std::string endpoint = env_var("AWS_EC2_METADATA_SERVICE_ENDPOINT");
  if (endpoint.empty()) endpoint = context_.imds_default_endpoint;
  auto url = parse_endpoint_url(endpoint);
  if (!url.ok()) co_return url.error().with_context("AWS_EC2_METADATA_SERVICE_ENDPOINT");
  auto making = http_.client_for(*url);
  auto client = co_await std::move(making);
  if (!client.ok()) co_return std::move(client).error();

  bool unauthorized = false;
  auto first = fetch(*client, unauthorized);
  auto result = co_await std::move(first);
  if (result.ok() || !unauthorized) co_return result;
  {
    std::lock_guard lock(mutex_);  // the token expired before we thought: get a new one, once
    token_.reset();
  }
  unauthorized = false;
  auto second = fetch(*client, unauthorized);
  co_return co_await std::move(second);
}

}  // namespace pk::aws
