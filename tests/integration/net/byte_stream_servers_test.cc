// ByteStream against the real servers' TLS ports: the broker's and kinesis-mock's certificates (signed by the
// test CA) verify, ALPN negotiates h2 with kinesis-mock, and an untrusting context is refused.

#include <gtest/gtest.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include "net/byte_stream.h"
#include "support/server_env.h"

namespace pk::net {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

// The stream keeps using the loop it was made on until it is destroyed, so the loop outlives every test.
Result<std::unique_ptr<ByteStream>> connect_blocking(const std::string& url, TlsContextPtr tls) {
  const auto hp = pk::testing::host_port_of(url);
  static auto* loop = new asio::io_context();
  asio::io_context& io = *loop;
  io.restart();
  std::optional<Result<std::unique_ptr<ByteStream>>> out;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        auto connecting = ByteStream::connect(Endpoint{hp.host, hp.port}, tls, 10s);
        out = co_await std::move(connecting);
      },
      asio::detached);
  io.run();
  return std::move(*out);
}

TlsContextPtr context(const std::string& ca, std::vector<std::string> alpn = {}) {
  TlsOptions o;
  o.ca_file = ca;
  o.alpn = std::move(alpn);
  return make_tls_context(o).value();
}

TEST(ByteStreamServers, PulsarTlsPortVerifiesWithTheTestCa) {
  auto s = connect_blocking(pk::testing::server_env("PK_PULSAR_TLS_URL"),
                            context(pk::testing::server_env("PK_TLS_CA_FILE")));
  ASSERT_TRUE(s.ok()) << s.error().to_string();
  EXPECT_TRUE((*s)->is_tls());
}

TEST(ByteStreamServers, KinesisMockNegotiatesHttp2) {
  auto s = connect_blocking(pk::testing::server_env("PK_KINESIS_ENDPOINT"),
                            context(pk::testing::server_env("PK_TLS_CA_FILE"), {"h2", "http/1.1"}));
  ASSERT_TRUE(s.ok()) << s.error().to_string();
  EXPECT_EQ((*s)->alpn_protocol(), "h2");
}

TEST(ByteStreamServers, SystemTrustStoreDoesNotTrustTheTestCa) {
  auto s = connect_blocking(pk::testing::server_env("PK_PULSAR_TLS_URL"), make_tls_context(TlsOptions{}).value());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kUnauthenticated) << s.error().to_string();
}

TEST(ByteStreamServers, PlainBrokerPort) {
  auto s = connect_blocking(pk::testing::server_env("PK_PULSAR_URL"), nullptr);
  ASSERT_TRUE(s.ok()) << s.error().to_string();
  EXPECT_FALSE((*s)->is_tls());
}

}  // namespace
}  // namespace pk::net
