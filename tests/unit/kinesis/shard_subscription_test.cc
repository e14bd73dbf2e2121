// SubscribeToShard against a scripted HTTP/2 server, for what kinesis-mock never does: an initial-response
// frame, exception and error frames, corrupted or cut frames, non-200 answers, silence, a reader slower than
// the server. (tests/integration/kinesis covers the real thing.)
#include "kinesis/shard_subscription.h"

#include <thread>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "aws/static_credentials_provider.h"
#include "fake_http2_server.h"
#include "http/http1_client.h"
#include "support/async_test.h"

namespace pk::kinesis {
namespace {

using namespace std::chrono_literals;
using pk::testing::FakeHttp2Server;
using pk::testing::H2Reply;
using pk::testing::H2Request;
using testing::run_coroutine;

std::string frame(std::vector<aws::EventStreamHeader> headers, std::string payload) {
  auto encoded = aws::encode_event_stream_message(aws::EventStreamMessage{std::move(headers), std::move(payload)});
  EXPECT_TRUE(encoded.ok());
  return encoded.ok() ? *encoded : std::string();
}

std::string event(std::string_view continuation, std::string_view records = "[]") {
  return frame({{":message-type", std::string("event")},
                {":event-type", std::string("SubscribeToShardEvent")},
                {":content-type", std::string("application/json")}},
               fmt::format(R"({{"ContinuationSequenceNumber":"{}","MillisBehindLatest":0,"Records":{}}})", continuation,
                           records));
}

std::string initial_response() {
  return frame({{":message-type", std::string("event")}, {":event-type", std::string("initial-response")}}, "{}");
}

std::string exception(std::string_view type, std::string_view message) {
  return frame({{":message-type", std::string("exception")},
                {":exception-type", std::string(type)},
                {":content-type", std::string("application/json")}},
               fmt::format(R"({{"message":"{}"}})", message));
}

H2Reply event_stream(std::string body, bool end = true) {
  H2Reply reply = H2Reply::text(std::move(body));
  reply.headers.clear();
  reply.header("content-type", "application/vnd.amazon.eventstream");
  if (!end) reply.keep_open();
  return reply;
}

// A JsonClient for signing only: its HTTP/1.1 pool points at the fake server but is never used.
struct Subscriber {
  explicit Subscriber(const FakeHttp2Server& server) {
    endpoint.url = *http::Url::parse(server.url());
    endpoint.signing_region = "us-east-1";
    endpoint.signing_name = "kinesis";
    auto http = http::Http1Client::create(testing::coroutine_loop().get_executor(), endpoint.url, {});
    json = std::make_unique<aws::JsonClient>(
        aws::JsonService::kinesis(endpoint),
        std::make_shared<aws::StaticCredentialsProvider>(aws::Credentials{"AKIDEXAMPLE", "secret", "", std::nullopt}),
        *http);
    options.http.request_timeout = 5s;
    options.idle_timeout = 5s;
  }

  // Opens a subscription and pulls events until the end, an error or `max` events.
  struct Outcome {
    std::vector<SubscribeToShardEvent> events;
    std::optional<Error> error;
    bool ended = false;
  };
  Outcome pull(size_t max = 100) {
    return run_coroutine<Outcome>([&]() -> boost::asio::awaitable<Outcome> {
      Outcome out;
      const ConsumerArn consumer("arn:aws:kinesis:us-east-1:000000000000:stream/s/consumer/c:1");
      const ShardId shard("shardId-000000000000");
      const StartingPosition position = StartingPosition::trim_horizon();
      auto opening = ShardSubscription::open(*json, options, consumer, shard, position);
      auto subscription = co_await std::move(opening);
      if (!subscription.ok()) {
        out.error = std::move(subscription).error();
        co_return out;
      }
      while (out.events.size() < max) {
        auto pulling = (*subscription)->next();
        auto next = co_await std::move(pulling);
        if (!next.ok()) {
          out.error = std::move(next).error();
          break;
        }
        if (!next->has_value()) {
          out.ended = true;
          break;
        }
        out.events.push_back(std::move(**next));
      }
      co_return out;
    });
  }

