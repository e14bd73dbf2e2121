#include "config/problems.h"

#include <gtest/gtest.h>

namespace pk::config {
namespace {

TEST(ClosestKey, FindsPlausibleTypos) {
  const std::vector<std::string_view> keys = {"awsRegion", "awsEndpoint", "recordTtl", "rateLimit", "inputs"};
  EXPECT_EQ(closest_key("awsRegin", keys), "awsRegion");   // a letter missing
  EXPECT_EQ(closest_key("awsReigon", keys), "awsRegion");  // two letters swapped
  EXPECT_EQ(closest_key("AwsRegion", keys), "awsRegion");  // case only
  EXPECT_EQ(closest_key("recordTTL", keys), "recordTtl");
  EXPECT_EQ(closest_key("inptus", keys), "inputs");
  EXPECT_EQ(closest_key("awsEndpiont", keys), "awsEndpoint");
  EXPECT_EQ(closest_key("somethingElse", keys), "");  // nothing close
  EXPECT_EQ(closest_key("x", keys), "");
}

TEST(Problems, RenderOnePerLine) {
  Problems p;
  p.add("configs.rateLimit", "-1 is out of range (allowed: at least 1)");
  p.add("", "a run file needs at least one of sinks, sources");
  EXPECT_EQ(p.to_string(),
            "configs.rateLimit: -1 is out of range (allowed: at least 1)\n"
            "a run file needs at least one of sinks, sources\n");
  EXPECT_EQ(join_path("", "a"), "a");
  EXPECT_EQ(join_path("sinks[0].configs", "a"), "sinks[0].configs.a");
}

}  // namespace
}  // namespace pk::config
