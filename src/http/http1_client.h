#pragma once
// HTTP/1.1 client for one origin (scheme://host:port) with a pool of keep-alive connections.
//
//   auto client = Http1Client::create(executor, *Url::parse("https://kinesis.us-east-1.amazonaws.com"), options);
//   auto sending = (*client)->send(request);          // GCC 12 rule: build the awaitable in its own statement
//   Result<Response> response = co_await std::move(sending);
//
// send() bounds the whole exchange - waiting for a connection, connecting (also under connect_timeout),
// writing, reading the whole body - by request_timeout. A request that fails on a reused keep-alive connection
// before any response byte arrived is sent once more on a fresh connection (the server closed the idle
// connection; it cannot have seen the request). Other failures are returned, never retried here: retry policy
// belongs to the caller (aws module). Any status code is a successful exchange.
// Errors name the method and URL: kUnavailable/kIo (connect, reset), kTimeout, kUnauthenticated (TLS
// certificate rejected), kMalformedInput (bad response bytes), kInvalidArgument (bad request).
//
// Owned by whoever created it (shared_ptr: several callers may share one pool). Its connections live on the
// executor given to create(); send() may be called from any executor (it hops to the client's loop and back).
// Destroying the client closes idle connections; requests in flight finish first.

#include <memory>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "common/result.h"
#include "http/http1_pool.h"
#include "http/types.h"

namespace pk::http {

class Http1Client {
 public:
  // Fails (kInvalidArgument) only when the TLS options cannot be used (unreadable CA file, ...).
  static Result<std::shared_ptr<Http1Client>> create(boost::asio::any_io_executor executor, Url origin,
                                                     ClientOptions options);
  ~Http1Client();
  Http1Client(const Http1Client&) = delete;
  Http1Client& operator=(const Http1Client&) = delete;

  // Sends `request` (its target is relative to the origin; Host and Content-Length are added when absent) and
  // returns the response. `request` must stay alive until the returned awaitable completes.
  boost::asio::awaitable<Result<Response>> send(const Request& request);

  const Url& origin() const { return origin_; }
  const ClientOptions& options() const { return options_; }
  boost::asio::any_io_executor executor() const { return executor_; }
  // A snapshot of the pool; read it on the client's executor.
  PoolStats stats() const;

  Http1Client(boost::asio::any_io_executor executor, Url origin, ClientOptions options, net::TlsContextPtr tls);

 private:
  struct Exchange;
  static boost::asio::awaitable<Result<Response>> exchange(std::shared_ptr<const Exchange> x, const Request* request);
  static boost::asio::awaitable<Result<Response>> attempt(std::shared_ptr<const Exchange> x, const Request* request,
                                                          const std::string* head);

  boost::asio::any_io_executor executor_;
  Url origin_;
  ClientOptions options_;
  std::shared_ptr<const Exchange> shared_;  // what in-flight requests need (incl. the pool), kept alive by them
};

}  // namespace pk::http
