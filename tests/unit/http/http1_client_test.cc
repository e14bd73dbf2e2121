// Http1Client against the scripted fake server: keep-alive, the pool bound, bodies, timeouts, dead
// connections, TLS verification, Host, large bodies, secrets in logs.

#include "http/http1_client.h"

#include <sstream>
#include <thread>

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <boost/asio/ip/tcp.hpp>

#include "common/log.h"
#include "coro_test_support.h"
#include "fake_http_server.h"
#include "net/timeout.h"

namespace pk::http {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using pk::testing::FakeHttpServer;
using pk::testing::Reply;
using pk::testing::run_on;
using testing::get;
using testing::post;
using testing::send;

std::shared_ptr<Http1Client> make_client(asio::io_context& io, const std::string& url, ClientOptions options = {}) {
  auto origin = Url::parse(url);
  EXPECT_TRUE(origin.ok());
  auto client = Http1Client::create(io.get_executor(), *origin, std::move(options));
  EXPECT_TRUE(client.ok()) << client.error().to_string();
  return *client;
}

TEST(Http1Client, KeepAliveReusesOneConnectionForSequentialRequests) {
  FakeHttpServer server;
  server.when("POST", "/").then_handle([](const pk::testing::RecordedRequest& r) { return Reply::json(r.body); });
  asio::io_context io;
  auto client = make_client(io, server.url());
  run_on(io, [&]() -> asio::awaitable<void> {
    for (int i = 0; i < 20; ++i) {
      const Request request = post("/", "{\"n\":" + std::to_string(i) + "}");
      auto r = co_await send(*client, request);
      PK_CO_ASSERT_OK(r);
      EXPECT_EQ(r->status, 200);
      EXPECT_EQ(r->body, request.body);
    }
  });
  EXPECT_EQ(server.connections_accepted(), 1u);
  EXPECT_EQ(server.request_count(), 20u);
  EXPECT_EQ(client->stats().opened, 1u);
  EXPECT_EQ(client->stats().idle, 1u);
  for (const auto& r : server.requests()) EXPECT_EQ(r.connection, 1u);
}

TEST(Http1Client, HostHeaderIsTheOriginAuthorityAndContentLengthIsSet) {
  FakeHttpServer server;
  server.when("POST", "/").then_return(Reply::json("{}"));
  asio::io_context io;
  auto client = make_client(io, server.url());
  run_on(io, [&]() -> asio::awaitable<void> {
    Request request = post("/", "{\"StreamName\":\"s\"}");
    request.headers = {{"X-Amz-Target", "Kinesis_20131202.DescribeStreamSummary"}};
    auto r = co_await send(*client, request);
    EXPECT_TRUE(r.ok());
  });
  ASSERT_EQ(server.request_count(), 1u);
  const auto seen = server.requests()[0];
  EXPECT_EQ(seen.header("host"), "127.0.0.1:" + std::to_string(server.port()));
  EXPECT_EQ(seen.header("content-length"), "18");
  EXPECT_EQ(seen.header("x-amz-target"), "Kinesis_20131202.DescribeStreamSummary");
  EXPECT_EQ(seen.body, "{\"StreamName\":\"s\"}");
}

TEST(Http1Client, PoolIsBoundedAndExtraRequestsWaitForAConnection) {
  FakeHttpServer server;
  server.when("GET", "/slow").then_return(Reply::text("done").after(150ms));
  asio::io_context io;
  ClientOptions options;
  options.max_connections = 2;
  auto client = make_client(io, server.url(), options);
  size_t finished = 0;
  size_t most_waiting = 0;
  run_on(io, [&]() -> asio::awaitable<void> {
    const Request request = get("/slow");
    auto one = [&]() -> asio::awaitable<void> {
      auto r = co_await send(*client, request);
      EXPECT_TRUE(r.ok()) << r.error().to_string();
      if (r.ok()) {
        EXPECT_EQ(r->body, "done");
      }
      ++finished;
    };
    for (int i = 0; i < 5; ++i) asio::co_spawn(io, one(), asio::detached);
    while (finished < 5) {
      most_waiting = std::max(most_waiting, client->stats().waiting);
      EXPECT_LE(client->stats().open, 2u);
      asio::steady_timer t(io, 5ms);
      co_await t.async_wait(asio::use_awaitable);
    }
  });
  EXPECT_EQ(finished, 5u);
  EXPECT_EQ(server.connections_accepted(), 2u);
  EXPECT_EQ(server.max_concurrent_requests(), 2u);
  EXPECT_GE(most_waiting, 1u);  // at least the 3rd request waited in line
  EXPECT_EQ(server.request_count(), 5u);
}

TEST(Http1Client, ContentLengthAndChunkedBodies) {
  FakeHttpServer server;
  std::string body;
  for (int i = 0; i < 10000; ++i) body.push_back(static_cast<char>('a' + i % 26));
  server.when("GET", "/length").then_return(Reply::text(body));
  server.when("GET", "/chunked").then_return(Reply::text(body).chunked(999));
  server.when("GET", "/empty-chunked").then_return(Reply::text("").chunked(10));
  asio::io_context io;
  auto client = make_client(io, server.url());
  run_on(io, [&]() -> asio::awaitable<void> {
    for (const char* target : {"/length", "/chunked", "/empty-chunked", "/length"}) {
      const Request request = get(target);
      auto r = co_await send(*client, request);
      PK_CO_ASSERT_OK(r);
      EXPECT_EQ(r->body, std::string(target) == "/empty-chunked" ? "" : body) << target;
      EXPECT_EQ(r->header("content-type"), "text/plain");
    }
  });
  EXPECT_EQ(server.connections_accepted(), 1u);  // chunked responses keep the connection too
}

TEST(Http1Client, LargeRequestAndResponseBodies) {
  FakeHttpServer server;
  const std::string big(5 << 20, 'x');
  server.when("PUT", "/echo").then_handle([](const pk::testing::RecordedRequest& r) {
    return Reply::text(r.body + "!");
  });
  asio::io_context io;
  ClientOptions options;
  options.request_timeout = 30s;
  auto client = make_client(io, server.url(), options);
  run_on(io, [&]() -> asio::awaitable<void> {
    Request request = post("/echo", big);
    request.method = "PUT";
    auto r = co_await send(*client, request);
    PK_CO_ASSERT_OK(r);
    EXPECT_EQ(r->body.size(), big.size() + 1);
    EXPECT_EQ(r->body, big + "!");
  });
  ASSERT_EQ(server.request_count(), 1u);
  EXPECT_EQ(server.requests()[0].body.size(), big.size());
}

TEST(Http1Client, ResponseOverTheLimitIsRefused) {
  FakeHttpServer server;
  server.when("GET", "/").then_return(Reply::text(std::string(2000, 'z')));
  asio::io_context io;
  ClientOptions options;
  options.max_response_bytes = 1000;
  auto client = make_client(io, server.url(), options);
  run_on(io, [&]() -> asio::awaitable<void> {
    const Request request = get("/");
    auto r = co_await send(*client, request);
    EXPECT_FALSE(r.ok());
    if (!r.ok()) {
      EXPECT_EQ(r.error().code, ErrorCode::kMalformedInput);
      EXPECT_NE(r.error().message.find("limit of 1000 bytes"), std::string::npos) << r.error().message;
    }
  });
}

TEST(Http1Client, RequestTimeoutCoversASlowServerAndTheConnectionIsNotReused) {
  FakeHttpServer server;
  server.when("GET", "/slow").then_return(Reply::text("late").after(3s));
  server.when("GET", "/fast").then_return(Reply::text("ok"));
  asio::io_context io;
  ClientOptions options;
  options.request_timeout = 200ms;
  auto client = make_client(io, server.url(), options);
  run_on(io, [&]() -> asio::awaitable<void> {
    const Request slow = get("/slow");
    auto r = co_await send(*client, slow);
    EXPECT_FALSE(r.ok());
    if (!r.ok()) {
      EXPECT_EQ(r.error().code, ErrorCode::kTimeout) << r.error().to_string();
      EXPECT_NE(r.error().message.find("GET " + server.url() + "/slow"), std::string::npos) << r.error().message;
    }
    EXPECT_EQ(client->stats().open, 0u);  // the timed-out connection was closed, its slot freed
    const Request fast = get("/fast");
    auto ok = co_await send(*client, fast);
    EXPECT_TRUE(ok.ok()) << ok.error().to_string();
  });
  EXPECT_EQ(server.connections_accepted(), 2u);
}

TEST(Http1Client, CancellingAWaitingRequestTakesItOutOfLine) {
  FakeHttpServer server;
  server.when("GET", "/slow").then_return(Reply::text("late").after(400ms));
  server.when("GET", "/fast").then_return(Reply::text("fast"));
  asio::io_context io;
  ClientOptions options;
  options.max_connections = 1;
  auto client = make_client(io, server.url(), options);
  std::optional<Result<Response>> first;
  run_on(io, [&]() -> asio::awaitable<void> {
    const Request slow = get("/slow");
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
          auto r = co_await send(*client, slow);
          first.emplace(std::move(r));
        },
        asio::detached);
    asio::steady_timer t(io, 50ms);
    co_await t.async_wait(asio::use_awaitable);
    const Request fast = get("/fast");
    auto sending = client->send(fast);  // waits in line behind /slow for the only connection
    auto bounded = net::with_timeout(std::move(sending), 100ms, "caller deadline");
    auto second = co_await std::move(bounded);
    EXPECT_FALSE(second.ok());
    if (!second.ok()) {
      EXPECT_EQ(second.error().code, ErrorCode::kTimeout);
    }
    EXPECT_EQ(client->stats().waiting, 0u);  // it left the line
    while (!first.has_value()) {
      asio::steady_timer w(io, 10ms);
      co_await w.async_wait(asio::use_awaitable);
    }
    EXPECT_TRUE(first->ok());
    auto third = co_await send(*client, fast);  // the pool is intact: the kept-alive connection serves it
    EXPECT_TRUE(third.ok());
  });
  EXPECT_EQ(server.request_count(), 2u);  // /slow and the third; the cancelled one never reached the server
  EXPECT_EQ(server.connections_accepted(), 1u);
}

