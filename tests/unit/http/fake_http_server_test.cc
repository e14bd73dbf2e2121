// The scripted fake server itself, driven by a plain blocking Beast client (not our client), so that the fake
// can be trusted by the tests that use it.

#include "fake_http_server.h"

#include <gtest/gtest.h>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

namespace pk::testing {
namespace {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using asio::ip::tcp;
using namespace std::chrono_literals;

class RawClient {
 public:
  explicit RawClient(uint16_t port) : socket_(io_) { socket_.connect({asio::ip::make_address("127.0.0.1"), port}); }

  bhttp::response<bhttp::string_body> exchange(bhttp::verb method, const std::string& target, std::string body = {},
                                               std::vector<std::pair<std::string, std::string>> headers = {}) {
    bhttp::request<bhttp::string_body> req(method, target, 11);
    req.set(bhttp::field::host, "fake");
    for (auto& [n, v] : headers) req.set(n, v);
    req.body() = std::move(body);
    req.prepare_payload();
    bhttp::write(socket_, req);
    bhttp::response<bhttp::string_body> res;
    bhttp::read(socket_, buffer_, res);
    return res;
  }
  void send_raw(const std::string& bytes) { asio::write(socket_, asio::buffer(bytes)); }
  std::string read_to_end() {
    std::string out;
    boost::system::error_code ec;
    char buf[4096];
    for (;;) {
      const size_t n = socket_.read_some(asio::buffer(buf), ec);
      if (ec) break;
      out.append(buf, n);
    }
    return out;
  }
  boost::system::error_code read_error() {
    char c;
    boost::system::error_code ec;
    socket_.read_some(asio::buffer(&c, 1), ec);
    return ec;
  }

