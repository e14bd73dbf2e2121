#pragma once
// A scripted HTTP/2 server on 127.0.0.1 (nghttp2 server session; h2c prior knowledge, or TLS with ALPN h2) for
// what kinesis-mock cannot show: flow control against a slow reader, RST_STREAM both ways, GOAWAY, PING,
// long-lived response streams fed on demand, dropped connections.
//
//   FakeHttp2Server server;
//   server.handle([](const H2Request& r) { return H2Reply::text("hello " + r.body); });
//   ... Http2Connection::connect(*Url::parse(server.url()), options) ...
//   EXPECT_EQ(server.bytes_sent(1), 65535u);      // what the client's window let through on stream 1
//
// Runs its own loop on its own thread; every method is thread-safe. Stream ids are the client's (1, 3, 5, ...);
// `connection` counts accepted connections from 1.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/types.h"
#include "server_loop.h"
#include "test_certs.h"

namespace pk::testing {

struct H2Request {
  std::string method;
  std::string path;
  std::string authority;
  std::string scheme;
  std::vector<pk::http::Header> headers;  // regular headers, lower-case names
  std::string body;
  uint64_t connection = 0;
  int32_t stream = 0;
  std::string header(std::string_view name) const;
};

struct H2Reply {
  int status = 200;
  std::vector<pk::http::Header> headers;
  std::string body;
  std::chrono::milliseconds delay{0};  // before the response headers
  bool end_stream = true;              // false: the body stays open; push more with FakeHttp2Server::send_data
  std::optional<uint32_t> reset;       // RST_STREAM with this code after the headers (no body)

  static H2Reply text(std::string body, int status = 200);
  H2Reply& header(std::string name, std::string value);
  H2Reply& after(std::chrono::milliseconds d);
  H2Reply& keep_open();
  H2Reply& reset_with(uint32_t error_code);
};

class FakeHttp2Server {
 public:
  struct Options {
    bool tls = false;
    bool offer_h2 = true;  // TLS: select h2 by ALPN; false = select http/1.1 (a server without HTTP/2)
    uint32_t max_concurrent_streams = 100;
  };

  FakeHttp2Server();
  explicit FakeHttp2Server(Options options);
  ~FakeHttp2Server();
  FakeHttp2Server(const FakeHttp2Server&) = delete;
  FakeHttp2Server& operator=(const FakeHttp2Server&) = delete;

  uint16_t port() const;
  std::string url() const;
  std::string ca_file() const;

  // Answers every request (default: 404). Runs on the server's loop.
  void handle(std::function<H2Reply(const H2Request&)> handler);

  std::vector<H2Request> requests() const;
  bool wait_for_requests(size_t n, std::chrono::milliseconds timeout) const;
  size_t connections_accepted() const;
  // DATA payload bytes handed to the client on a stream so far (flow control permitting).
  size_t bytes_sent(int32_t stream, uint64_t connection = 1) const;
  // Waits until bytes_sent(stream) >= n; returns whether it got there.
  bool wait_for_bytes_sent(int32_t stream, size_t n, std::chrono::milliseconds timeout, uint64_t connection = 1) const;
  // The RST_STREAM error code the client sent on a stream, if any.
  std::optional<uint32_t> reset_received(int32_t stream, uint64_t connection = 1) const;
  bool wait_for_reset(int32_t stream, std::chrono::milliseconds timeout, uint64_t connection = 1) const;

  // Appends to an open response body (H2Reply::keep_open); `end` closes it.
  void send_data(int32_t stream, std::string data, bool end = false, uint64_t connection = 1);
  // GOAWAY on every connection, with the highest stream id seen as the last one processed.
  void goaway(uint32_t error_code = 0);
  // A PING to every connection; pings_acked() counts the ACKs.
  void ping();
  size_t pings_acked() const;
  bool wait_for_ping_acks(size_t n, std::chrono::milliseconds timeout) const;
  // Closes every connection's socket (no GOAWAY).
  void drop_connections();

  struct State;

 private:
  void run_on_loop(const std::function<void()>& fn);

  std::shared_ptr<State> state_;
  std::unique_ptr<ServerLoop> loop_;
};

}  // namespace pk::testing