TEST(Http1Client, ConnectTimeoutAgainstAServerThatNeverHandshakes) {
  asio::io_context io;
  asio::ip::tcp::acceptor silent(io, {asio::ip::make_address("127.0.0.1"), 0});  // accepts (backlog), never talks
  ClientOptions options;
  options.connect_timeout = 200ms;
  options.request_timeout = 5s;
  const std::string url = "https://127.0.0.1:" + std::to_string(silent.local_endpoint().port());
  auto client = make_client(io, url, options);
  run_on(io, [&]() -> asio::awaitable<void> {
    const Request request = get("/");
    const auto start = std::chrono::steady_clock::now();
    auto r = co_await send(*client, request);
    EXPECT_FALSE(r.ok());
    if (!r.ok()) {
      EXPECT_EQ(r.error().code, ErrorCode::kTimeout) << r.error().to_string();
      EXPECT_NE(r.error().message.find(url), std::string::npos) << r.error().message;
      EXPECT_NE(r.error().message.find("200 ms"), std::string::npos) << r.error().message;
    }
    EXPECT_LT(std::chrono::steady_clock::now() - start, 4s);  // the connect deadline, not the request one, fired
  });
}

TEST(Http1Client, RefusedConnectionIsUnavailableAndNamesTheOrigin) {
  asio::io_context io;
  uint16_t port = 0;
  {
    asio::ip::tcp::acceptor a(io, {asio::ip::make_address("127.0.0.1"), 0});
    port = a.local_endpoint().port();
  }
  const std::string url = "http://127.0.0.1:" + std::to_string(port);
  auto client = make_client(io, url);
  run_on(io, [&]() -> asio::awaitable<void> {
    const Request request = get("/x");
    auto r = co_await send(*client, request);
    EXPECT_FALSE(r.ok());
    if (!r.ok()) {
      EXPECT_EQ(r.error().code, ErrorCode::kUnavailable) << r.error().to_string();
      EXPECT_NE(r.error().message.find(url), std::string::npos) << r.error().message;
    }
    EXPECT_EQ(client->stats().open, 0u);
  });
}

