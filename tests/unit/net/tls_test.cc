#include "net/tls.h"

#include <gtest/gtest.h>

#include "test_certs.h"

namespace pk::net {
namespace {

TEST(TlsContext, DefaultsToVerifyingWithTheSystemTrustStore) {
  auto ctx = make_tls_context(TlsOptions{});
  ASSERT_TRUE(ctx.ok()) << ctx.error().to_string();
}

TEST(TlsContext, MissingCaFileIsNamedInTheError) {
  TlsOptions o;
  o.ca_file = "/nonexistent/ca.pem";
  auto ctx = make_tls_context(o);
  ASSERT_FALSE(ctx.ok());
  EXPECT_EQ(ctx.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(ctx.error().message.find("/nonexistent/ca.pem"), std::string::npos) << ctx.error().message;
}

TEST(TlsContext, ClientCertificateNeedsItsKey) {
  const auto certs = pk::testing::make_test_certificates();
  TlsOptions o;
  o.cert_file = certs.server_cert;
  EXPECT_FALSE(make_tls_context(o).ok());
  o.key_file = certs.server_key;
  EXPECT_TRUE(make_tls_context(o).ok());
  o.key_file = "/nonexistent/key.pem";
  auto bad = make_tls_context(o);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("/nonexistent/key.pem"), std::string::npos);
}

}  // namespace
}  // namespace pk::net
