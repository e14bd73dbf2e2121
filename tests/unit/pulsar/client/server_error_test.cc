#include "pulsar/client/server_error.h"

#include <gtest/gtest.h>

namespace pk::pulsar {
namespace {

TEST(ServerError, RetryableAndFatalAsTheSpecSays) {
  for (int retry : {0, 1, 2, 6, 7, 14}) {
    EXPECT_TRUE(server_error(retry, "m", "op").retryable()) << server_error_name(retry);
  }
  for (int fatal : {3, 4, 15, 17, 18, 22, 25}) {
    EXPECT_FALSE(server_error(fatal, "m", "op").retryable()) << server_error_name(fatal);
  }
}

TEST(ServerError, CarriesTheBrokerNameAndMessage) {
  const Error e = server_error(11, "Topic persistent://public/default/x not found", "lookup x");
  EXPECT_EQ(e.type, "TopicNotFound");
  EXPECT_EQ(e.code, ErrorCode::kNotFound);
  EXPECT_EQ(e.message, "lookup x: broker error TopicNotFound: Topic persistent://public/default/x not found");
  EXPECT_EQ(server_error(3, "", "connect").code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(server_error(4, "", "connect").code, ErrorCode::kPermissionDenied);
}

TEST(ServerError, EveryKnownCodeHasAName) {
  for (int i = 0; i <= 25; ++i) EXPECT_NE(server_error_name(i), "ServerError") << i;
}

TEST(ServerError, UnknownCodesAreRetriedAndNamed) {
  const Error e = server_error(99, "new", "op");
  EXPECT_TRUE(e.retryable());
  EXPECT_EQ(e.type, "ServerError(99)");
  EXPECT_FALSE(server_error(-1, "", "op").type.empty());
}

}  // namespace
}  // namespace pk::pulsar