  aws::ServiceEndpoint endpoint;
  std::unique_ptr<aws::JsonClient> json;
  SubscriptionOptions options;
};

TEST(ShardSubscription, SendsASignedRequestAndDeliversEventsSkippingTheInitialResponse) {
  FakeHttp2Server server;
  server.handle([](const H2Request&) {
    return event_stream(initial_response() + event("1") +
                        event("2", R"([{"SequenceNumber":"2","PartitionKey":"k","Data":"aGk=",)"
                                   R"("ApproximateArrivalTimestamp":1.7E9}])"));
  });
  Subscriber subscriber(server);
  auto out = subscriber.pull();
  ASSERT_FALSE(out.error) << out.error->to_string();
  EXPECT_TRUE(out.ended);
  ASSERT_EQ(out.events.size(), 2u);
  EXPECT_EQ(out.events[0].continuation_sequence_number->str(), "1");
  EXPECT_TRUE(out.events[0].records.empty());
  ASSERT_EQ(out.events[1].records.size(), 1u);
  EXPECT_EQ(out.events[1].records[0].data, "hi");

  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  const H2Request& r = requests[0];
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.header("x-amz-target"), "Kinesis_20131202.SubscribeToShard");
  EXPECT_EQ(r.header("content-type"), "application/x-amz-json-1.1");
  EXPECT_EQ(r.header("authorization").substr(0, 40), "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/");
  EXPECT_EQ(r.body, R"({"ConsumerARN":"arn:aws:kinesis:us-east-1:000000000000:stream/s/consumer/c:1",)"
                    R"("ShardId":"shardId-000000000000","StartingPosition":{"Type":"TRIM_HORIZON"}})");
}

TEST(ShardSubscription, ExceptionFrameInsideA200BecomesAnErrorWithItsType) {
  FakeHttp2Server server;
  server.handle([](const H2Request&) {
    return event_stream(event("5") + exception("ResourceInUseException", "Another active subscription exists"));
  });
  Subscriber subscriber(server);
  auto out = subscriber.pull();
  ASSERT_EQ(out.events.size(), 1u);  // what came before the exception is delivered first
  ASSERT_TRUE(out.error);
  EXPECT_EQ(out.error->type, "ResourceInUseException");
  EXPECT_EQ(
      out.error->message,
      "Kinesis SubscribeToShard shardId-000000000000: ResourceInUseException: Another active subscription exists");
}

TEST(ShardSubscription, ErrorAnswerBeforeTheStreamIsTheAwsError) {
  FakeHttp2Server server;
  server.handle([](const H2Request&) {
    return H2Reply::text(R"({"__type":"ResourceNotFoundException","message":"Consumer c not found"})", 400)
        .header("content-type", "application/x-amz-json-1.1");
  });
  Subscriber subscriber(server);
  auto out = subscriber.pull();
  ASSERT_TRUE(out.error);
  EXPECT_EQ(out.error->type, "ResourceNotFoundException");
  EXPECT_EQ(out.error->code, ErrorCode::kNotFound);
  EXPECT_NE(out.error->message.find("Consumer c not found"), std::string::npos) << out.error->message;
}

TEST(ShardSubscription, WrongContentTypeIsRefused) {
  FakeHttp2Server server;
  server.handle([](const H2Request&) {
    H2Reply reply = H2Reply::text("{}");
    reply.headers = {{"content-type", "application/json"}};
    return reply;
  });
  Subscriber subscriber(server);
  auto out = subscriber.pull();
  ASSERT_TRUE(out.error);
  EXPECT_EQ(out.error->code, ErrorCode::kMalformedInput);
  EXPECT_NE(out.error->message.find("application/json"), std::string::npos) << out.error->message;
}

TEST(ShardSubscription, CorruptedFrameFailsAfterTheGoodOnes) {
  FakeHttp2Server server;
  std::string bad = event("3");
  bad[bad.size() - 1] ^= 0x01;  // message CRC
  server.handle([&](const H2Request&) { return event_stream(event("1") + event("2") + bad); });
  Subscriber subscriber(server);
  auto out = subscriber.pull();
  EXPECT_EQ(out.events.size(), 2u);
  ASSERT_TRUE(out.error);
  EXPECT_EQ(out.error->code, ErrorCode::kMalformedInput);
  EXPECT_NE(out.error->message.find("Kinesis SubscribeToShard shardId-000000000000"), std::string::npos);
}

TEST(ShardSubscription, StreamCutInsideAFrameIsAnError) {
  FakeHttp2Server server;
  const std::string whole = event("7");
  server.handle([&](const H2Request&) { return event_stream(event("6") + whole.substr(0, whole.size() / 2)); });
  Subscriber subscriber(server);
  auto out = subscriber.pull();
  EXPECT_EQ(out.events.size(), 1u);
  ASSERT_TRUE(out.error);
  EXPECT_NE(out.error->message.find("stream ended inside an event-stream frame"), std::string::npos)
      << out.error->message;
}

TEST(ShardSubscription, BadEventPayloadNamesTheField) {
  FakeHttp2Server server;
  server.handle([](const H2Request&) {
    return event_stream(event("1", R"([{"SequenceNumber":"1","PartitionKey":"k","Data":"*"}])"));
  });
  Subscriber subscriber(server);
  auto out = subscriber.pull();
  ASSERT_TRUE(out.error);
  EXPECT_NE(out.error->message.find("SubscribeToShardEvent: Records[0]: Data: base64"), std::string::npos)
      << out.error->message;
}

TEST(ShardSubscription, SilenceTimesOut) {
  FakeHttp2Server server;
  server.handle([](const H2Request&) { return event_stream(event("1"), /*end=*/false); });
  Subscriber subscriber(server);
  subscriber.options.idle_timeout = 300ms;
  const auto start = std::chrono::steady_clock::now();
  auto out = subscriber.pull();
  EXPECT_EQ(out.events.size(), 1u);
  ASSERT_TRUE(out.error);
  EXPECT_EQ(out.error->code, ErrorCode::kTimeout) << out.error->to_string();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 10s);  // a bound against hanging, not a performance figure
  EXPECT_TRUE(server.wait_for_reset(1, 5s));                 // the stream was cancelled
}

