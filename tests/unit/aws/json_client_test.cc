// JsonClient against a scripted local HTTP server: request shape and signing headers, retries of throttling and
// server errors, fatal errors returned at once, the retry budget, expired credentials, signed_request().
#include "aws/json_client.h"

#include <atomic>

#include <gtest/gtest.h>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/this_coro.hpp>

#include "aws/aws_error.h"
#include "fake_http_server.h"
#include "test_support.h"

namespace pk::aws {
namespace {

using namespace std::chrono_literals;
using pk::testing::FakeHttpServer;
using pk::testing::Reply;
using pk::testing::run_coroutine;

// Hands out fixed credentials and counts calls; after invalidate() it hands out the second set.
class CountingProvider final : public CredentialsProvider {
 public:
  boost::asio::awaitable<Result<Credentials>> get() override {
    ++gets;
    co_return invalidated.load() ? Credentials{"AKIDNEW", "new-secret", "new-token", std::nullopt}
                                 : Credentials{"AKIDOLD", "old-secret", "old-token", std::nullopt};
  }
  std::string name() const override { return "counting"; }
  void invalidate() override { invalidated = true; }
  std::atomic<int> gets{0};
  std::atomic<bool> invalidated{false};
};

struct Fixture {
  explicit Fixture(RetryOptions retry = RetryOptions{
                       .max_attempts = 3, .initial_delay = 1ms, .throttling_initial_delay = 2ms, .max_delay = 10ms}) {
    auto endpoint = resolve_endpoint({"kinesis", "eu-west-1", server.url(), std::nullopt});
    EXPECT_TRUE(endpoint.ok());
    service = JsonService::kinesis(*endpoint);
    retry_options = retry;
  }

  // Runs call() on a private loop with a client made on it.
  Result<std::string> call(std::string_view op, std::string body) {
    return run_coroutine<Result<std::string>>([&]() -> boost::asio::awaitable<Result<std::string>> {
      auto executor = co_await boost::asio::this_coro::executor;
      auto http = http::Http1Client::create(executor, service.endpoint.url, http::ClientOptions{});
      if (!http.ok()) co_return std::move(http).error();
      JsonClient client(service, creds, *http, RetryPolicy(retry_options));
      auto calling = client.call(op, std::move(body));
      co_return co_await std::move(calling);
    });
  }

