// The HTTP clients against a real, independent server: kinesis-mock (TLS port with HTTP/1.1 and h2 by ALPN,
// plain port with HTTP/1.1 and h2c). Unsigned but well-formed Kinesis JSON calls (kinesis-mock checks the
// shape of the SigV4 headers, not the signature), concurrent HTTP/2 streams, and a real SubscribeToShard
// whose event-stream bytes arrive over HTTP/2.

#include <chrono>
#include <optional>
#include <random>
#include <string>

#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "common/base64.h"
#include "http/http1_client.h"
#include "http/http2_connection.h"
#include "support/async_test.h"
#include "support/server_env.h"

namespace pk::http {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

// Runs a coroutine to completion on a fresh loop.
template <typename F>
void run(F body) {
  asio::io_context io;
  pk::testing::run_on(io, std::move(body), 120s);
}

Request kinesis_call(const std::string& operation, std::string body) {
  Request r;
  r.method = "POST";
  r.target = "/";
  r.body = std::move(body);
  r.headers = {
      {"Content-Type", "application/x-amz-json-1.1"},
      {"X-Amz-Target", "Kinesis_20131202." + operation},
      {"X-Amz-Date", "20260101T000000Z"},
      {"Authorization",
       "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/kinesis/aws4_request, "
       "SignedHeaders=content-type;host;x-amz-date;x-amz-target, "
       "Signature=0000000000000000000000000000000000000000000000000000000000000000"},
  };
  return r;
}

ClientOptions tls_options() {
  ClientOptions o;
  o.tls.ca_file = pk::testing::server_env("PK_TLS_CA_FILE");
  o.request_timeout = 30s;
  o.connect_timeout = 10s;
  return o;
}

Url endpoint(const char* variable) {
  auto url = Url::parse(pk::testing::server_env(variable));
  EXPECT_TRUE(url.ok());
  return url.ok() ? *url : Url{};
}

std::string unique_name(const std::string& prefix) {
  std::random_device rd;
  return prefix + "-" + std::to_string(std::chrono::system_clock::now().time_since_epoch().count() % 1000000000) + "-" +
         std::to_string(rd() % 100000);
}

void expect_list_streams(const Result<Response>& r) {
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->status, 200) << r->body;
  EXPECT_NE(r->body.find("StreamNames"), std::string::npos) << r->body;
}

asio::awaitable<Result<Response>> send1(Http1Client& client, const Request& request) {
  auto sending = client.send(request);
  co_return co_await std::move(sending);
}

// One HTTP/2 request read to the end.
asio::awaitable<Result<Response>> send2(Http2Connection& connection, const Request& request) {
  auto opening = connection.open(request);
  auto stream = co_await std::move(opening);
  if (!stream.ok()) co_return std::move(stream).error();
  auto reading = (*stream)->read_all();
  auto body = co_await std::move(reading);
  if (!body.ok()) co_return std::move(body).error();
  Response response;
  response.status = (*stream)->status();
  response.headers = (*stream)->headers();
  response.body = std::move(*body);
  co_return response;
}

asio::awaitable<Result<std::shared_ptr<Http2Connection>>> connect2(const Url& origin, const ClientOptions& options) {
  auto connecting = Http2Connection::connect(origin, options);
  co_return co_await std::move(connecting);
}

asio::awaitable<void> sleep_for(std::chrono::milliseconds d) {
  auto executor = co_await asio::this_coro::executor;
  asio::steady_timer t(executor, d);
  co_await t.async_wait(asio::use_awaitable);
}

std::string json_string(const std::string& json, const char* field, const char* inner = nullptr) {
  rapidjson::Document doc;
  doc.Parse(json.c_str());
  if (doc.HasParseError() || !doc.IsObject()) return {};
  const rapidjson::Value* v = &doc;
  if (inner != nullptr) {
    if (!v->HasMember(inner)) return {};
    v = &(*v)[inner];
  }
  if (!v->IsObject() || !v->HasMember(field) || !(*v)[field].IsString()) return {};
  return (*v)[field].GetString();
}

TEST(KinesisMockHttp, ListStreamsOverHttp11Tls) {
  run([&]() -> asio::awaitable<void> {
    auto executor = co_await asio::this_coro::executor;
    auto client = Http1Client::create(executor, endpoint("PK_KINESIS_ENDPOINT"), tls_options());
    PK_CO_ASSERT_OK(client);
    const Request request = kinesis_call("ListStreams", "{}");
    for (int i = 0; i < 3; ++i) {
      auto r = co_await send1(**client, request);
      expect_list_streams(r);
    }
    EXPECT_EQ((*client)->stats().opened, 1u);  // kept alive by a real server
  });
}

