#include "common/log.h"

#include <gtest/gtest.h>

namespace pk {
namespace {

TEST(Redact, NeverShowsMoreThanTheLastFourCharacters) {
  EXPECT_EQ(redact("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"), "****EKEY");
  EXPECT_EQ(redact("short"), "****");
  EXPECT_EQ(redact(""), "****");
}

TEST(Logger, OneLoggerPerModule) {
  EXPECT_EQ(logger("test-module").get(), logger("test-module").get());
  EXPECT_NE(logger("test-module").get(), logger("other-module").get());
}

TEST(Logger, LevelNames) {
  EXPECT_TRUE(set_log_level("debug"));
  EXPECT_TRUE(set_log_level("off"));
  EXPECT_FALSE(set_log_level("loud"));
  EXPECT_TRUE(set_log_level("info"));
}

}  // namespace
}  // namespace pk