TEST(Http1Client, ServerClosedIdleConnectionThenNextRequestSucceedsOnAFreshOne) {
  FakeHttpServer server;
  server.when("GET", "/").then_return(Reply::text("ok"));
  asio::io_context io;
  auto client = make_client(io, server.url());
  run_on(io, [&]() -> asio::awaitable<void> {
    const Request request = get("/");
    auto first = co_await send(*client, request);
    EXPECT_TRUE(first.ok());
    server.close_idle_connections();  // like a server's keep-alive timeout
    EXPECT_EQ(server.open_connections(), 0u);
    auto second = co_await send(*client, request);
    EXPECT_TRUE(second.ok()) << second.error().to_string();
  });
  EXPECT_EQ(server.connections_accepted(), 2u);
  EXPECT_EQ(server.request_count(), 2u);
}

TEST(Http1Client, DeadKeptAliveConnectionIsRetriedOnceOnAFreshOne) {
  FakeHttpServer server;
  server.when("GET", "/")
      .then_return(Reply::text("first"))
      .then_return(Reply::close_without_answer())  // the reused connection dies before answering
      .then_return(Reply::text("second"));
  asio::io_context io;
  auto client = make_client(io, server.url());
  run_on(io, [&]() -> asio::awaitable<void> {
    const Request request = get("/");
    auto first = co_await send(*client, request);
    EXPECT_TRUE(first.ok());
    auto second = co_await send(*client, request);
    EXPECT_TRUE(second.ok()) << second.error().to_string();
    if (second.ok()) {
      EXPECT_EQ(second->body, "second");
    }
  });
  EXPECT_EQ(server.request_count(), 3u);
  EXPECT_EQ(server.connections_accepted(), 2u);
}

