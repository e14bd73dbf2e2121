#pragma once
// One HTTP/1.1 connection (TCP or TLS) to an origin: writes a request, reads its response, and knows whether
// it may carry another one. No pooling, no timeouts, no retries: Http1Client does those.
// Owned by the pool while idle and by one request at a time while busy; used on the pool's loop only.

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "common/result.h"
#include "http/types.h"
#include "net/byte_stream.h"

namespace pk::http {

class Http1Connection {
 public:
  // Connects (and handshakes) under `connect_timeout`. `tls` null for http origins. Errors name the origin:
  // kUnavailable/kIo (refused, unreachable, unresolvable), kTimeout, kUnauthenticated (certificate rejected).
  static boost::asio::awaitable<Result<std::unique_ptr<Http1Connection>>> open(
      Url origin, net::TlsContextPtr tls, std::chrono::milliseconds connect_timeout, uint64_t id);

  // Writes `head` then `body`, reads one response (the response to a HEAD request has no body). Afterwards
  // reusable() says whether another request may follow and response_bytes() how many bytes came back (0 on a
  // failure means the server cannot have answered: the caller may retry elsewhere). `head` and `body` must
  // stay alive until it completes.
  boost::asio::awaitable<Result<Response>> round_trip(std::string_view head, std::string_view body, bool head_request,
                                                      size_t max_body_bytes);

  bool reusable() const { return reusable_ && stream_->is_open(); }
  size_t response_bytes() const { return response_bytes_; }
  uint64_t id() const { return id_; }
  size_t requests() const { return requests_; }
  std::chrono::steady_clock::time_point idle_since() const { return idle_since_; }
  void mark_idle(std::chrono::steady_clock::time_point now) { idle_since_ = now; }
  void close();

  Http1Connection(std::unique_ptr<net::ByteStream> stream, uint64_t id);

 private:
  std::unique_ptr<net::ByteStream> stream_;
  std::vector<char> buffer_;  // read buffer, one per connection
  uint64_t id_;
  size_t requests_ = 0;
  size_t response_bytes_ = 0;
  bool reusable_ = true;  // a fresh connection may carry a request
  std::chrono::steady_clock::time_point idle_since_{};
};

}  // namespace pk::http
