#include "net/byte_stream.h"

#include <openssl/ssl.h>

#include <gtest/gtest.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include "support/async_test.h"
#include "test_certs.h"

namespace pk::net {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using namespace std::chrono_literals;
using pk::testing::run_on;

// A one-connection server on 127.0.0.1 that echoes what it reads. Modes: plain, TLS, or "silent" (accepts TCP
// and never answers, to exercise handshake timeouts).
class EchoServer {
 public:
  enum class Mode { kPlain, kTls, kSilent };
  EchoServer(asio::io_context& io, Mode mode, const pk::testing::TestCertificates* certs = nullptr)
      : acceptor_(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)),
        mode_(mode),
        ctx_(asio::ssl::context::tls_server) {
    if (certs != nullptr) {
      ctx_.use_certificate_chain_file(certs->server_cert);
      ctx_.use_private_key_file(certs->server_key, asio::ssl::context::pem);
      // Select h2 when the client offers it.
      SSL_CTX_set_alpn_select_cb(
          ctx_.native_handle(),
          [](SSL*, const unsigned char** out, unsigned char* outlen, const unsigned char* in, unsigned int inlen,
             void*) -> int {
            static const unsigned char kH2[] = {'h', '2'};
            for (unsigned i = 0; i < inlen; i += 1 + in[i]) {
              if (in[i] == 2 && in[i + 1] == 'h' && in[i + 2] == '2') {
                *out = kH2;
                *outlen = 2;
                return SSL_TLSEXT_ERR_OK;
              }
            }
            return SSL_TLSEXT_ERR_NOACK;
          },
          nullptr);
    }
    asio::co_spawn(io, serve(), asio::detached);
  }
  uint16_t port() const { return acceptor_.local_endpoint().port(); }

 private:
  asio::awaitable<void> serve() {
    auto [ec, socket] = co_await acceptor_.async_accept(asio::as_tuple(asio::use_awaitable));
    if (ec) co_return;
    if (mode_ == Mode::kSilent) {
      held_ = std::make_unique<tcp::socket>(std::move(socket));
      co_return;
    }
    char buf[1024];
    if (mode_ == Mode::kPlain) {
      for (;;) {
        auto [rec, n] = co_await socket.async_read_some(asio::buffer(buf), asio::as_tuple(asio::use_awaitable));
        if (rec) co_return;
        co_await asio::async_write(socket, asio::buffer(buf, n), asio::as_tuple(asio::use_awaitable));
      }
    }
    asio::ssl::stream<tcp::socket> tls(std::move(socket), ctx_);
    auto [hec] = co_await tls.async_handshake(asio::ssl::stream_base::server, asio::as_tuple(asio::use_awaitable));
    if (hec) co_return;
    for (;;) {
      auto [rec, n] = co_await tls.async_read_some(asio::buffer(buf), asio::as_tuple(asio::use_awaitable));
      if (rec) co_return;
      co_await asio::async_write(tls, asio::buffer(buf, n), asio::as_tuple(asio::use_awaitable));
    }
  }

  tcp::acceptor acceptor_;
  Mode mode_;
  asio::ssl::context ctx_;
  std::unique_ptr<tcp::socket> held_;
};

asio::awaitable<std::string> echo_once(ByteStream& s, const std::string& msg) {
  auto w = co_await s.write_all(asio::buffer(msg));
  EXPECT_TRUE(w.ok());
  std::string got;
  char buf[256];
  while (got.size() < msg.size()) {
    auto n = co_await s.read_some(asio::buffer(buf));
    if (!n.ok()) break;
    got.append(buf, *n);
  }
  co_return got;
}

TlsContextPtr context(const std::string& ca, bool verify = true, std::vector<std::string> alpn = {}) {
  TlsOptions o;
  o.ca_file = ca;
  o.verify_peer = verify;
  o.alpn = std::move(alpn);
  return make_tls_context(o).value();
}

TEST(ByteStream, PlainEcho) {
  asio::io_context io;
  EchoServer server(io, EchoServer::Mode::kPlain);
  run_on(io, [&]() -> asio::awaitable<void> {
    auto connecting = ByteStream::connect(Endpoint{"127.0.0.1", server.port()}, nullptr, 5s);
    auto s = co_await std::move(connecting);
    PK_CO_ASSERT_OK(s);
    EXPECT_FALSE((*s)->is_tls());
    const std::string message = "hello pulsar";
    const std::string echoed = co_await echo_once(**s, message);
    EXPECT_EQ(echoed, "hello pulsar");
  });
}

