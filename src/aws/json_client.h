#pragma once
// The AWS JSON protocol (Kinesis: x-amz-json-1.1, target "Kinesis_20131202"; DynamoDB: x-amz-json-1.0,
// "DynamoDB_20120810"): every operation is
//   POST <endpoint path>   Content-Type: application/x-amz-json-<version>   X-Amz-Target: <prefix>.<Operation>
// with a JSON body, signed with SigV4. This is the layer the Kinesis and DynamoDB clients build on:
//
//   JsonClient kinesis(JsonService::kinesis(endpoint), credentials, http_client, RetryPolicy(options));
//   auto calling = kinesis.call("ListShards", std::move(body));   // GCC 12 rule: awaitable in its own statement
//   Result<std::string> response = co_await std::move(calling);   // the 2xx body, or an Error:
//
// Errors carry code and `type` from the AWS error (`type` = "ExpiredIteratorException", ... without prefix;
// see aws_error.h for the classes and codes); throttling and transient errors were already retried per the
// RetryPolicy; other classes (ResourceInUse, ExpiredIterator, ExpiredNextToken, fatal) come back at once for the
// caller to act on. Messages name the call ("Kinesis ListShards: ...") and never hold secrets.
//
// For SubscribeToShard (HTTP/2, streamed response) use signed_request(): the same request, signed, not sent.
//
// Thread-safe and stateless per call: one JsonClient may serve callers on every loop.

#include <memory>
#include <string>
#include <string_view>
#include <type_traits>

#include <boost/asio/awaitable.hpp>

#include "aws/aws_call.h"
#include "aws/credentials.h"
#include "aws/endpoints.h"
#include "aws/retry_policy.h"
#include "common/clock.h"
#include "common/result.h"
#include "http/http1_client.h"
#include "http/types.h"

namespace pk::aws {

struct JsonService {
  ServiceEndpoint endpoint;   // URL, signing region and signing name
  std::string target_prefix;  // "Kinesis_20131202"
  std::string json_version;   // "1.1" or "1.0"
  std::string display_name;   // "Kinesis": prefixes error messages

  static JsonService kinesis(ServiceEndpoint endpoint) {
    return {std::move(endpoint), "Kinesis_20131202", "1.1", "Kinesis"};
  }
  static JsonService dynamodb(ServiceEndpoint endpoint) {
    return {std::move(endpoint), "DynamoDB_20120810", "1.0", "DynamoDB"};
  }
};

// The unsigned request for `operation` (no Host yet: AwsCall / signed_request add it).
http::Request make_json_request(const JsonService& service, std::string_view operation, std::string body);

class JsonClient {
 public:
  JsonClient(JsonService service, std::shared_ptr<CredentialsProvider> credentials,
             std::shared_ptr<http::Http1Client> http, RetryPolicy retry = RetryPolicy(),
             const Clock& clock = SystemClock::instance());

  // A client over an HTTP/1.1 pool of its own to the service's endpoint (how the Kinesis and DynamoDB clients
  // are made); fails when the endpoint URL or the HTTP options are invalid.
  static Result<std::shared_ptr<JsonClient>> over_http1(boost::asio::any_io_executor executor, JsonService service,
                                                        std::shared_ptr<CredentialsProvider> credentials,
                                                        const http::ClientOptions& http, const RetryOptions& retry);

  // Calls `operation` with a JSON `body`; returns the response body (2xx) or the AWS error.
  boost::asio::awaitable<Result<std::string>> call(std::string_view operation, std::string body) const;
  // The same with the body straight from a request builder: a builder's error comes back unsent.
  boost::asio::awaitable<Result<std::string>> call(std::string_view operation, Result<std::string> body) const;
  // call(), then `parse` (std::string&& -> Result<T> or Status) on the 2xx body: what every API method of the
  // Kinesis and DynamoDB clients does. An error of the builder or the call comes back as it is. `operation` must
  // outlive the call (the clients pass string literals).
  template <typename Parse>
  auto call_parsed(std::string_view operation, Result<std::string> body, Parse parse) const
      -> boost::asio::awaitable<std::invoke_result_t<Parse, std::string&&>> {
    auto calling = call(operation, std::move(body));
    auto response = co_await std::move(calling);
    if (!response.ok()) co_return std::move(response).error();
    co_return parse(std::move(*response));
  }

  // The request call() would send first (Host, X-Amz-Date, Authorization, ...), signed with the current
  // credentials, for sending over another transport (HTTP/2 SubscribeToShard).
  boost::asio::awaitable<Result<http::Request>> signed_request(std::string_view operation, std::string body) const;

  const JsonService& service() const { return service_; }
  const RetryPolicy& retry_policy() const { return call_.retry_policy(); }

 private:
  JsonService service_;
  AwsCall call_;
};

}  // namespace pk::aws