 private:
  asio::io_context io_;
  tcp::socket socket_;
  boost::beast::flat_buffer buffer_;
};

TEST(FakeHttpServer, AnswersARouteAndLogsTheRequest) {
  FakeHttpServer server;
  server.when("POST", "/").then_return(Reply::json(R"({"ok":true})").header("x-amzn-RequestId", "r1"));
  RawClient client(server.port());
  auto res = client.exchange(bhttp::verb::post, "/?q=1", "payload", {{"X-Amz-Target", "T.Op"}});
  EXPECT_EQ(res.result_int(), 200u);
  EXPECT_EQ(res.body(), R"({"ok":true})");
  EXPECT_EQ(res["Content-Type"], "application/json");
  EXPECT_EQ(res["x-amzn-RequestId"], "r1");
  ASSERT_EQ(server.request_count(), 1u);
  const auto r = server.requests()[0];
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.target, "/?q=1");
  EXPECT_EQ(r.path, "/");
  EXPECT_EQ(r.body, "payload");
  EXPECT_EQ(r.header("x-amz-target"), "T.Op");
  EXPECT_TRUE(r.has_header("HOST"));
  EXPECT_FALSE(r.has_header("x-missing"));
  EXPECT_EQ(r.connection, 1u);
}

TEST(FakeHttpServer, UnmatchedRequestsGet404SayingWhy) {
  FakeHttpServer server;
  server.when("GET", "/a").then_return(Reply::text("a"));
  RawClient client(server.port());
  auto res = client.exchange(bhttp::verb::post, "/a");
  EXPECT_EQ(res.result_int(), 404u);
  EXPECT_NE(res.body().find("POST /a"), std::string::npos) << res.body();
  EXPECT_EQ(server.request_count(), 1u);
}

TEST(FakeHttpServer, StepsGoInOrderAndTheLastRepeats) {
  FakeHttpServer server;
  auto& route = server.when("GET", "/seq").then_return(Reply::status(503)).then_return(Reply::text("up"));
  RawClient client(server.port());
  EXPECT_EQ(client.exchange(bhttp::verb::get, "/seq").result_int(), 503u);
  EXPECT_EQ(client.exchange(bhttp::verb::get, "/seq").body(), "up");
  EXPECT_EQ(client.exchange(bhttp::verb::get, "/seq").body(), "up");
  EXPECT_EQ(route.hits(), 3u);
  EXPECT_EQ(server.connections_accepted(), 1u);  // keep-alive
}

TEST(FakeHttpServer, MatchingByMethodWildcardQueryAndNewestRoute) {
  FakeHttpServer server;
  server.when("*", "/any").then_return(Reply::text("any"));
  server.when("GET", "/q").then_return(Reply::text("path"));
  server.when("GET", "/q?x=1").then_return(Reply::text("exact query"));  // newer: wins for its exact target
  server.when("GET", "/over").then_return(Reply::text("old"));
  server.when("GET", "/over").then_return(Reply::text("new"));
  RawClient client(server.port());
  EXPECT_EQ(client.exchange(bhttp::verb::delete_, "/any").body(), "any");
  EXPECT_EQ(client.exchange(bhttp::verb::get, "/q?x=1").body(), "exact query");
  EXPECT_EQ(client.exchange(bhttp::verb::get, "/q?x=2").body(), "path");
  EXPECT_EQ(client.exchange(bhttp::verb::get, "/over").body(), "new");
}

TEST(FakeHttpServer, HandlersSeeTheRequest) {
  FakeHttpServer server;
  server.when("GET", "/creds").then_handle([](const RecordedRequest& r) {
    return r.header("Authorization") == "token-1" ? Reply::json("{}") : Reply::status(401, "no token");
  });
  RawClient client(server.port());
  EXPECT_EQ(client.exchange(bhttp::verb::get, "/creds").result_int(), 401u);
  EXPECT_EQ(client.exchange(bhttp::verb::get, "/creds", "", {{"Authorization", "token-1"}}).result_int(), 200u);
}

TEST(FakeHttpServer, ChunkedRepliesOnTheWire) {
  FakeHttpServer server;
  server.when("GET", "/c").then_return(Reply::text("hello world").chunked(5).close_connection());
  RawClient client(server.port());
  client.send_raw("GET /c HTTP/1.1\r\nHost: x\r\n\r\n");
  const std::string wire = client.read_to_end();
  EXPECT_NE(wire.find("Transfer-Encoding: chunked\r\n"), std::string::npos) << wire;
  EXPECT_NE(wire.find("Connection: close\r\n"), std::string::npos) << wire;
  EXPECT_TRUE(wire.ends_with("\r\n\r\n5\r\nhello\r\n5\r\n worl\r\n1\r\nd\r\n0\r\n\r\n")) << wire;
}

TEST(FakeHttpServer, CloseWithoutAnswerAndCutResponses) {
  FakeHttpServer server;
  server.when("GET", "/drop").then_return(Reply::close_without_answer());
  server.when("GET", "/half").then_return(Reply::close_mid_response("0123456789"));
  server.when("GET", "/reset").then_return(Reply::reset_mid_response("0123456789"));
  {
    RawClient client(server.port());
    client.send_raw("GET /drop HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_EQ(client.read_to_end(), "");
  }
  {
    RawClient client(server.port());
    client.send_raw("GET /half HTTP/1.1\r\nHost: x\r\n\r\n");
    const std::string wire = client.read_to_end();
    EXPECT_NE(wire.find("Content-Length: 10\r\n"), std::string::npos) << wire;
    EXPECT_TRUE(wire.ends_with("\r\n\r\n01234")) << wire;
  }
  {
    RawClient client(server.port());
    client.send_raw("GET /reset HTTP/1.1\r\nHost: x\r\n\r\n");
    std::string got;
    boost::system::error_code ec;
    while (!ec) ec = client.read_error();
    EXPECT_EQ(ec, asio::error::connection_reset) << ec.message();
  }
  EXPECT_EQ(server.request_count(), 3u);
  EXPECT_EQ(server.connections_accepted(), 3u);
}

TEST(FakeHttpServer, DelayedReplyAndWaitForRequests) {
  FakeHttpServer server;
  server.when("GET", "/slow").then_return(Reply::text("late").after(100ms));
  RawClient client(server.port());
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(client.exchange(bhttp::verb::get, "/slow").body(), "late");
  EXPECT_GE(std::chrono::steady_clock::now() - start, 100ms);
  EXPECT_TRUE(server.wait_for_requests(1, 1s));
  EXPECT_FALSE(server.wait_for_requests(2, 10ms));
}

TEST(FakeHttpServer, CloseIdleConnectionsAndCounters) {
  FakeHttpServer server;
  server.when("GET", "/").then_return(Reply::text("x"));
  RawClient a(server.port());
  RawClient b(server.port());
  a.exchange(bhttp::verb::get, "/");
  b.exchange(bhttp::verb::get, "/");
  EXPECT_EQ(server.connections_accepted(), 2u);
  EXPECT_EQ(server.open_connections(), 2u);
  server.close_idle_connections();
  EXPECT_EQ(server.open_connections(), 0u);
  EXPECT_EQ(a.read_error(), asio::error::eof);
  server.clear_requests();
  EXPECT_EQ(server.request_count(), 0u);
}

}  // namespace
}  // namespace pk::testing