TEST(Http1Client, FailureOnAFreshConnectionIsNotRetried) {
  FakeHttpServer server;
  server.when("GET", "/").then_return(Reply::close_without_answer()).then_return(Reply::text("never"));
  asio::io_context io;
  auto client = make_client(io, server.url());
  run_on(io, [&]() -> asio::awaitable<void> {
    const Request request = get("/");
    auto r = co_await send(*client, request);
    EXPECT_FALSE(r.ok());
    if (!r.ok()) {
      EXPECT_EQ(r.error().code, ErrorCode::kIo) << r.error().to_string();
      EXPECT_NE(r.error().message.find(server.url()), std::string::npos) << r.error().message;
    }
  });
  EXPECT_EQ(server.request_count(), 1u);
}

TEST(Http1Client, FailureAfterResponseBytesIsNotRetried) {
  for (Reply cut :
       {Reply::reset_mid_response(std::string(100000, 'r')), Reply::close_mid_response(std::string(1000, 'c'))}) {
    FakeHttpServer server;
    server.when("GET", "/").then_return(Reply::text("warm-up")).then_return(cut).then_return(Reply::text("never"));
    asio::io_context io;
    auto client = make_client(io, server.url());
    run_on(io, [&]() -> asio::awaitable<void> {
      const Request request = get("/");
      auto warm = co_await send(*client, request);
      EXPECT_TRUE(warm.ok());
      auto r = co_await send(*client, request);  // on the reused connection, cut after some response bytes
      EXPECT_FALSE(r.ok());
      if (!r.ok()) {
        EXPECT_EQ(r.error().code, ErrorCode::kIo) << r.error().to_string();
      }
    });
    EXPECT_EQ(server.request_count(), 2u);
  }
}

