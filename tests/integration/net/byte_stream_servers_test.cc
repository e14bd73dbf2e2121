// ByteStream against the real servers' TLS ports: the broker's and kinesis-mock's certificates (signed by the
// test CA) verify, ALPN negotiates h2 with kinesis-mock, and an untrusting context is refused.

#include <gtest/gtest.h>

#include "net/byte_stream.h"
#include "support/async_test.h"
#include "support/server_env.h"

namespace pk::net {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

// On pk::testing::coroutine_loop(), which outlives every test (a stream keeps using its loop until destroyed).
Result<std::unique_ptr<ByteStream>> connect_blocking(const std::string& url, TlsContextPtr tls) {
  const auto hp = pk::testing::host_port_of(url);
  return pk::testing::run_coroutine<Result<std::unique_ptr<ByteStream>>>([&] {
    return ByteStream::connect(Endpoint{hp.host, hp.port}, tls, 10s);
  });
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
