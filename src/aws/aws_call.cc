#include "aws/aws_call.h"

#include <fmt/format.h>

#include "aws/aws_error.h"
#include "aws/sha256.h"
#include "common/log.h"
#include "net/timeout.h"

namespace pk::aws {

bool is_expired_credentials_error(const Error& error) {
  return error.type == "ExpiredToken" || error.type == "ExpiredTokenException" || error.type == "RequestExpired";
}

AwsCall::AwsCall(ServiceEndpoint endpoint, std::shared_ptr<CredentialsProvider> credentials,
                 std::shared_ptr<http::Http1Client> http, RetryPolicy retry, const Clock& clock)
    : endpoint_(std::move(endpoint)),
      credentials_(std::move(credentials)),
      http_(std::move(http)),
      retry_(std::move(retry)),
      signer_(clock) {
  signing_.region = endpoint_.signing_region;
  signing_.service = endpoint_.signing_name;
}

Status AwsCall::prepare(http::Request& request, const Credentials* credentials, const std::string& payload_hash) const {
  request.set_header("Host", endpoint_.url.authority());
  if (credentials == nullptr) return ok_status();
  auto signed_parts = signer_.sign_with_payload_hash(request, *credentials, signing_, payload_hash);
  if (!signed_parts.ok()) return std::move(signed_parts).error();
  return ok_status();
}

boost::asio::awaitable<Result<http::Request>> AwsCall::sign(http::Request request) const {
  const Credentials* creds = nullptr;
  Credentials current;
  if (credentials_) {
    auto getting = credentials_->get();
    auto got = co_await std::move(getting);
    if (!got.ok()) co_return std::move(got).error();
    current = std::move(*got);
    creds = &current;
  }
  const std::string hash = sha256_hex(request.body);
  PK_CO_TRY(prepare(request, creds, hash));
  co_return request;
}

boost::asio::awaitable<Result<http::Response>> AwsCall::send(http::Request request, std::string what) const {
  const std::string payload_hash = credentials_ ? sha256_hex(request.body) : std::string();
  auto attempt = retry_.start();
  bool refreshed_credentials = false;
  while (true) {
    Credentials current;
    const Credentials* creds = nullptr;
    if (credentials_) {
      auto getting = credentials_->get();
      auto got = co_await std::move(getting);
      if (!got.ok()) co_return got.error().with_context(fmt::format("{}: no credentials", what));
      current = std::move(*got);
      creds = &current;
    }
    PK_CO_TRY(prepare(request, creds, payload_hash));

    auto sending = http_->send(request);
    auto response = co_await std::move(sending);
    Error error;
    if (response.ok() && response->status >= 200 && response->status < 300) {
      attempt.on_success();
      co_return std::move(*response);
    }
    if (response.ok()) {
      error = aws_error_from_response(response->status, response->body, what, response->header("x-amzn-ErrorType"));
    } else {
      error = response.error().with_context(what);
    }

    if (credentials_ && !refreshed_credentials && is_expired_credentials_error(error)) {
      refreshed_credentials = true;
      logger("aws")->info("{}: credentials from {} expired ({}); fetching new ones", what, credentials_->name(),
                          error.type);
      credentials_->invalidate();
      continue;
    }
    auto delay = attempt.next_delay(error);
    if (!delay) {
      if (attempt.attempts() > 1 || attempt.why_not() == "retry budget exhausted") {
        error.message += fmt::format(" [after {} attempt(s); {}]", attempt.attempts(), attempt.why_not());
      }
      co_return error;
    }
    logger("aws")->debug("{}: {} ({}); retry {} in {} ms", what, error.message, to_string(classify_error(error)),
                         attempt.attempts(), delay->count());
    co_await net::sleep(*delay);
  }
}

}  // namespace pk::aws