TEST(Http1Client, ConnectionCloseFromTheServerIsHonoured) {
  FakeHttpServer server;
  server.when("GET", "/").then_return(Reply::text("bye").close_connection());
  asio::io_context io;
  auto client = make_client(io, server.url());
  run_on(io, [&]() -> asio::awaitable<void> {
    const Request request = get("/");
    for (int i = 0; i < 3; ++i) {
      auto r = co_await send(*client, request);
      EXPECT_TRUE(r.ok()) << r.error().to_string();
    }
    EXPECT_EQ(client->stats().idle, 0u);
  });
  EXPECT_EQ(server.connections_accepted(), 3u);
  EXPECT_EQ(server.request_count(), 3u);  // no retries: each connection was closed after a complete answer
}

TEST(Http1Client, IdleConnectionsAboveMinAreClosedAfterTheIdleTimeout) {
  FakeHttpServer server;
  server.when("GET", "/").then_return(Reply::text("ok").after(100ms));
  asio::io_context io;
  ClientOptions options;
  options.max_connections = 4;
  options.min_connections = 1;
  options.idle_timeout = 150ms;
  auto client = make_client(io, server.url(), options);
  run_on(io, [&]() -> asio::awaitable<void> {
    const Request request = get("/");
    int done = 0;
    for (int i = 0; i < 3; ++i) {
      asio::co_spawn(
          io,
          [&]() -> asio::awaitable<void> {
            auto r = co_await send(*client, request);
            EXPECT_TRUE(r.ok());
            ++done;
          },
          asio::detached);
    }
    while (done < 3) {
      asio::steady_timer t(io, 10ms);
      co_await t.async_wait(asio::use_awaitable);
    }
    EXPECT_EQ(client->stats().idle, 3u);
    for (int i = 0; i < 100 && client->stats().idle > 1; ++i) {
      asio::steady_timer t(io, 20ms);
      co_await t.async_wait(asio::use_awaitable);
    }
    EXPECT_EQ(client->stats().idle, 1u);  // min_connections stays open
    EXPECT_EQ(client->stats().open, 1u);
  });
  EXPECT_EQ(server.connections_accepted(), 3u);
  EXPECT_TRUE(pk::testing::poll_until([&] { return server.open_connections() == 1; }));
}

TEST(Http1Client, SendWorksFromAnotherLoop) {
  FakeHttpServer server;
  server.when("GET", "/").then_return(Reply::text("hop"));
  asio::io_context client_loop;
  auto guard = asio::make_work_guard(client_loop);
  std::thread client_thread([&] { client_loop.run(); });
  auto client = make_client(client_loop, server.url());
  asio::io_context caller;
  run_on(caller, [&]() -> asio::awaitable<void> {
    const Request request = get("/");
    for (int i = 0; i < 3; ++i) {
      auto r = co_await send(*client, request);
      EXPECT_TRUE(r.ok()) << r.error().to_string();
      if (r.ok()) {
        EXPECT_EQ(r->body, "hop");
      }
    }
  });
  client.reset();
  guard.reset();
  client_thread.join();
  EXPECT_EQ(server.connections_accepted(), 1u);
}

TEST(Http1Client, DestroyingTheClientClosesIdleConnections) {
  FakeHttpServer server;
  server.when("GET", "/").then_return(Reply::text("ok"));
  asio::io_context io;
  auto client = make_client(io, server.url());
  run_on(io, [&]() -> asio::awaitable<void> {
    const Request request = get("/");
    auto r = co_await send(*client, request);
    EXPECT_TRUE(r.ok());
  });
  EXPECT_EQ(server.open_connections(), 1u);
  client.reset();
  io.restart();
  io.run_for(100ms);  // runs the posted shutdown
  EXPECT_TRUE(pk::testing::poll_until([&] { return server.open_connections() == 0; }));
}