TEST(ShardSubscription, TheServerCannotRunAheadOfASlowReader) {
  FakeHttp2Server server;
  server.handle([](const H2Request&) { return event_stream(event("0"), /*end=*/false); });
  Subscriber subscriber(server);
  subscriber.options.http.http2_stream_window = 64 * 1024;
  // Open, read one event, then stop reading while the server pushes 1 MiB of events.
  const std::string records =
      "[" + std::string(R"({"SequenceNumber":"1","PartitionKey":"k","Data":")") + std::string(8000, 'A') + "\"}]";
  std::unique_ptr<ShardSubscription> kept;
  auto opened = run_coroutine<Status>([&]() -> boost::asio::awaitable<Status> {
    auto opening = ShardSubscription::open(*subscriber.json, subscriber.options, ConsumerArn("c"),
                                           ShardId("shardId-000000000000"), StartingPosition::latest());
    auto subscription = co_await std::move(opening);
    if (!subscription.ok()) co_return std::move(subscription).error();
    kept = std::move(*subscription);
    auto pulling = kept->next();
    auto first = co_await std::move(pulling);
    if (!first.ok()) co_return std::move(first).error();
    co_return ok_status();
  });
  ASSERT_TRUE(opened.ok()) << opened.error().to_string();
  std::string burst;
  for (int i = 0; i < 128; ++i) burst += event(std::to_string(i + 1), records);
  server.send_data(1, burst);
  std::this_thread::sleep_for(300ms);
  const size_t sent_while_idle = server.bytes_sent(1);
  EXPECT_LE(sent_while_idle, event("0").size() + 2 * 64 * 1024) << "flow control did not hold the server back";
  EXPECT_LT(sent_while_idle, event("0").size() + burst.size());
  // Reading lets the rest through.
  auto drained = run_coroutine<Result<size_t>>([&]() -> boost::asio::awaitable<Result<size_t>> {
    size_t n = 0;
    while (n < 128) {
      auto pulling = kept->next();
      auto next = co_await std::move(pulling);
      if (!next.ok()) co_return std::move(next).error();
      if (!next->has_value()) break;
      ++n;
    }
    co_return n;
  });
  ASSERT_TRUE(drained.ok()) << drained.error().to_string();
  EXPECT_EQ(*drained, 128u);
  EXPECT_EQ(server.bytes_sent(1), event("0").size() + burst.size());
  kept.reset();
}

}  // namespace
}  // namespace pk::kinesis
