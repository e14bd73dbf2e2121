#include "net/byte_stream.h"

#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <fmt/format.h>

#include "net/io_error.h"
#include "net/timeout.h"

namespace pk::net {
namespace asio = boost::asio;
using asio::use_awaitable;

namespace {
constexpr auto kTuple = asio::as_tuple(use_awaitable);

bool is_ip_literal(const std::string& host) {
  boost::system::error_code ec;
  (void)asio::ip::make_address(host, ec);
  return !ec;
}

asio::awaitable<Result<asio::ip::tcp::socket>> connect_tcp(const Endpoint& endpoint) {
  auto executor = co_await asio::this_coro::executor;
  asio::ip::tcp::resolver resolver(executor);
  auto [rec, results] = co_await resolver.async_resolve(endpoint.host, std::to_string(endpoint.port), kTuple);
  if (rec) co_return io_error(rec, "resolve " + endpoint.to_string());
  asio::ip::tcp::socket socket(executor);
  auto [cec, connected] = co_await asio::async_connect(socket, results, kTuple);
  if (cec) co_return io_error(cec, "connect " + endpoint.to_string());
  socket.set_option(asio::ip::tcp::no_delay(true));
  co_return std::move(socket);
}

asio::awaitable<Result<std::unique_ptr<ByteStream>>> connect_and_handshake(Endpoint endpoint, TlsContextPtr tls) {
  PK_CO_ASSIGN_OR_RETURN(auto socket, co_await connect_tcp(endpoint));
  if (!tls) co_return std::make_unique<ByteStream>(std::move(endpoint), std::move(socket));

  auto stream = std::make_unique<ByteStream::TlsSocket>(std::move(socket), *tls);
  if (!is_ip_literal(endpoint.host)) {  // SNI carries names only (RFC 6066)
    SSL_set_tlsext_host_name(stream->native_handle(), endpoint.host.c_str());
  }
  stream->set_verify_callback(asio::ssl::host_name_verification(endpoint.host));
  auto [hec] = co_await stream->async_handshake(asio::ssl::stream_base::client, kTuple);
  if (hec) {
    const long verify = SSL_get_verify_result(stream->native_handle());  // NOLINT(google-runtime-int)
    if (verify != X509_V_OK) {
      co_return make_error(ErrorCode::kUnauthenticated,
                           fmt::format("TLS handshake with {}: server certificate rejected: {}", endpoint.to_string(),
                                       X509_verify_cert_error_string(verify)));
    }
    co_return io_error(hec, "TLS handshake with " + endpoint.to_string());
  }
  auto result = std::make_unique<ByteStream>(std::move(endpoint), std::move(stream));
  result->keep_context(std::move(tls));
  co_return result;
}

}  // namespace

std::string Endpoint::to_string() const {
  if (host.find(':') != std::string::npos) return fmt::format("[{}]:{}", host, port);  // IPv6 literal
  return fmt::format("{}:{}", host, port);
}

ByteStream::ByteStream(Endpoint endpoint, Socket socket) : endpoint_(std::move(endpoint)), plain_(std::move(socket)) {}

ByteStream::ByteStream(Endpoint endpoint, std::unique_ptr<TlsSocket> tls)
    : endpoint_(std::move(endpoint)), plain_(tls->get_executor()), tls_(std::move(tls)) {}

asio::awaitable<Result<std::unique_ptr<ByteStream>>> ByteStream::connect(Endpoint endpoint, TlsContextPtr tls,
                                                                         std::chrono::milliseconds timeout) {
  std::string what = (tls ? "TLS connect " : "connect ") + endpoint.to_string();
  // Awaitables are built in their own statements: see "Coroutines and GCC 12" in docs/developing.md.
  auto attempt = connect_and_handshake(std::move(endpoint), std::move(tls));
  auto guarded = with_timeout(std::move(attempt), timeout, std::move(what));
  co_return co_await std::move(guarded);
}

asio::awaitable<Result<size_t>> ByteStream::read_some(asio::mutable_buffer buffer) {
  boost::system::error_code ec;
  size_t n = 0;
  if (tls_) {
    std::tie(ec, n) = co_await tls_->async_read_some(buffer, kTuple);
  } else {
    std::tie(ec, n) = co_await plain_.async_read_some(buffer, kTuple);
  }
  if (ec) {
    if (ec == asio::error::eof || ec == asio::ssl::error::stream_truncated) {
      co_return make_error(ErrorCode::kIo, "read from " + endpoint_.to_string() + ": connection closed by peer");
    }
    co_return io_error(ec, "read from " + endpoint_.to_string());
  }
  co_return n;
}

asio::awaitable<Status> ByteStream::write_all(std::span<const asio::const_buffer> buffers) {
  boost::system::error_code ec;
  size_t n = 0;
  if (tls_) {
    std::tie(ec, n) = co_await asio::async_write(*tls_, buffers, kTuple);
  } else {
    std::tie(ec, n) = co_await asio::async_write(plain_, buffers, kTuple);
  }
  (void)n;
  if (ec) co_return io_error(ec, "write to " + endpoint_.to_string());
  co_return ok_status();
}

asio::awaitable<Status> ByteStream::write_all(asio::const_buffer buffer) {
  co_return co_await write_all(std::span<const asio::const_buffer>(&buffer, 1));
}

void ByteStream::close() {
  boost::system::error_code ignored;
  socket().shutdown(Socket::shutdown_both, ignored);
  socket().close(ignored);
}

bool ByteStream::is_open() const {
  return socket().is_open();
}

std::string ByteStream::alpn_protocol() const {
  if (!tls_) return {};
  const unsigned char* data = nullptr;
  unsigned int len = 0;
  SSL_get0_alpn_selected(tls_->native_handle(), &data, &len);
  return std::string(reinterpret_cast<const char*>(data), len);
}

}  // namespace pk::net