TEST(KinesisMockHttp, ListStreamsOverHttp11Plain) {
  run([&]() -> asio::awaitable<void> {
    ClientOptions options;
    options.request_timeout = 30s;
    auto executor = co_await asio::this_coro::executor;
    auto client = Http1Client::create(executor, endpoint("PK_KINESIS_PLAIN_ENDPOINT"), options);
    PK_CO_ASSERT_OK(client);
    const Request request = kinesis_call("ListStreams", "{}");
    auto r = co_await send1(**client, request);
    expect_list_streams(r);
  });
}

TEST(KinesisMockHttp, WrongCaIsRefusedByTheRealServer) {
  run([&]() -> asio::awaitable<void> {
    ClientOptions options;  // the system trust store does not know the test CA
    auto executor = co_await asio::this_coro::executor;
    auto client = Http1Client::create(executor, endpoint("PK_KINESIS_ENDPOINT"), options);
    PK_CO_ASSERT_OK(client);
    const Request request = kinesis_call("ListStreams", "{}");
    auto r = co_await send1(**client, request);
    EXPECT_FALSE(r.ok());
    if (!r.ok()) {
      EXPECT_EQ(r.error().code, ErrorCode::kUnauthenticated) << r.error().to_string();
    }
  });
}

TEST(KinesisMockHttp, ListStreamsOverHttp2TlsAndH2c) {
  for (const char* variable : {"PK_KINESIS_ENDPOINT", "PK_KINESIS_PLAIN_ENDPOINT"}) {
    SCOPED_TRACE(variable);
    run([&]() -> asio::awaitable<void> {
      const Url origin = endpoint(variable);
      const ClientOptions options = tls_options();
      auto connection = co_await connect2(origin, options);
      PK_CO_ASSERT_OK(connection);
      const Request request = kinesis_call("ListStreams", "{}");
      auto r = co_await send2(**connection, request);
      expect_list_streams(r);
      auto pinging = (*connection)->ping();
      auto pong = co_await std::move(pinging);
      EXPECT_TRUE(pong.ok()) << pong.error().to_string();
    });
  }
}

TEST(KinesisMockHttp, ConcurrentHttp2StreamsOnOneConnection) {
  run([&]() -> asio::awaitable<void> {
    const Url origin = endpoint("PK_KINESIS_ENDPOINT");
    const ClientOptions options = tls_options();
    auto connection = co_await connect2(origin, options);
    PK_CO_ASSERT_OK(connection);
    constexpr int kStreams = 8;
    const Request request = kinesis_call("ListStreams", "{}");
    int done = 0;
    size_t most_open = 0;
    auto executor = co_await asio::this_coro::executor;
    for (int i = 0; i < kStreams; ++i) {
      asio::co_spawn(
          executor,
          [&]() -> asio::awaitable<void> {
            auto r = co_await send2(**connection, request);
            expect_list_streams(r);
            ++done;
          },
          asio::detached);
    }
    while (done < kStreams) {
      most_open = std::max(most_open, (*connection)->open_streams());
      co_await sleep_for(1ms);
    }
    EXPECT_GT(most_open, 1u);  // they overlapped on the one connection
  });
}

// Polls `operation` until the JSON field `field` (inside `inner`) equals `want`.
// Arguments are lvalues or plain pointers: no temporaries in the callers' co_await statements (GCC 12 rules).
asio::awaitable<bool> wait_status(Http1Client& client, const char* operation, const std::string& body,
                                  const char* inner, const char* field, const char* want) {
  const Request request = kinesis_call(operation, body);
  for (int i = 0; i < 120; ++i) {
    auto r = co_await send1(client, request);
    if (r.ok() && json_string(r->body, field, inner) == want) co_return true;
    co_await sleep_for(250ms);
  }
  co_return false;
}