  FakeHttpServer server;
  std::shared_ptr<CountingProvider> creds = std::make_shared<CountingProvider>();
  JsonService service;
  RetryOptions retry_options;
};

TEST(JsonClient, SendsASignedJsonRequest) {
  Fixture f;
  f.server.when("POST", "/").then_return(Reply::json(R"({"StreamNames":[]})"));
  auto r = f.call("ListStreams", "{}");
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(*r, R"({"StreamNames":[]})");
  ASSERT_EQ(f.server.request_count(), 1u);
  const auto req = f.server.requests().at(0);
  EXPECT_EQ(req.method, "POST");
  EXPECT_EQ(req.target, "/");
  EXPECT_EQ(req.body, "{}");
  EXPECT_EQ(req.header("Content-Type"), "application/x-amz-json-1.1");
  EXPECT_EQ(req.header("X-Amz-Target"), "Kinesis_20131202.ListStreams");
  EXPECT_EQ(req.header("Host"), f.service.endpoint.url.authority());
  EXPECT_EQ(req.header("X-Amz-Security-Token"), "old-token");
  EXPECT_EQ(req.header("X-Amz-Date").size(), 16u);
  const std::string auth = req.header("Authorization");
  EXPECT_TRUE(auth.starts_with("AWS4-HMAC-SHA256 Credential=AKIDOLD/")) << auth;
  EXPECT_NE(auth.find("/eu-west-1/kinesis/aws4_request, SignedHeaders="), std::string::npos) << auth;
  EXPECT_NE(auth.find("content-type;host;x-amz-date;x-amz-security-token;x-amz-target"), std::string::npos) << auth;
  EXPECT_EQ(auth.find("old-secret"), std::string::npos);
}

TEST(JsonClient, RetriesServerErrorsAndThrottlingThenSucceeds) {
  Fixture f;
  f.server.when("POST", "/")
      .then_return(Reply::status(503, "busy"))
      .then_return(Reply::json(R"({"__type":"ProvisionedThroughputExceededException","message":"slow"})", 400))
      .then_return(Reply::json(R"({"ok":true})"));
  auto r = f.call("PutRecords", R"({"Records":[]})");
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(f.server.request_count(), 3u);
  const auto reqs = f.server.requests();
  EXPECT_NE(reqs[0].header("Authorization"), "");
  EXPECT_EQ(reqs[2].body, R"({"Records":[]})") << "every attempt resends the same body";
}

TEST(JsonClient, GivesUpAfterMaxAttemptsWithTheLastError) {
  Fixture f;
  f.server.when("POST", "/")
      .then_return(
          Reply::json(R"({"__type":"ProvisionedThroughputExceededException","message":"Rate exceeded"})", 400));
  auto r = f.call("PutRecords", "{}");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kThrottled);
  EXPECT_EQ(r.error().type, "ProvisionedThroughputExceededException");
  EXPECT_NE(r.error().message.find("Kinesis PutRecords"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("3 attempt"), std::string::npos) << r.error().message;
  EXPECT_EQ(f.server.request_count(), 3u);
}

TEST(JsonClient, ReturnsFatalAndSpecialErrorsAtOnce) {
  for (const auto& [type, code] : std::vector<std::pair<std::string, ErrorCode>>{
           {"com.amazonaws.kinesis#ValidationException", ErrorCode::kInvalidArgument},
           {"ResourceNotFoundException", ErrorCode::kNotFound},
           {"ExpiredIteratorException", ErrorCode::kInvalidArgument},
           {"ResourceInUseException", ErrorCode::kUnavailable}}) {
    Fixture f;
    f.server.when("POST", "/").then_return(Reply::json(R"({"__type":")" + type + R"(","message":"m"})", 400));
    auto r = f.call("GetRecords", "{}");
    ASSERT_FALSE(r.ok()) << type;
    EXPECT_EQ(r.error().code, code) << type;
    EXPECT_EQ(r.error().type, sanitize_error_type(type));
    EXPECT_EQ(f.server.request_count(), 1u) << type << " must not be retried by the client";
  }
}

TEST(JsonClient, RetriesADroppedConnection) {
  Fixture f;
  f.server.when("POST", "/").then_return(Reply::close_without_answer()).then_return(Reply::json("{}"));
  auto r = f.call("ListShards", "{}");
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_GE(f.server.request_count(), 2u);
}

TEST(JsonClient, ExpiredCredentialsAreRefreshedOnce) {
  Fixture f;
  f.server.when("POST", "/")
      .then_return(Reply::json(R"({"__type":"ExpiredTokenException","message":"The security token expired"})", 400))
      .then_return(Reply::json("{}"));
  auto r = f.call("ListShards", "{}");
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  ASSERT_EQ(f.server.request_count(), 2u);
  EXPECT_TRUE(f.creds->invalidated.load());
  EXPECT_EQ(f.server.requests().at(1).header("X-Amz-Security-Token"), "new-token");
  EXPECT_TRUE(f.server.requests().at(1).header("Authorization").starts_with("AWS4-HMAC-SHA256 Credential=AKIDNEW/"));

  Fixture again;  // a second expiry is returned, not looped on
  again.server.when("POST", "/").then_return(Reply::json(R"({"__type":"ExpiredTokenException"})", 400));
  auto r2 = again.call("ListShards", "{}");
  ASSERT_FALSE(r2.ok());
  EXPECT_EQ(r2.error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(again.server.request_count(), 2u);
}

TEST(JsonClient, RetryBudgetStopsRetriesWhenItRunsDry) {
  Fixture f(RetryOptions{.max_attempts = 5,
                         .initial_delay = 1ms,
                         .throttling_initial_delay = 1ms,
                         .max_delay = 2ms,
                         .budget_capacity = 10,
                         .retry_cost = 5});
  f.server.when("POST", "/").then_return(Reply::status(500));
  auto r = f.call("ListShards", "{}");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(f.server.request_count(), 3u) << "10 tokens pay for two retries";
  EXPECT_NE(r.error().message.find("retry budget exhausted"), std::string::npos) << r.error().message;
}

TEST(JsonClient, NoCredentialsIsAnErrorNamingTheCall) {
  Fixture f;
  class Failing final : public CredentialsProvider {
   public:
    boost::asio::awaitable<Result<Credentials>> get() override {
      co_return make_error(ErrorCode::kUnauthenticated, "environment: AWS_ACCESS_KEY_ID not set");
    }
    std::string name() const override { return "failing"; }
  };
  auto r = run_coroutine<Result<std::string>>([&]() -> boost::asio::awaitable<Result<std::string>> {
    auto executor = co_await boost::asio::this_coro::executor;
    auto http = http::Http1Client::create(executor, f.service.endpoint.url, http::ClientOptions{});
    JsonClient client(f.service, std::make_shared<Failing>(), *http);
    auto calling = client.call("ListShards", "{}");
    co_return co_await std::move(calling);
  });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kUnauthenticated);
  EXPECT_NE(r.error().message.find("Kinesis ListShards: no credentials"), std::string::npos) << r.error().message;
  EXPECT_EQ(f.server.request_count(), 0u);
}

TEST(JsonClient, SignedRequestIsReadyForAnotherTransport) {
  Fixture f;
  auto r = run_coroutine<Result<http::Request>>([&]() -> boost::asio::awaitable<Result<http::Request>> {
    auto executor = co_await boost::asio::this_coro::executor;
    auto http = http::Http1Client::create(executor, f.service.endpoint.url, http::ClientOptions{});
    JsonClient client(f.service, f.creds, *http);
    auto signing = client.signed_request("SubscribeToShard", R"({"ShardId":"shardId-000000000000"})");
    co_return co_await std::move(signing);
  });
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->method, "POST");
  EXPECT_EQ(r->target, "/");
  EXPECT_EQ(r->header("X-Amz-Target"), "Kinesis_20131202.SubscribeToShard");
  EXPECT_EQ(r->header("Host"), f.service.endpoint.url.authority());
  EXPECT_TRUE(std::string(r->header("Authorization")).starts_with("AWS4-HMAC-SHA256 "));
  EXPECT_EQ(f.server.request_count(), 0u) << "nothing is sent";
}

TEST(MakeJsonRequest, DynamoDbUsesJson10AndItsPrefix) {
  auto endpoint = resolve_endpoint({"dynamodb", "us-west-2", "", std::nullopt});
  ASSERT_TRUE(endpoint.ok());
  const auto req = make_json_request(JsonService::dynamodb(*endpoint), "GetItem", "{}");
  EXPECT_EQ(req.header("Content-Type"), "application/x-amz-json-1.0");
  EXPECT_EQ(req.header("X-Amz-Target"), "DynamoDB_20120810.GetItem");
}

}  // namespace
}  // namespace pk::aws