TEST(Http1Client, BadRequestsFailBeforeAnyConnection) {
  FakeHttpServer server;
  asio::io_context io;
  auto client = make_client(io, server.url());
  run_on(io, [&]() -> asio::awaitable<void> {
    Request request = get("/");
    request.headers = {{"X-Bad", "a\r\nb"}};
    auto r = co_await send(*client, request);
    EXPECT_FALSE(r.ok());
    if (!r.ok()) {
      EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    }
  });
  EXPECT_EQ(server.connections_accepted(), 0u);
}

TEST(Http1Client, HeadRequestReadsNoBody) {
  FakeHttpServer server;
  server.when("HEAD", "/").then_return(Reply::text("a body the server does not send"));
  server.when("GET", "/").then_return(Reply::text("after"));
  asio::io_context io;
  auto client = make_client(io, server.url());
  run_on(io, [&]() -> asio::awaitable<void> {
    Request head = get("/");
    head.method = "HEAD";
    auto r = co_await send(*client, head);
    EXPECT_TRUE(r.ok()) << r.error().to_string();
    if (r.ok()) {
      EXPECT_EQ(r->body, "");
    }
    const Request request = get("/");
    auto after = co_await send(*client, request);
    EXPECT_TRUE(after.ok());
    if (after.ok()) {
      EXPECT_EQ(after->body, "after");
    }
  });
  EXPECT_EQ(server.connections_accepted(), 1u);
}

// ---- TLS ---------------------------------------------------------------------------------------------------------

Result<Response> tls_get(FakeHttpServer& server, net::TlsOptions tls, const std::string& url) {
  asio::io_context io;
  ClientOptions options;
  options.tls = std::move(tls);
  auto client = make_client(io, url, options);
  std::optional<Result<Response>> out;
  run_on(io, [&]() -> asio::awaitable<void> {
    const Request request = get("/");
    auto r = co_await send(*client, request);
    out.emplace(std::move(r));
  });
  (void)server;
  return std::move(*out);
}

TEST(Http1ClientTls, VerifiedWithTheRightCa) {
  FakeHttpServer server({.tls = true});
  server.when("GET", "/").then_return(Reply::text("secure"));
  net::TlsOptions tls;
  tls.ca_file = server.ca_file();
  auto r = tls_get(server, tls, server.url());
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->body, "secure");
  EXPECT_EQ(server.requests().at(0).header("host"), "127.0.0.1:" + std::to_string(server.port()));
}

TEST(Http1ClientTls, WrongCaIsRefused) {
  FakeHttpServer server({.tls = true});
  server.when("GET", "/").then_return(Reply::text("secure"));
  net::TlsOptions tls;
  tls.ca_file = server.certificates().other_ca_file;
  auto r = tls_get(server, tls, server.url());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kUnauthenticated) << r.error().to_string();
  EXPECT_NE(r.error().message.find(server.url()), std::string::npos) << r.error().message;
  EXPECT_EQ(server.request_count(), 0u);
}

TEST(Http1ClientTls, SystemTrustStoreDoesNotTrustTheTestCa) {
  FakeHttpServer server({.tls = true});
  auto r = tls_get(server, net::TlsOptions{}, server.url());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kUnauthenticated) << r.error().to_string();
}

TEST(Http1ClientTls, SkipVerifyTrustsAnything) {
  FakeHttpServer server({.tls = true, .certificate_names = {"not-this-host.example"}});
  server.when("GET", "/").then_return(Reply::text("insecure but asked for"));
  net::TlsOptions tls;
  tls.verify_peer = false;
  auto r = tls_get(server, tls, server.url());
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->body, "insecure but asked for");
}

TEST(Http1ClientTls, HostNameMismatchIsRefused) {
  FakeHttpServer server({.tls = true, .certificate_names = {"not-this-host.example"}});
  server.when("GET", "/").then_return(Reply::text("x"));
  net::TlsOptions tls;
  tls.ca_file = server.ca_file();
  auto r = tls_get(server, tls, server.url());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kUnauthenticated) << r.error().to_string();
}