TEST(ByteStream, TlsVerifiedEchoWithAlpn) {
  const auto certs = pk::testing::make_test_certificates({"localhost", "127.0.0.1"});
  asio::io_context io;
  EchoServer server(io, EchoServer::Mode::kTls, &certs);
  const auto tls = context(certs.ca_file, true, {"h2", "http/1.1"});
  run_on(io, [&]() -> asio::awaitable<void> {
    auto connecting = ByteStream::connect(Endpoint{"127.0.0.1", server.port()}, tls, 5s);
    auto s = co_await std::move(connecting);
    PK_CO_ASSERT_OK(s);
    EXPECT_TRUE((*s)->is_tls());
    EXPECT_EQ((*s)->alpn_protocol(), "h2");
    const std::string message = "over tls";
    const std::string echoed = co_await echo_once(**s, message);
    EXPECT_EQ(echoed, "over tls");
  });
}

TEST(ByteStream, UntrustedCertificateIsRejected) {
  const auto certs = pk::testing::make_test_certificates();
  asio::io_context io;
  EchoServer server(io, EchoServer::Mode::kTls, &certs);
  run_on(io, [&]() -> asio::awaitable<void> {
    auto connecting = ByteStream::connect(Endpoint{"127.0.0.1", server.port()}, context(certs.other_ca_file), 5s);
    auto s = co_await std::move(connecting);
    EXPECT_FALSE(s.ok());
    if (s.ok()) co_return;
    EXPECT_EQ(s.error().code, ErrorCode::kUnauthenticated) << s.error().to_string();
    EXPECT_NE(s.error().message.find("127.0.0.1"), std::string::npos) << s.error().message;
  });
}

TEST(ByteStream, HostNameMismatchIsRejectedUnlessVerificationIsOff) {
  const auto certs = pk::testing::make_test_certificates({"only-this-name.example"});
  asio::io_context io;
  EchoServer server(io, EchoServer::Mode::kTls, &certs);
  run_on(io, [&]() -> asio::awaitable<void> {
    auto connecting = ByteStream::connect(Endpoint{"127.0.0.1", server.port()}, context(certs.ca_file), 5s);
    auto s = co_await std::move(connecting);
    EXPECT_FALSE(s.ok());
    if (!s.ok()) {
      EXPECT_EQ(s.error().code, ErrorCode::kUnauthenticated) << s.error().to_string();
    }
  });
  asio::io_context io2;
  EchoServer server2(io2, EchoServer::Mode::kTls, &certs);
  run_on(io2, [&]() -> asio::awaitable<void> {
    auto connecting =
        ByteStream::connect(Endpoint{"127.0.0.1", server2.port()}, context(certs.ca_file, /*verify=*/false), 5s);
    auto s = co_await std::move(connecting);
    EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().to_string());
  });
}

TEST(ByteStream, HandshakeTimesOutAgainstASilentServer) {
  const auto certs = pk::testing::make_test_certificates();
  asio::io_context io;
  EchoServer server(io, EchoServer::Mode::kSilent);
  run_on(io, [&]() -> asio::awaitable<void> {
    auto connecting = ByteStream::connect(Endpoint{"127.0.0.1", server.port()}, context(certs.ca_file), 200ms);
    auto s = co_await std::move(connecting);
    EXPECT_FALSE(s.ok());
    if (!s.ok()) {
      EXPECT_EQ(s.error().code, ErrorCode::kTimeout) << s.error().to_string();
    }
  });
}

TEST(ByteStream, RefusedConnectionIsUnavailable) {
  asio::io_context io;
  uint16_t port;
  {
    tcp::acceptor a(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    port = a.local_endpoint().port();
  }  // closed again: nothing listens there now
  run_on(io, [&]() -> asio::awaitable<void> {
    auto connecting = ByteStream::connect(Endpoint{"127.0.0.1", port}, nullptr, 5s);
    auto s = co_await std::move(connecting);
    EXPECT_FALSE(s.ok());
    if (!s.ok()) {
      EXPECT_EQ(s.error().code, ErrorCode::kUnavailable) << s.error().to_string();
    }
  });
}

TEST(ByteStream, PeerCloseIsReportedAsConnectionClosed) {
  asio::io_context io;
  tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        auto socket = co_await acceptor.async_accept(asio::use_awaitable);
        socket.close();
      },
      asio::detached);
  run_on(io, [&]() -> asio::awaitable<void> {
    auto connecting = ByteStream::connect(Endpoint{"127.0.0.1", acceptor.local_endpoint().port()}, nullptr, 5s);
    auto s = co_await std::move(connecting);
    PK_CO_ASSERT_OK(s);
    char buf[16];
    auto n = co_await (*s)->read_some(asio::buffer(buf));
    EXPECT_FALSE(n.ok());
    if (!n.ok()) {
      EXPECT_NE(n.error().message.find("closed"), std::string::npos) << n.error().message;
    }
  });
}

}  // namespace
}  // namespace pk::net
