// Http2Connection / Http2Stream against the in-process nghttp2 server: h2c and h2 over TLS, concurrent streams,
// flow control that follows the reader, RST_STREAM both ways, GOAWAY, PING, lost connections, timeouts.

#include <nghttp2/nghttp2.h>

#include <future>
#include <set>
#include <thread>

#include <gtest/gtest.h>

#include "coro_test_support.h"
#include "fake_http2_server.h"
#include "fake_http_server.h"
#include "http/http2_connection.h"
#include "net/task_group.h"

namespace pk::http {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using pk::testing::FakeHttp2Server;
using pk::testing::H2Reply;
using pk::testing::H2Request;
using pk::testing::run_on;
using testing::get;
using testing::post;

// Arguments are lvalues: no temporaries in a co_await statement (GCC 12 rules).
asio::awaitable<Result<std::shared_ptr<Http2Connection>>> connect(const std::string& url,
                                                                  const ClientOptions& options) {
  auto origin = Url::parse(url);
  EXPECT_TRUE(origin.ok());
  auto connecting = Http2Connection::connect(*origin, options);
  co_return co_await std::move(connecting);
}

asio::awaitable<Result<std::unique_ptr<Http2Stream>>> open(Http2Connection& connection, const Request& request) {
  auto opening = connection.open(request);
  co_return co_await std::move(opening);
}

asio::awaitable<Result<std::optional<std::string>>> read(Http2Stream& stream) {
  auto reading = stream.read();
  co_return co_await std::move(reading);
}

asio::awaitable<Result<std::string>> read_all(Http2Stream& stream) {
  auto reading = stream.read_all();
  co_return co_await std::move(reading);
}

const ClientOptions kDefaults;

asio::awaitable<void> sleep_for(std::chrono::milliseconds d) {
  auto executor = co_await asio::this_coro::executor;
  asio::steady_timer t(executor, d);
  co_await t.async_wait(asio::use_awaitable);
}

TEST(Http2, H2cRequestAndResponse) {
  FakeHttp2Server server;
  const std::string url = server.url();
  server.handle(
      [](const H2Request& r) { return H2Reply::text("got " + r.body, 201).header("x-amzn-RequestId", "req-1"); });
  asio::io_context io;
  run_on(io, [&]() -> asio::awaitable<void> {
    auto connection = co_await connect(url, kDefaults);
    PK_CO_ASSERT_OK(connection);
    Request request = post("/", "{\"StreamName\":\"s\"}");
    request.headers = {{"X-Amz-Target", "Kinesis_20131202.ListShards"}, {"Connection", "keep-alive"}};
    auto stream = co_await open(**connection, request);
    PK_CO_ASSERT_OK(stream);
    EXPECT_EQ((*stream)->status(), 201);
    EXPECT_EQ((*stream)->header("X-AMZN-REQUESTID"), "req-1");
    EXPECT_EQ((*stream)->id(), 1);
    auto body = co_await read_all(**stream);
    EXPECT_TRUE(body.ok());
    if (body.ok()) {
      EXPECT_EQ(*body, "got {\"StreamName\":\"s\"}");
    }
  });
  ASSERT_EQ(server.requests().size(), 1u);
  const auto seen = server.requests()[0];
  EXPECT_EQ(seen.method, "POST");
  EXPECT_EQ(seen.path, "/");
  EXPECT_EQ(seen.scheme, "http");
  EXPECT_EQ(seen.authority, "127.0.0.1:" + std::to_string(server.port()));
  EXPECT_EQ(seen.header("x-amz-target"), "Kinesis_20131202.ListShards");
  EXPECT_EQ(seen.header("content-length"), "18");
  EXPECT_EQ(seen.header("connection"), "");  // hop-by-hop headers are not sent over HTTP/2
}

TEST(Http2, TlsWithAlpnH2) {
  FakeHttp2Server server({.tls = true});
  const std::string url = server.url();
  server.handle([](const H2Request& r) { return H2Reply::text("secure " + r.scheme); });
  asio::io_context io;
  ClientOptions options;
  options.tls.ca_file = server.ca_file();
  run_on(io, [&]() -> asio::awaitable<void> {
    auto connection = co_await connect(url, options);
    PK_CO_ASSERT_OK(connection);
    const Request request = get("/x");
    auto stream = co_await open(**connection, request);
    PK_CO_ASSERT_OK(stream);
    auto body = co_await read_all(**stream);
    EXPECT_EQ(body.ok() ? *body : "", "secure https");
  });
}

TEST(Http2, TlsServerWithoutH2IsUnsupportedAndUntrustedIsRefused) {
  FakeHttp2Server http11_only({.tls = true, .offer_h2 = false});
  const std::string url = http11_only.url();
  asio::io_context io;
  ClientOptions options;
  options.tls.ca_file = http11_only.ca_file();
  run_on(io, [&]() -> asio::awaitable<void> {
    auto connection = co_await connect(url, options);
    EXPECT_FALSE(connection.ok());
    if (connection.ok()) co_return;
    EXPECT_EQ(connection.error().code, ErrorCode::kUnsupported) << connection.error().to_string();
    EXPECT_NE(connection.error().message.find(http11_only.url()), std::string::npos);
  });
  FakeHttp2Server server({.tls = true});
  const std::string url2 = server.url();
  run_on(io, [&]() -> asio::awaitable<void> {
    auto connection = co_await connect(url2, kDefaults);  // system trust store: the test CA is unknown
    EXPECT_FALSE(connection.ok());
    if (!connection.ok()) {
      EXPECT_EQ(connection.error().code, ErrorCode::kUnauthenticated) << connection.error().to_string();
    }
  });
}

TEST(Http2, H2cAgainstAnHttp11ServerFailsClearly) {
  pk::testing::FakeHttpServer http11;
  const std::string url = http11.url();
  asio::io_context io;
  run_on(io, [&]() -> asio::awaitable<void> {
    auto connection = co_await connect(url, kDefaults);
    EXPECT_FALSE(connection.ok());
    if (!connection.ok()) {
      EXPECT_NE(connection.error().message.find(http11.url()), std::string::npos) << connection.error().message;
    }
  });
}

TEST(Http2, ManyConcurrentStreamsOnOneConnection) {
  FakeHttp2Server server;
  const std::string url = server.url();
  server.handle([](const H2Request& r) { return H2Reply::text("answer " + r.path).after(300ms); });
  asio::io_context io;
  constexpr int kStreams = 10;
  int completed = 0;
  bool all_in_flight_together = false;
  run_on(io, [&]() -> asio::awaitable<void> {
    auto connection = co_await connect(url, kDefaults);
    PK_CO_ASSERT_OK(connection);
    std::vector<Request> requests;
    for (int i = 0; i < kStreams; ++i) requests.push_back(get("/" + std::to_string(i)));
    for (int i = 0; i < kStreams; ++i) {
      asio::co_spawn(
          io,
          [&, i]() -> asio::awaitable<void> {
            auto stream = co_await open(**connection, requests[i]);
            EXPECT_TRUE(stream.ok()) << stream.error().to_string();
            if (stream.ok()) {
              auto body = co_await read_all(**stream);
              EXPECT_EQ(body.ok() ? *body : "", "answer /" + std::to_string(i));
            }
            ++completed;
          },
          asio::detached);
    }
    while (server.requests().size() < kStreams) co_await sleep_for(5ms);
    all_in_flight_together = completed == 0;  // every request reached the server before any answer came back
    while (completed < kStreams) co_await sleep_for(5ms);
  });
  EXPECT_EQ(completed, kStreams);
  EXPECT_TRUE(all_in_flight_together);
  EXPECT_EQ(server.connections_accepted(), 1u);
  std::set<int32_t> ids;
  for (const auto& r : server.requests()) ids.insert(r.stream);
  EXPECT_EQ(ids.size(), static_cast<size_t>(kStreams));
}

TEST(Http2, FlowControlFollowsTheReader) {
  FakeHttp2Server server;
  const std::string url = server.url();
  std::string big(1 << 20, '\0');
  for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>('a' + i % 23);
  server.handle([&](const H2Request&) { return H2Reply::text(big); });
  asio::io_context io;
  ClientOptions options;
  options.http2_stream_window = 32768;
  run_on(io, [&]() -> asio::awaitable<void> {
    auto connection = co_await connect(url, options);
    PK_CO_ASSERT_OK(connection);
    const Request request = get("/big");
    auto stream = co_await open(**connection, request);
    PK_CO_ASSERT_OK(stream);
    // Not reading: the server may send one window and then has to stop.
    while (server.bytes_sent(1) < 32768) co_await sleep_for(5ms);
    co_await sleep_for(200ms);
    EXPECT_EQ(server.bytes_sent(1), 32768u);
    // Reading gives the window back, chunk by chunk, and the rest flows.
    std::string got;
    size_t reads = 0;
    for (;;) {
      auto chunk = co_await read(**stream);
      EXPECT_TRUE(chunk.ok());
      if (!chunk.ok() || !chunk->has_value()) break;
      EXPECT_LE((*chunk)->size(), 32768u);  // never more than one window buffered
      got += **chunk;
      ++reads;
    }
    EXPECT_EQ(got.size(), big.size());
    EXPECT_TRUE(got == big);
    EXPECT_GE(reads, big.size() / 32768);
  });
  EXPECT_EQ(server.bytes_sent(1), big.size());
}

TEST(Http2, CancelSendsRstStreamAndLaterReadsSayCancelled) {
  FakeHttp2Server server;
  const std::string url = server.url();
  server.handle([](const H2Request&) { return H2Reply::text("first").keep_open(); });
  asio::io_context io;
  run_on(io, [&]() -> asio::awaitable<void> {
    auto connection = co_await connect(url, kDefaults);
    PK_CO_ASSERT_OK(connection);
    const Request request = get("/events");
    auto stream = co_await open(**connection, request);
    PK_CO_ASSERT_OK(stream);
    auto first = co_await read(**stream);
    EXPECT_TRUE(first.ok() && first->has_value() && **first == "first");
    (*stream)->cancel();
    auto after = co_await read(**stream);
    EXPECT_FALSE(after.ok());
    if (!after.ok()) {
      EXPECT_EQ(after.error().code, ErrorCode::kCancelled) << after.error().to_string();
    }
    // Dropping a stream that has not ended cancels it too.
    auto second = co_await open(**connection, request);
    EXPECT_TRUE(second.ok());
    if (second.ok()) second->reset();
    EXPECT_TRUE((*connection)->usable());
    const std::function<bool()> both_reset = [&] { return server.reset_received(1) && server.reset_received(3); };
    const bool reset = co_await pk::testing::eventually(both_reset);
    EXPECT_TRUE(reset);
  });
  EXPECT_EQ(server.reset_received(1), NGHTTP2_CANCEL);
  EXPECT_EQ(server.reset_received(3), NGHTTP2_CANCEL);
}

TEST(Http2, ServerResetIsAnErrorNamingTheStreamAndOrigin) {
  FakeHttp2Server server;
  const std::string url = server.url();
  server.handle([](const H2Request&) { return H2Reply::text("").reset_with(NGHTTP2_INTERNAL_ERROR); });
  asio::io_context io;
  run_on(io, [&]() -> asio::awaitable<void> {
    auto connection = co_await connect(url, kDefaults);
    PK_CO_ASSERT_OK(connection);
    const Request request = post("/", "{}");
    auto stream = co_await open(**connection, request);
    Error error;
    if (stream.ok()) {
      auto r = co_await read(**stream);
      EXPECT_FALSE(r.ok());
      if (!r.ok()) error = r.error();
    } else {
      error = stream.error();
    }
    EXPECT_EQ(error.code, ErrorCode::kIo) << error.to_string();
    EXPECT_NE(error.message.find("stream 1"), std::string::npos) << error.message;
    EXPECT_NE(error.message.find(server.url()), std::string::npos) << error.message;
    EXPECT_NE(error.message.find("INTERNAL_ERROR"), std::string::npos) << error.message;
    EXPECT_TRUE((*connection)->usable());  // a stream error leaves the connection alone
  });
}

TEST(Http2, GoawayLetsOpenStreamsFinishAndRefusesNewOnes) {
  FakeHttp2Server server;
  const std::string url = server.url();
  server.handle([](const H2Request&) { return H2Reply::text("head ").keep_open(); });
  asio::io_context io;
  run_on(io, [&]() -> asio::awaitable<void> {
    auto connection = co_await connect(url, kDefaults);
    PK_CO_ASSERT_OK(connection);
    const Request request = get("/long");
    auto stream = co_await open(**connection, request);
    PK_CO_ASSERT_OK(stream);
    server.goaway();
    while ((*connection)->usable()) co_await sleep_for(5ms);
    auto refused = co_await open(**connection, request);
    EXPECT_FALSE(refused.ok());
    if (!refused.ok()) {
      EXPECT_EQ(refused.error().code, ErrorCode::kUnavailable) << refused.error().to_string();
      EXPECT_NE(refused.error().message.find("GOAWAY"), std::string::npos) << refused.error().message;
    }
    server.send_data(1, "tail", /*end=*/true);
    auto body = co_await read_all(**stream);
    EXPECT_TRUE(body.ok()) << (body.ok() ? "" : body.error().to_string());
    EXPECT_EQ(body.ok() ? *body : "", "head tail");
  });
}

TEST(Http2, PingsBothWays) {
  FakeHttp2Server server;
  const std::string url = server.url();
  asio::io_context io;
  run_on(io, [&]() -> asio::awaitable<void> {
    auto connection = co_await connect(url, kDefaults);
    PK_CO_ASSERT_OK(connection);
    for (int i = 0; i < 3; ++i) {
      auto pinging = (*connection)->ping();
      auto pong = co_await std::move(pinging);
      EXPECT_TRUE(pong.ok()) << pong.error().to_string();
    }
    server.ping();
    for (int i = 0; i < 200 && server.pings_acked() == 0; ++i) co_await sleep_for(5ms);
  });
  EXPECT_EQ(server.pings_acked(), 1u);
}

TEST(Http2, LostConnectionFailsOpenStreams) {
  FakeHttp2Server server;
  const std::string url = server.url();
  server.handle([](const H2Request&) { return H2Reply::text("partial").keep_open(); });
  asio::io_context io;
  run_on(io, [&]() -> asio::awaitable<void> {
    auto connection = co_await connect(url, kDefaults);
    PK_CO_ASSERT_OK(connection);
    const Request request = get("/s");
    auto stream = co_await open(**connection, request);
    PK_CO_ASSERT_OK(stream);
    server.drop_connections();
    auto first = co_await read(**stream);  // what arrived before the drop is still delivered
    EXPECT_TRUE(first.ok() && first->has_value() && **first == "partial");
    auto lost = co_await read(**stream);
    EXPECT_FALSE(lost.ok());
    if (!lost.ok()) {
      EXPECT_EQ(lost.error().code, ErrorCode::kIo) << lost.error().to_string();
      EXPECT_NE(lost.error().message.find("stream 1"), std::string::npos) << lost.error().message;
      EXPECT_NE(lost.error().message.find(server.url()), std::string::npos) << lost.error().message;
    }
    EXPECT_FALSE((*connection)->usable());
  });
}

// Closing with streams open: shutdown() returns once the connection's reader and writer have ended, the server
// saw the GOAWAY, and each open stream, once its buffered data is read, fails with kCancelled.
TEST(Http2, ShutdownWithStreamsOpenLeavesNoTaskRunning) {
  FakeHttp2Server server;
  const std::string url = server.url();
  server.handle([](const H2Request&) { return H2Reply::text("partial").keep_open(); });
  asio::io_context io;
  const size_t before = net::TaskGroup::running_everywhere();
  run_on(io, [&]() -> asio::awaitable<void> {
    auto connection = co_await connect(url, kDefaults);
    PK_CO_ASSERT_OK(connection);
    const Request request = get("/s");
    auto a = co_await open(**connection, request);
    PK_CO_ASSERT_OK(a);
    auto b = co_await open(**connection, request);
    PK_CO_ASSERT_OK(b);
    EXPECT_EQ((*connection)->open_streams(), 2u);
    EXPECT_EQ(net::TaskGroup::running_everywhere(), before + 2) << "the reader and the writer";
    auto stopping = (*connection)->shutdown();
    co_await std::move(stopping);
    EXPECT_EQ(net::TaskGroup::running_everywhere(), before);
    EXPECT_FALSE((*connection)->usable());
    for (Http2Stream* stream : {a->get(), b->get()}) {
      std::optional<Error> failure;
      for (int i = 0; i < 3 && !failure; ++i) {
        auto piece = co_await read(*stream);
        if (!piece.ok()) failure = piece.error();
      }
      EXPECT_TRUE(failure.has_value());
      if (failure) {
        EXPECT_EQ(failure->code, ErrorCode::kCancelled) << failure->to_string();
      }
    }
  });
}

TEST(Http2, RequestTimeoutWhileWaitingForHeadersCancelsTheStream) {
  FakeHttp2Server server;
  const std::string url = server.url();
  server.handle([](const H2Request&) { return H2Reply::text("late").after(3s); });
  asio::io_context io;
  ClientOptions options;
  options.request_timeout = 200ms;
  run_on(io, [&]() -> asio::awaitable<void> {
    auto connection = co_await connect(url, options);
    PK_CO_ASSERT_OK(connection);
    const Request request = get("/slow");
    auto stream = co_await open(**connection, request);
    EXPECT_FALSE(stream.ok());
    if (!stream.ok()) {
      EXPECT_EQ(stream.error().code, ErrorCode::kTimeout) << stream.error().to_string();
      EXPECT_NE(stream.error().message.find("stream 1"), std::string::npos) << stream.error().message;
    }
    const std::function<bool()> reset = [&] { return server.reset_received(1).has_value(); };
    const bool seen = co_await pk::testing::eventually(reset);
    EXPECT_TRUE(seen);
  });
  EXPECT_EQ(server.reset_received(1), NGHTTP2_CANCEL);
}

TEST(Http2, LargeRequestBodyRespectsTheServersWindow) {
  FakeHttp2Server server;
  const std::string url = server.url();
  server.handle([](const H2Request& r) { return H2Reply::text(std::to_string(r.body.size())); });
  asio::io_context io;
  run_on(io, [&]() -> asio::awaitable<void> {
    auto connection = co_await connect(url, kDefaults);
    PK_CO_ASSERT_OK(connection);
    const Request request = post("/upload", std::string(3 << 20, 'u'));
    auto stream = co_await open(**connection, request);
    PK_CO_ASSERT_OK(stream);
    auto body = co_await read_all(**stream);
    EXPECT_EQ(body.ok() ? *body : "", std::to_string(3 << 20));
  });
}

TEST(Http2, UsableFromAnotherLoop) {
  FakeHttp2Server server;
  const std::string url = server.url();
  server.handle([](const H2Request& r) { return H2Reply::text("hop " + r.path); });
  asio::io_context connection_loop;
  auto guard = asio::make_work_guard(connection_loop);
  std::thread thread([&] { connection_loop.run(); });
  std::shared_ptr<Http2Connection> connection;
  {
    std::promise<Result<std::shared_ptr<Http2Connection>>> made;
    asio::co_spawn(
        connection_loop,
        [&]() -> asio::awaitable<void> {
          auto c = co_await connect(url, kDefaults);
          made.set_value(std::move(c));
        },
        asio::detached);
    auto c = made.get_future().get();
    ASSERT_TRUE(c.ok()) << c.error().to_string();
    connection = *c;
  }
  asio::io_context caller;
  run_on(caller, [&]() -> asio::awaitable<void> {
    const Request request = get("/a");
    auto stream = co_await open(*connection, request);
    PK_CO_ASSERT_OK(stream);
    auto body = co_await read_all(**stream);
    EXPECT_EQ(body.ok() ? *body : "", "hop /a");
  });
  connection.reset();
  guard.reset();
  thread.join();
}

}  // namespace
}  // namespace pk::http