TEST(Http1ClientTls, HostNameIsCheckedAgainstTheOriginHost) {
  FakeHttpServer server({.tls = true, .certificate_names = {"localhost"}});
  server.when("GET", "/").then_return(Reply::text("by name"));
  net::TlsOptions tls;
  tls.ca_file = server.ca_file();
  auto by_name = tls_get(server, tls, "https://localhost:" + std::to_string(server.port()));
  ASSERT_TRUE(by_name.ok()) << by_name.error().to_string();
  EXPECT_EQ(server.requests().at(0).header("host"), "localhost:" + std::to_string(server.port()));
  auto by_ip = tls_get(server, tls, server.url());  // 127.0.0.1 is not in the certificate
  EXPECT_FALSE(by_ip.ok());
}

TEST(Http1ClientTls, KeepAliveOverTls) {
  FakeHttpServer server({.tls = true});
  server.when("GET", "/").then_return(Reply::text("again").chunked(3));
  asio::io_context io;
  ClientOptions options;
  options.tls.ca_file = server.ca_file();
  auto client = make_client(io, server.url(), options);
  run_on(io, [&]() -> asio::awaitable<void> {
    const Request request = get("/");
    for (int i = 0; i < 5; ++i) {
      auto r = co_await send(*client, request);
      EXPECT_TRUE(r.ok()) << r.error().to_string();
    }
    server.close_idle_connections();
    auto after_close = co_await send(*client, request);
    EXPECT_TRUE(after_close.ok()) << after_close.error().to_string();
  });
  EXPECT_EQ(server.connections_accepted(), 2u);
}

TEST(Http1ClientTls, UnreadableCaFileFailsCreate) {
  auto client = Http1Client::create(asio::system_executor(), *Url::parse("https://h"), [] {
    ClientOptions o;
    o.tls.ca_file = "/nonexistent/ca.pem";
    return o;
  }());
  ASSERT_FALSE(client.ok());
  EXPECT_NE(client.error().message.find("/nonexistent/ca.pem"), std::string::npos);
}

// ---- secrets -----------------------------------------------------------------------------------------------------

TEST(Http1Client, SecretHeadersNeverReachTheLogs) {
  FakeHttpServer server;
  server.when("*", "/").then_return(Reply::json("{}"));
  std::ostringstream captured;
  auto log = logger("http");
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(captured);
  log->sinks().push_back(sink);
  const auto old_level = log->level();
  log->set_level(spdlog::level::trace);
  asio::io_context io;
  auto client = make_client(io, server.url());
  run_on(io, [&]() -> asio::awaitable<void> {
    Request request = post("/", "{}");
    request.headers = {{"Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/x, Signature=deadbeefcafe"},
                       {"X-Amz-Security-Token", "SESSIONTOKENSECRET123456"},
                       {"x-aws-ec2-metadata-token", "IMDSTOKENSECRET7890"}};
    auto r = co_await send(*client, request);
    EXPECT_TRUE(r.ok());
    const Request presigned = get("/?X-Amz-Security-Token=QUERYTOKENSECRET&X-Amz-Signature=QUERYSIGSECRET");
    auto q = co_await send(*client, presigned);
    EXPECT_TRUE(q.ok());
  });
  log->set_level(old_level);
  log->sinks().pop_back();
  const std::string text = captured.str();
  EXPECT_NE(text.find("POST " + server.url() + "/"), std::string::npos) << text;  // it did log the request
  EXPECT_EQ(text.find("deadbeefcafe"), std::string::npos) << text;
  EXPECT_EQ(text.find("SESSIONTOKENSECRET"), std::string::npos) << text;
  EXPECT_EQ(text.find("IMDSTOKENSECRET"), std::string::npos) << text;
  EXPECT_EQ(text.find("QUERYTOKENSECRET"), std::string::npos) << text;
  EXPECT_EQ(text.find("QUERYSIGSECRET"), std::string::npos) << text;
}

}  // namespace
}  // namespace pk::http
