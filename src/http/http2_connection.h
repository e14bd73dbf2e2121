#pragma once
// HTTP/2 client connection to one origin, for long-lived response streams (SubscribeToShard) and concurrent
// requests: TLS with ALPN "h2" for https origins, prior-knowledge h2c for http origins.
//
//   auto connecting = Http2Connection::connect(origin, options);
//   auto connection = co_await std::move(connecting);               // Result<shared_ptr<Http2Connection>>
//   auto opening = (*connection)->open(request);
//   auto stream = co_await std::move(opening);                      // response status and headers are in
//   for (;;) {
//     auto reading = (*stream)->read();
//     auto chunk = co_await std::move(reading);                     // Result<optional<string>>
//     if (!chunk.ok() || !chunk->has_value()) break;                // error, or end of stream
//     ... use **chunk ...                                           // only now is the window given back
//   }
//
// Many streams may be open at once on one connection (the server's SETTINGS bound them; nghttp2 queues the
// excess). Flow control follows the reader: a stream's window (ClientOptions::http2_stream_window) is given
// back only as read() hands data out. PINGs from the server are answered; a GOAWAY lets open streams finish
// and makes open() fail with kUnavailable (open a new connection). Errors name the origin and the stream.
//
// Owned by shared_ptr: the caller and each open Http2Stream hold it; the connection is closed (GOAWAY) when the
// last holder lets go, or by close(). It lives on the executor that called connect(); its coroutines may be
// awaited from any executor (they hop to the connection's loop and back).

#include <memory>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "common/result.h"
#include "http/http2_stream.h"
#include "http/types.h"

namespace pk::http {

class Http2Session;

class Http2Connection : public std::enable_shared_from_this<Http2Connection> {
 public:
  // Connects under connect_timeout and waits for the server's SETTINGS. https: kUnsupported when the server
  // does not select "h2" by ALPN; kUnauthenticated for a rejected certificate. http: a server that does not
  // speak h2c gives kMalformedInput (or kTimeout if it waits silently).
  static boost::asio::awaitable<Result<std::shared_ptr<Http2Connection>>> connect(Url origin, ClientOptions options);

  // Sends `request` on a new stream and waits (request_timeout) for the response headers. The stream then
  // delivers the body through read(). `request` must stay alive until the returned awaitable completes.
  boost::asio::awaitable<Result<std::unique_ptr<Http2Stream>>> open(const Request& request);
  // A PING round trip, bounded by request_timeout: proof that the connection is alive.
  boost::asio::awaitable<Status> ping();
  // Sends GOAWAY and closes; open streams fail with kCancelled. Idempotent; may be called from any thread.
  void close();
  // close(), then returns once the connection's reader and writer have ended: the GOAWAY gets request_timeout to
  // go out, then the socket is closed under them. May be awaited from any executor.
  boost::asio::awaitable<void> shutdown();

  // False after a GOAWAY, a failure or close(): open() would fail, start a new connection. Read on the loop.
  bool usable() const;
  // Streams open right now. Read on the loop.
  size_t open_streams() const;
  const Url& origin() const { return origin_; }
  const ClientOptions& options() const { return options_; }
  boost::asio::any_io_executor executor() const;

  Http2Connection(std::shared_ptr<Http2Session> session, Url origin, ClientOptions options);
  ~Http2Connection();
  Http2Connection(const Http2Connection&) = delete;
  Http2Connection& operator=(const Http2Connection&) = delete;

 private:
  friend class Http2Stream;
  static boost::asio::awaitable<Result<std::unique_ptr<Http2Stream>>> open_on_loop(
      std::shared_ptr<Http2Connection> self, const Request* request);

  std::shared_ptr<Http2Session> session_;
  Url origin_;
  ClientOptions options_;
};

}  // namespace pk::http
