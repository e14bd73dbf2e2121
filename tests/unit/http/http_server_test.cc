// The admin endpoint's HTTP/1.1 server: answers through our own client and through exact bytes on a socket
// (keep-alive, HEAD framing, refusals with their status codes, limits, timeouts, stop with connections open).
#include "http/http_server.h"

#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "http/http1_client.h"
#include "net/runtime.h"
#include "support/async_test.h"
#include "support/raw_http.h"

namespace pk::http {
namespace {

using pk::testing::RawHttpConnection;
using std::chrono::milliseconds;

// Answers "<method> <path>" with the request's body appended; /big answers 100 KB.
Response echo(const Request& r) {
  if (target_path(r.target) == "/big") return Response{.status = 200, .headers = {}, .body = std::string(100000, 'x')};
  return Response{.status = target_path(r.target) == "/missing" ? 404 : 200,
                  .headers = {{"Content-Type", "text/plain"}, {"X-Test", "1"}},
                  .body = r.method + " " + std::string(target_path(r.target)) + r.body};
}

class HttpServerTest : public ::testing::Test {
 protected:
  void SetUp() override { runtime_.start(); }
  void TearDown() override {
    if (server_) server_->stop_blocking();
    runtime_.stop();
    runtime_.join();
  }

  void start(ServerOptions options = {}, RequestHandler handler = echo) {
    auto started = HttpServer::start(runtime_.executor(0), {.host = "127.0.0.1", .port = 0}, options, handler);
    ASSERT_TRUE(started.ok()) << started.error().to_string();
    server_ = *started;
    ASSERT_NE(server_->address().port, 0);
  }
  uint16_t port() const { return server_->address().port; }

