#include "pulsar/client/auth.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

namespace pk::pulsar {
namespace {

constexpr const char* kToken = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjbGllbnQifQ.c2lnbmF0dXJlLXNlY3JldA";

std::string temp_file(const std::string& content) {
  auto path = std::filesystem::temp_directory_path() /
              ("pk-token-" + std::to_string(::getpid()) + "-" + std::to_string(std::rand()));
  std::ofstream(path) << content;
  return path.string();
}

TEST(Auth, NoAuthSendsNothing) {
  auto a = make_authentication("", "");
  ASSERT_TRUE(a.ok());
  EXPECT_TRUE((*a)->method().empty());
}

TEST(Auth, InlineAndBareToken) {
  auto inline_token = make_token_auth(std::string("token:") + kToken);
  ASSERT_TRUE(inline_token.ok());
  EXPECT_EQ((*inline_token)->method(), "token");
  EXPECT_EQ((*inline_token)->auth_data().value(), kToken);
  auto bare = make_authentication("org.apache.pulsar.client.impl.auth.AuthenticationToken", kToken);
  ASSERT_TRUE(bare.ok());
  EXPECT_EQ((*bare)->auth_data().value(), kToken);
}

TEST(Auth, FileTokenIsReadEachTimeAndTrimmed) {
  const std::string path = temp_file(std::string(kToken) + "\n");
  for (const std::string& params : {"file:" + path, "file://" + path}) {
    auto a = make_token_auth(params);
    ASSERT_TRUE(a.ok()) << a.error().to_string();
    EXPECT_EQ((*a)->auth_data().value(), kToken);
  }
  auto a = make_token_auth("file:" + path);
  ASSERT_TRUE(a.ok());
  std::ofstream(path) << "rotated.token.value";  // a refresh picks up the new token
  EXPECT_EQ((*a)->auth_data().value(), "rotated.token.value");
  std::filesystem::remove(path);
  auto gone = (*a)->auth_data();
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.error().code, ErrorCode::kUnauthenticated);
  EXPECT_NE(gone.error().message.find(path), std::string::npos);
}

TEST(Auth, EnvToken) {
  ::setenv("PK_TEST_PULSAR_TOKEN", kToken, 1);
  auto a = make_token_auth("env:PK_TEST_PULSAR_TOKEN");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ((*a)->auth_data().value(), kToken);
  ::unsetenv("PK_TEST_PULSAR_TOKEN");
  auto missing = make_token_auth("env:PK_TEST_PULSAR_TOKEN");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("PK_TEST_PULSAR_TOKEN"), std::string::npos);
}

TEST(Auth, BadParamsAreRefusedWithoutLeakingSecrets) {
  EXPECT_FALSE(make_token_auth("").ok());
  EXPECT_FALSE(make_token_auth("token:").ok());
  EXPECT_FALSE(make_token_auth("file:").ok());
  EXPECT_FALSE(make_token_auth("file:/nonexistent/pk/token").ok());
  auto spaced = make_token_auth("secret value with spaces");
  ASSERT_FALSE(spaced.ok());
  EXPECT_EQ(spaced.error().message.find("secret"), std::string::npos) << spaced.error().message;
  auto plugin = make_authentication("org.apache.pulsar.client.impl.auth.AuthenticationTls", "x");
  ASSERT_FALSE(plugin.ok());
  EXPECT_EQ(plugin.error().code, ErrorCode::kUnsupported);
}

}  // namespace
}  // namespace pk::pulsar
