#pragma once
// A small HTTP/1.1 server (Boost.Beast) for the admin endpoint: keep-alive, bounded requests, timeouts against
// slow or idle clients, a bound on open connections. It serves whatever the handler answers - no files, so there
// is no path to traverse - and logs no header (requests may carry credentials).
//
//   auto server = HttpServer::start(runtime.executor(0), *ListenAddress::parse("127.0.0.1:9100"), {},
//                                   [](const Request& r) { return Response{.status = 200, .body = "ok"}; });
//   if (!server.ok()) ... server.error().message: "cannot listen on 127.0.0.1:9100: Address already in use"
//   ...
//   co_await (*server)->stop();   // or (*server)->stop_blocking() from a thread that is not the server's loop
//
// The handler runs on the server's loop, one request at a time per connection, and must not block: it sees
// `method` (GET, HEAD, ...), `target` (origin-form: path and query, as sent), the headers and the body. The server
// adds Content-Length; the answer to HEAD keeps the Content-Length of the body it leaves out. Requests the
// server refuses itself: 400 (not HTTP/1.x, a target that is not a path), 413 (body over max_body_bytes), 431
// (head over max_header_bytes), 503 (over max_connections); each closes its connection.
//
// Owned by whoever started it (shared_ptr); lives on one executor, whose loop must run until stop() has returned.
// stop() closes the listener and every connection, and returns when all of them have ended. Destroying a server
// that was not stopped closes everything without waiting (do it before the loop's io_context goes away).

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "common/result.h"
#include "http/types.h"

namespace pk::http {

// host:port to listen on: "127.0.0.1:9100", "0.0.0.0:9100", "[::1]:9100", "localhost:9100" (127.0.0.1);
// port 0 picks a free one.
struct ListenAddress {
  std::string host;  // an IP literal (without brackets)
  uint16_t port = 0;

  // "host:port", with brackets around IPv6 hosts.
  std::string to_string() const;
  // Errors (kInvalidArgument) quote the text and say what is expected.
  static Result<ListenAddress> parse(std::string_view text);
};

struct ServerOptions {
  size_t max_header_bytes = 8 * 1024;
  size_t max_body_bytes = 64 * 1024;
  size_t max_connections = 64;
  std::chrono::milliseconds read_timeout{10000};  // a connection's first request must arrive whole within this
  std::chrono::milliseconds idle_timeout{60000};  // a kept-alive connection waits this long for the next request
  std::chrono::milliseconds write_timeout{10000};
};

// What the server has done, readable from any thread.
struct ServerStats {
  std::atomic<uint64_t> connections_accepted{0};
  std::atomic<uint64_t> connections_refused{0};  // over max_connections
  std::atomic<uint64_t> requests{0};             // answered by the handler or by the server's own 4xx
  std::atomic<size_t> open_connections{0};
};

using RequestHandler = std::function<Response(const Request& request)>;

class HttpServer {
 public:
  // Binds and listens at once (so a taken port is reported here, naming the address), then accepts on `executor`.
  static Result<std::shared_ptr<HttpServer>> start(boost::asio::any_io_executor executor, const ListenAddress& address,
                                                   ServerOptions options, RequestHandler handler);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // The address it listens on (with the port the system picked for port 0).
  const ListenAddress& address() const { return address_; }
  const ServerStats& stats() const;

  // Stops accepting, closes every connection (a request being answered is cut), and returns when all have ended.
  // May be awaited from any executor; idempotent.
  boost::asio::awaitable<void> stop();
  // The same for a plain thread; must not be called on the server's loop (it would wait for itself).
  void stop_blocking();

  struct State;
  HttpServer(std::shared_ptr<State> state, ListenAddress address);

 private:
  std::shared_ptr<State> state_;
  ListenAddress address_;
};

// The path of an origin-form target ("/status?x=1" -> "/status").
std::string_view target_path(std::string_view target);

}  // namespace pk::http