TEST(KinesisMockHttp, SubscribeToShardDeliversEventStreamBytesOverHttp2) {
  run([&]() -> asio::awaitable<void> {
    auto executor = co_await asio::this_coro::executor;
    auto setup = Http1Client::create(executor, endpoint("PK_KINESIS_PLAIN_ENDPOINT"), tls_options());
    PK_CO_ASSERT_OK(setup);
    Http1Client& client = **setup;
    const std::string stream_name = unique_name("http-efo");

    const Request create = kinesis_call("CreateStream", R"({"StreamName":")" + stream_name + R"(","ShardCount":1})");
    auto created = co_await send1(client, create);
    EXPECT_TRUE(created.ok() && created->status == 200) << (created.ok() ? created->body : created.error().message);
    const std::string describe_body = R"({"StreamName":")" + stream_name + R"("})";
    const bool active = co_await wait_status(client, "DescribeStreamSummary", describe_body, "StreamDescriptionSummary",
                                             "StreamStatus", "ACTIVE");
    EXPECT_TRUE(active);
    if (!active) co_return;
    const Request describe = kinesis_call("DescribeStreamSummary", describe_body);
    auto described = co_await send1(client, describe);
    const std::string stream_arn =
        described.ok() ? json_string(described->body, "StreamARN", "StreamDescriptionSummary") : "";
    EXPECT_FALSE(stream_arn.empty());

    const Request register_consumer =
        kinesis_call("RegisterStreamConsumer", R"({"StreamARN":")" + stream_arn + R"(","ConsumerName":"http-test"})");
    auto registered = co_await send1(client, register_consumer);
    const std::string consumer_arn = registered.ok() ? json_string(registered->body, "ConsumerARN", "Consumer") : "";
    EXPECT_FALSE(consumer_arn.empty()) << (registered.ok() ? registered->body : registered.error().message);
    if (consumer_arn.empty()) co_return;
    const std::string consumer_body = R"({"ConsumerARN":")" + consumer_arn + R"("})";
    const bool consumer_active = co_await wait_status(client, "DescribeStreamConsumer", consumer_body,
                                                      "ConsumerDescription", "ConsumerStatus", "ACTIVE");
    EXPECT_TRUE(consumer_active);

    const std::string payload = "hello over http2 event stream";
    const std::string data = base64_encode(payload);
    const Request put =
        kinesis_call("PutRecords", R"({"StreamName":")" + stream_name + R"(","Records":[{"Data":")" + data +
                                       R"(","PartitionKey":"k1"},{"Data":")" + data + R"(","PartitionKey":"k2"}]})");
    auto put_result = co_await send1(client, put);
    EXPECT_TRUE(put_result.ok() && put_result->status == 200)
        << (put_result.ok() ? put_result->body : put_result.error().message);

    const Url origin = endpoint("PK_KINESIS_ENDPOINT");
    ClientOptions options = tls_options();
    auto connection = co_await connect2(origin, options);
    PK_CO_ASSERT_OK(connection);
    const Request subscribe = kinesis_call(
        "SubscribeToShard", R"({"ConsumerARN":")" + consumer_arn +
                                R"(","ShardId":"shardId-000000000000","StartingPosition":{"Type":"TRIM_HORIZON"}})");
    auto opening = (*connection)->open(subscribe);
    auto stream = co_await std::move(opening);
    PK_CO_ASSERT_OK(stream);
    EXPECT_EQ((*stream)->status(), 200);
    EXPECT_EQ((*stream)->header("content-type"), "application/vnd.amazon.eventstream");

    std::string bytes;
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    while (bytes.find(data) == std::string::npos && std::chrono::steady_clock::now() < deadline) {
      auto reading = (*stream)->read();
      auto chunk = co_await std::move(reading);
      EXPECT_TRUE(chunk.ok()) << chunk.error().to_string();
      if (!chunk.ok() || !chunk->has_value()) break;
      bytes += **chunk;
    }
    EXPECT_NE(bytes.find(data), std::string::npos) << "records never arrived; got " << bytes.size() << " bytes";
    EXPECT_GE(bytes.size(), 16u);
    if (bytes.size() < 16) co_return;
    const auto u8 = [&](size_t i) { return static_cast<uint32_t>(static_cast<unsigned char>(bytes[i])); };
    const uint32_t first_frame_length = (u8(0) << 24) | (u8(1) << 16) | (u8(2) << 8) | u8(3);
    EXPECT_GE(first_frame_length, 16u);  // an event-stream prelude: total length, headers length, CRC
    EXPECT_LE(first_frame_length, bytes.size() + (1u << 24));
    EXPECT_NE(bytes.find("SubscribeToShardEvent"), std::string::npos);
    (*stream)->cancel();

    const Request deregister = kinesis_call("DeregisterStreamConsumer", consumer_body);
    auto deregistered = co_await send1(client, deregister);
    EXPECT_TRUE(deregistered.ok());
    const Request remove = kinesis_call("DeleteStream", describe_body);
    auto removed = co_await send1(client, remove);
    EXPECT_TRUE(removed.ok());
  });
}

}  // namespace
}  // namespace pk::http
