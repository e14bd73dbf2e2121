#pragma once
// A scripted HTTP/1.1 server on 127.0.0.1 (plain or TLS) for tests of what no real server does: IMDS and ECS
// credential endpoints, STS answers, throttling and server errors, slow answers, dropped connections.
//
//   FakeHttpServer server;                                           // or FakeHttpServer({.tls = true})
//   server.when("PUT", "/latest/api/token").then_return(Reply::text("TOKEN"));
//   server.when("GET", "/x").then_return(Reply::status(503)).then_return(Reply::json(R"({"ok":1})"));
//   server.when("GET", "/slow").then_return(Reply::json("{}").after(2s));
//   server.when("POST", "/").then_handle([](const RecordedRequest& r) { return Reply::json(r.body); });
//   ... point a client at server.url() (TLS: trust server.ca_file()) ...
//   EXPECT_EQ(server.requests().at(0).header("x-aws-ec2-metadata-token"), "TOKEN");
//
// A route answers its requests with its steps in order (then_return / then_handle); the last step repeats.
// Routes match the method ("*" = any) and the path (the target without its query; a route path with '?'
// matches the whole target). The newest matching route wins. Unmatched requests get 404.
// Keep-alive: connections serve requests until the client closes them, a Reply says close_connection(), or
// close_idle_connections() is called.
//
// Runs its own loop on its own thread: usable from any test, blocking or coroutine. Every method is
// thread-safe. The destructor stops the server.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "http/types.h"
#include "server_loop.h"
#include "test_certs.h"

namespace pk::testing {

struct RecordedRequest {
  std::string method;
  std::string target;  // as sent: path and query
  std::string path;    // target without the query
  std::vector<pk::http::Header> headers;
  std::string body;
  uint64_t connection = 0;  // 1 for the first accepted connection, 2 for the second, ...

  // First value of a header (case-insensitive name); empty if absent.
  std::string header(std::string_view name) const;
  bool has_header(std::string_view name) const;
};

struct Reply {
  enum class Kind {
    kRespond,             // a normal response
    kCloseWithoutAnswer,  // read the request, then close the connection (FIN) without a byte
    kCloseMidResponse,    // send the head and half the body, then close (FIN)
    kResetMidResponse,    // send the head and half the body, then reset the connection (RST)
  };

  Kind kind = Kind::kRespond;
  int status_code = 200;
  std::vector<pk::http::Header> headers;  // Content-Length / Transfer-Encoding are added by the server
  std::string body;
  std::chrono::milliseconds delay{0};  // waits this long before answering
  size_t chunk_size = 0;               // > 0: the body goes out with Transfer-Encoding: chunked, in these pieces
  bool close = false;                  // `Connection: close` and close after answering

  static Reply status(int code, std::string body = {});
  static Reply json(std::string body, int code = 200);  // Content-Type: application/json
  static Reply text(std::string body, int code = 200);  // Content-Type: text/plain
  static Reply xml(std::string body, int code = 200);   // Content-Type: text/xml
  static Reply close_without_answer();
  static Reply close_mid_response(std::string body);
  static Reply reset_mid_response(std::string body);

  Reply& header(std::string name, std::string value);
  Reply& after(std::chrono::milliseconds d);
  Reply& chunked(size_t piece_bytes = 1024);
  Reply& close_connection();
};

using Handler = std::function<Reply(const RecordedRequest&)>;

class FakeHttpServer {
 public:
  struct Options {
    bool tls = false;
    std::vector<std::string> certificate_names = {"localhost", "127.0.0.1"};  // TLS subjectAltNames
    bool record_bodies = true;  // false: the request log keeps bodies empty (benchmarks)
  };

  class Route {
   public:
    Route& then_return(Reply reply);
    Route& then_handle(Handler handler);
    // Requests this route has answered.
    size_t hits() const;

   private:
    friend class FakeHttpServer;
    struct State;
    explicit Route(std::shared_ptr<State> state) : state_(std::move(state)) {}
    std::shared_ptr<State> state_;
  };

  FakeHttpServer();
  explicit FakeHttpServer(Options options);
  ~FakeHttpServer();
  FakeHttpServer(const FakeHttpServer&) = delete;
  FakeHttpServer& operator=(const FakeHttpServer&) = delete;

  uint16_t port() const;
  // "http://127.0.0.1:<port>" or "https://127.0.0.1:<port>".
  std::string url() const;
  // TLS: the CA that signed the server certificate (and an unrelated one, for negative tests).
  const TestCertificates& certificates() const;
  std::string ca_file() const { return certificates().ca_file; }

  // Adds a route; the returned reference stays valid for the server's lifetime.
  Route& when(std::string method, std::string path);
  void clear_routes();

  std::vector<RecordedRequest> requests() const;
  size_t request_count() const;
  void clear_requests();
  // Blocks until at least `n` requests were received or `timeout` passed; returns whether they were.
  bool wait_for_requests(size_t n, std::chrono::milliseconds timeout) const;

  size_t connections_accepted() const;
  size_t open_connections() const;
  // The most requests that were being answered at the same time (each on its own connection).
  size_t max_concurrent_requests() const;
  // Closes every open connection as a server's keep-alive timeout does: idle ones at once, one that is
  // answering a request right after the answer. Returns once they are closed.
  void close_idle_connections();

  struct State;  // shared with the connection coroutines (implementation detail)

 private:
  std::shared_ptr<State> state_;
  std::unique_ptr<ServerLoop> loop_;
  std::vector<std::unique_ptr<Route>> routes_;  // owned here so that when() can return references
};

}  // namespace pk::testing