  net::Runtime runtime_{1, 1};
  std::shared_ptr<HttpServer> server_;
};

TEST_F(HttpServerTest, AnswersOurClientOnOneKeptAliveConnection) {
  start();
  auto client = Http1Client::create(pk::testing::coroutine_loop().get_executor(),
                                    *Url::parse("http://127.0.0.1:" + std::to_string(port())), ClientOptions{});
  ASSERT_TRUE(client.ok());
  for (int i = 0; i < 3; ++i) {
    Request request{.method = "GET", .target = "/status?verbose=1", .headers = {}, .body = ""};
    Result<Response> response = pk::testing::run_coroutine<Result<Response>>([&] { return (*client)->send(request); });
    ASSERT_TRUE(response.ok()) << response.error().to_string();
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(response->body, "GET /status");
    EXPECT_EQ(response->header("Content-Length"), "11");
    EXPECT_EQ(response->header("X-Test"), "1");
  }
  Request post{.method = "POST", .target = "/echo", .headers = {}, .body = "abc"};
  Result<Response> posted = pk::testing::run_coroutine<Result<Response>>([&] { return (*client)->send(post); });
  ASSERT_TRUE(posted.ok());
  EXPECT_EQ(posted->body, "POST /echoabc");
  EXPECT_EQ(server_->stats().connections_accepted.load(), 1u);
  EXPECT_EQ(server_->stats().requests.load(), 4u);
}

TEST_F(HttpServerTest, HeadKeepsTheContentLengthAndSendsNoBody) {
  start();
  RawHttpConnection c(port());
  ASSERT_TRUE(c.connected());
  auto head = c.request("HEAD /status HTTP/1.1\r\nHost: x\r\n\r\n", true);
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200);
  EXPECT_EQ(head->header("Content-Length"), "12");  // "HEAD /status"
  // No body bytes followed: the next answer on the connection starts right away.
  auto get = c.request("GET /status HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_TRUE(get);
  EXPECT_EQ(get->body, "GET /status");
  EXPECT_EQ(c.leftover(), "");
}

TEST_F(HttpServerTest, PipelinedRequestsAreAnsweredInOrder) {
  start();
  RawHttpConnection c(port());
  ASSERT_TRUE(c.send("GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n"));
  auto a = c.read_response();
  auto b = c.read_response();
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->body, "GET /a");
  EXPECT_EQ(b->body, "GET /b");
}

TEST_F(HttpServerTest, ConnectionCloseIsHonoured) {
  start();
  RawHttpConnection c(port());
  auto r = c.request("GET /a HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->header("Connection"), "close");
  EXPECT_TRUE(c.closed_by_server());
}

TEST_F(HttpServerTest, HandlerStatusCodesPassThrough) {
  start();
  RawHttpConnection c(port());
  auto r = c.request("GET /missing HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 404);
  EXPECT_EQ(r->head.substr(0, 22), "HTTP/1.1 404 Not Found");
}

struct Refusal {
  std::string name;
  std::string request;
  int status;
};

TEST_F(HttpServerTest, BadRequestsAreRefusedWithTheirStatusAndTheConnectionCloses) {
  start({.max_header_bytes = 1024, .max_body_bytes = 100});
  const std::vector<Refusal> refusals = {
      {"not HTTP", "HELLO\r\n\r\n", 400},
      {"absolute-form target", "GET http://example.com/status HTTP/1.1\r\nHost: x\r\n\r\n", 400},
      {"asterisk target", "OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n", 400},
      {"head too large", "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(2000, 'a') + "\r\n\r\n", 431},
      {"body too large", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 101\r\n\r\n" + std::string(101, 'b'), 413},
      {"bad content length", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n", 400},
  };
  for (const Refusal& refusal : refusals) {
    SCOPED_TRACE(refusal.name);
    RawHttpConnection c(port());
    auto r = c.request(refusal.request);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, refusal.status);
    EXPECT_TRUE(c.closed_by_server());
  }
  // The server still serves.
  RawHttpConnection c(port());
  auto ok = c.request("GET /fine HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);
}

TEST_F(HttpServerTest, ATakenPortIsAnErrorNamingTheAddress) {
  start();
  auto second = HttpServer::start(runtime_.executor(0), {.host = "127.0.0.1", .port = port()}, {}, echo);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(second.error().message,
            "cannot listen on 127.0.0.1:" + std::to_string(port()) + ": Address already in use (bind)");
}

TEST_F(HttpServerTest, ConnectionsOverTheLimitAreTurnedAway) {
  start({.max_connections = 1});
  RawHttpConnection first(port());
  ASSERT_TRUE(first.request("GET /a HTTP/1.1\r\nHost: x\r\n\r\n"));  // accepted and kept open
  RawHttpConnection second(port());
  auto busy = second.read_response();
  ASSERT_TRUE(busy);
  EXPECT_EQ(busy->status, 503);
  EXPECT_EQ(busy->body, "too many connections\n");
  EXPECT_EQ(server_->stats().connections_refused.load(), 1u);
  // The first connection is unaffected.
  auto again = first.request("GET /b HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->body, "GET /b");
}

TEST_F(HttpServerTest, IdleAndSlowConnectionsAreClosed) {
  start({.read_timeout = milliseconds(300), .idle_timeout = milliseconds(300)});
  RawHttpConnection idle(port());
  ASSERT_TRUE(idle.request("GET /a HTTP/1.1\r\nHost: x\r\n\r\n"));
  RawHttpConnection slow(port());
  ASSERT_TRUE(slow.send("GET /a HTTP/1.1\r\nHo"));  // never finishes its head
  const auto started = std::chrono::steady_clock::now();
  EXPECT_TRUE(idle.closed_by_server());
  EXPECT_TRUE(slow.closed_by_server());
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(3));
}

TEST_F(HttpServerTest, StopClosesOpenConnectionsAndReturns) {
  start();
  RawHttpConnection a(port());
  RawHttpConnection b(port());
  ASSERT_TRUE(a.request("GET /a HTTP/1.1\r\nHost: x\r\n\r\n"));
  ASSERT_TRUE(b.send("GET /b HTTP/1.1\r\n"));  // half a request
  server_->stop_blocking();
  EXPECT_TRUE(a.closed_by_server());
  EXPECT_TRUE(b.closed_by_server());
  EXPECT_EQ(server_->stats().open_connections.load(), 0u);
  RawHttpConnection late(port());
  EXPECT_FALSE(late.connected());
  server_->stop_blocking();  // idempotent
}

TEST_F(HttpServerTest, StopFromACoroutineOnAnotherLoop) {
  start();
  RawHttpConnection a(port());
  ASSERT_TRUE(a.request("GET /a HTTP/1.1\r\nHost: x\r\n\r\n"));
  Status stopped = pk::testing::run_coroutine<Status>([&]() -> boost::asio::awaitable<Status> {
    co_await server_->stop();
    co_return ok_status();
  });
  EXPECT_TRUE(stopped.ok());
  EXPECT_TRUE(a.closed_by_server());
}

TEST_F(HttpServerTest, ManyClientsAtOnce) {
  start();
  constexpr int kClients = 8;
  constexpr int kRequests = 50;
  std::vector<std::thread> threads;
  std::atomic<int> answered{0};
  for (int t = 0; t < kClients; ++t) {
    threads.emplace_back([&, t] {
      RawHttpConnection c(port());
      for (int i = 0; i < kRequests; ++i) {
        const std::string path = "/c" + std::to_string(t) + "-" + std::to_string(i);
        auto r = c.request("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n");
        if (r && r->body == "GET " + path) ++answered;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(answered.load(), kClients * kRequests);
  EXPECT_EQ(server_->stats().connections_accepted.load(), uint64_t{kClients});
}

TEST(ListenAddress, Parse) {
  auto ok = [](std::string_view text) {
    auto a = ListenAddress::parse(text);
    return a.ok() ? a->host + " " + std::to_string(a->port) + " " + a->to_string() : a.error().message;
  };
  EXPECT_EQ(ok("127.0.0.1:9100"), "127.0.0.1 9100 127.0.0.1:9100");
  EXPECT_EQ(ok("0.0.0.0:0"), "0.0.0.0 0 0.0.0.0:0");
  EXPECT_EQ(ok("localhost:9100"), "127.0.0.1 9100 127.0.0.1:9100");
  EXPECT_EQ(ok("[::1]:9100"), "::1 9100 [::1]:9100");
  const std::string expected = " (expected host:port, e.g. 127.0.0.1:9100 or [::1]:9100)";
  EXPECT_EQ(ok("127.0.0.1"), "listen address '127.0.0.1': no port" + expected);
  EXPECT_EQ(ok(":9100"), "listen address ':9100': no host" + expected);
  EXPECT_EQ(ok("127.0.0.1:99999"),
            "listen address '127.0.0.1:99999': the port must be a number from 0 to 65535" + expected);
  EXPECT_EQ(ok("127.0.0.1:"), "listen address '127.0.0.1:': the port must be a number from 0 to 65535" + expected);
  EXPECT_EQ(ok("::1:9100"), "listen address '::1:9100': put an IPv6 host in brackets" + expected);
  EXPECT_EQ(ok("[::1]9100"), "listen address '[::1]9100': an IPv6 host needs [host]:port" + expected);
  EXPECT_EQ(ok("admin.example:9100"),
            "listen address 'admin.example:9100': the host must be an IP address or localhost" + expected);
}

TEST(TargetPath, DropsTheQuery) {
  EXPECT_EQ(target_path("/status?x=1&y"), "/status");
  EXPECT_EQ(target_path("/"), "/");
  EXPECT_EQ(target_path("/a/b"), "/a/b");
}

}  // namespace
}  // namespace pk::http
