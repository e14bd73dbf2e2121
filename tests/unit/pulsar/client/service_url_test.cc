#include "pulsar/client/service_url.h"

#include <gtest/gtest.h>

namespace pk::pulsar {
namespace {

TEST(ServiceUrl, PlainWithPort) {
  auto u = parse_service_url("pulsar://127.0.0.1:6650");
  ASSERT_TRUE(u.ok()) << u.error().to_string();
  EXPECT_FALSE(u->tls);
  ASSERT_EQ(u->hosts.size(), 1u);
  EXPECT_EQ(u->hosts[0].host, "127.0.0.1");
  EXPECT_EQ(u->hosts[0].port, 6650);
  EXPECT_EQ(u->to_string(), "pulsar://127.0.0.1:6650");
}

TEST(ServiceUrl, DefaultPortsAndTrailingSlash) {
  auto plain = parse_service_url("pulsar://broker.example.com/");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->hosts[0].port, kDefaultPort);
  auto tls = parse_service_url("pulsar+ssl://broker.example.com");
  ASSERT_TRUE(tls.ok());
  EXPECT_TRUE(tls->tls);
  EXPECT_EQ(tls->hosts[0].port, kDefaultTlsPort);
  EXPECT_EQ(tls->host_url(0), "pulsar+ssl://broker.example.com:6651");
}

TEST(ServiceUrl, MultipleHosts) {
  auto u = parse_service_url("pulsar://h1:6650,h2:6660,h3");
  ASSERT_TRUE(u.ok());
  ASSERT_EQ(u->hosts.size(), 3u);
  EXPECT_EQ(u->hosts[1].host, "h2");
  EXPECT_EQ(u->hosts[1].port, 6660);
  EXPECT_EQ(u->hosts[2].port, 6650);
  EXPECT_EQ(u->host_url(1), "pulsar://h2:6660");
}

TEST(ServiceUrl, Ipv6Literal) {
  auto u = parse_service_url("pulsar://[::1]:7000");
  ASSERT_TRUE(u.ok()) << u.error().to_string();
  EXPECT_EQ(u->hosts[0].host, "::1");
  EXPECT_EQ(u->hosts[0].port, 7000);
  EXPECT_EQ(u->to_string(), "pulsar://[::1]:7000");
}

TEST(ServiceUrl, BadUrlsNameTheProblem) {
  struct Case {
    const char* url;
    const char* says;
  };
  const Case cases[] = {
      {"127.0.0.1:6650", "missing scheme"},
      {"kafka://h:1", "unknown scheme 'kafka'"},
      {"http://h:8080", "HTTP lookup is not supported"},
      {"pulsar://", "no host"},
      {"pulsar://h:0", "bad port '0'"},
      {"pulsar://h:65536", "bad port '65536'"},
      {"pulsar://h:12x", "bad port '12x'"},
      {"pulsar://h1:1,,h2:2", "empty host"},
      {"pulsar://h/path", "no path"},
      {"pulsar://user@h:1", "user info"},
      {"pulsar://h o:1", "bad character ' '"},
      {"pulsar://[::1:1", "unterminated '['"},
  };
  for (const auto& c : cases) {
    auto u = parse_service_url(c.url);
    ASSERT_FALSE(u.ok()) << c.url;
    EXPECT_EQ(u.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(u.error().message.find(c.says), std::string::npos) << c.url << ": " << u.error().message;
    EXPECT_NE(u.error().message.find(c.url), std::string::npos) << "names the URL: " << u.error().message;
  }
}

TEST(ServiceUrl, BrokerUrlIsOneHost) {
  bool tls = false;
  auto ep = parse_broker_url("pulsar+ssl://10.0.0.2:6651", &tls);
  ASSERT_TRUE(ep.ok());
  EXPECT_TRUE(tls);
  EXPECT_EQ(ep->host, "10.0.0.2");
  EXPECT_FALSE(parse_broker_url("pulsar://a:1,b:2").ok());
}

}  // namespace
}  // namespace pk::pulsar
