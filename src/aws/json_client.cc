#include "aws/json_client.h"

#include <fmt/format.h>

namespace pk::aws {

http::Request make_json_request(const JsonService& service, std::string_view operation, std::string body) {
  http::Request request;
  request.method = "POST";
  request.target = service.endpoint.url.path.empty() ? std::string("/") : service.endpoint.url.path;
  request.headers.reserve(6);
  request.headers.push_back({"Content-Type", "application/x-amz-json-" + service.json_version});
  request.headers.push_back({"X-Amz-Target", fmt::format("{}.{}", service.target_prefix, operation)});
  request.body = std::move(body);
  return request;
}

JsonClient::JsonClient(JsonService service, std::shared_ptr<CredentialsProvider> credentials,
                       std::shared_ptr<http::Http1Client> http, RetryPolicy retry, const Clock& clock)
    : service_(std::move(service)),
      call_(service_.endpoint, std::move(credentials), std::move(http), std::move(retry), clock) {}

Result<std::shared_ptr<JsonClient>> JsonClient::over_http1(boost::asio::any_io_executor executor, JsonService service,
                                                           std::shared_ptr<CredentialsProvider> credentials,
                                                           const http::ClientOptions& http, const RetryOptions& retry) {
  PK_ASSIGN_OR_RETURN(auto pool, http::Http1Client::create(std::move(executor), service.endpoint.url, http));
  return std::make_shared<JsonClient>(std::move(service), std::move(credentials), std::move(pool), RetryPolicy(retry));
}

boost::asio::awaitable<Result<std::string>> JsonClient::call(std::string_view operation,
                                                             Result<std::string> body) const {
  if (!body.ok()) co_return std::move(body).error();
  auto calling = call(operation, std::move(*body));
  co_return co_await std::move(calling);
}

boost::asio::awaitable<Result<std::string>> JsonClient::call(std::string_view operation, std::string body) const {
  http::Request request = make_json_request(service_, operation, std::move(body));
  std::string what = fmt::format("{} {}", service_.display_name, operation);
  auto sending = call_.send(std::move(request), std::move(what));
  auto response = co_await std::move(sending);
  if (!response.ok()) co_return std::move(response).error();
  co_return std::move(response->body);
}

boost::asio::awaitable<Result<http::Request>> JsonClient::signed_request(std::string_view operation,
                                                                         std::string body) const {
  http::Request request = make_json_request(service_, operation, std::move(body));
  auto signing = call_.sign(std::move(request));
  co_return co_await std::move(signing);
}

}  // namespace pk::aws
