#pragma once
// A connected byte stream to one peer: plain TCP or TLS over TCP, the same interface for both so that
// protocol code (Pulsar frames, HTTP/1.1, HTTP/2) does not care which. connect() resolves, connects and, for
// TLS, handshakes with SNI, ALPN and host-name verification, all under one deadline.
// Owned by one connection object; used from the loop (executor) it was created on only.

#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/stream.hpp>

#include "common/result.h"
#include "net/tls.h"

namespace pk::net {

struct Endpoint {
  std::string host;
  uint16_t port = 0;
  std::string to_string() const;
};

class ByteStream {
 public:
  using Executor = boost::asio::any_io_executor;
  using Socket = boost::asio::ip::tcp::socket;
  using TlsSocket = boost::asio::ssl::stream<Socket>;

  // Runs on the calling coroutine's executor. `tls` null = plain TCP. The certificate is checked against
  // endpoint.host when the context verifies.
  static boost::asio::awaitable<Result<std::unique_ptr<ByteStream>>> connect(Endpoint endpoint, TlsContextPtr tls,
                                                                             std::chrono::milliseconds timeout);

  // Reads what is available (at least one byte); kIo error with "connection closed" at end of stream.
  boost::asio::awaitable<Result<size_t>> read_some(boost::asio::mutable_buffer buffer);
  boost::asio::awaitable<Status> write_all(std::span<const boost::asio::const_buffer> buffers);
  boost::asio::awaitable<Status> write_all(boost::asio::const_buffer buffer);

  // Closes the socket; pending reads/writes complete with an error. Idempotent.
  void close();
  bool is_open() const;
  bool is_tls() const { return tls_ != nullptr; }
  // The ALPN protocol the server selected ("h2", "http/1.1"), empty if none.
  std::string alpn_protocol() const;
  const Endpoint& endpoint() const { return endpoint_; }
  Executor get_executor() { return socket().get_executor(); }

  ByteStream(Endpoint endpoint, Socket socket);
  ByteStream(Endpoint endpoint, std::unique_ptr<TlsSocket> tls);

 private:
  Socket& socket() { return tls_ ? tls_->next_layer() : plain_; }
  const Socket& socket() const { return tls_ ? tls_->next_layer() : plain_; }

  Endpoint endpoint_;
  Socket plain_;                    // used when not TLS
  std::unique_ptr<TlsSocket> tls_;  // owns its socket when TLS
  TlsContextPtr tls_context_;       // keeps the context alive as long as the stream

 public:
  void keep_context(TlsContextPtr ctx) { tls_context_ = std::move(ctx); }
};

}  // namespace pk::net
