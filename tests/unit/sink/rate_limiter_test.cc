#include "sink/rate_limiter.h"

#include <gtest/gtest.h>

namespace pk::sink {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
const Clock::time_point t0 = Clock::time_point{} + 1000s;

TEST(ShardRateLimiter, AFullBucketHoldsOneSecondOfTheScaledRecordRate) {
  ShardRateLimiter limiter(150, t0);  // 1500 records/s
  int taken = 0;
  while (limiter.try_take(10, t0)) ++taken;
  EXPECT_EQ(taken, 1500);
  EXPECT_FALSE(limiter.try_take(10, t0 + 500us));
  EXPECT_TRUE(limiter.try_take(10, t0 + 1ms));  // 1.5 records per ms
}

TEST(ShardRateLimiter, BytesAreLimitedToo) {
  ShardRateLimiter limiter(100, t0);  // 1 MiB/s
  EXPECT_TRUE(limiter.try_take(600 * 1024, t0));
  EXPECT_FALSE(limiter.try_take(600 * 1024, t0));
  const auto ready = limiter.ready_at(600 * 1024, t0);
  EXPECT_GT(ready, t0 + 150ms);  // 176 KiB missing at 1 MiB/s: about 172 ms
  EXPECT_LT(ready, t0 + 200ms);
  EXPECT_TRUE(limiter.try_take(600 * 1024, ready));
}

TEST(ShardRateLimiter, AnEntryBiggerThanTheBucketGoesWhenTheBucketIsFull) {
  ShardRateLimiter limiter(10, t0);  // 102.4 KB/s
  EXPECT_TRUE(limiter.try_take(1024 * 1024, t0));
  EXPECT_FALSE(limiter.try_take(1, t0 + 1s));  // paid back over ~10 s
  EXPECT_TRUE(limiter.try_take(1, t0 + 11s));
}

TEST(ShardRateLimiter, ThrottlingHalvesTheRateAndQuietSecondsRestoreIt) {
  ShardRateLimiter limiter(100, t0);
  limiter.on_throttled(t0);
  EXPECT_DOUBLE_EQ(limiter.factor(), 0.5);
  EXPECT_FALSE(limiter.try_take(1, t0));  // the bucket was emptied
  limiter.on_throttled(t0 + 10ms);
  EXPECT_DOUBLE_EQ(limiter.factor(), 0.25);
  for (int i = 0; i < 10; ++i) limiter.on_throttled(t0 + 20ms);
  EXPECT_DOUBLE_EQ(limiter.factor(), 0.1);  // the floor
  // A quiet second gives back 10% of the configured rate; rates never pass the configured one.
  EXPECT_TRUE(limiter.try_take(1, t0 + 1020ms));
  EXPECT_NEAR(limiter.factor(), 0.2, 1e-9);
  EXPECT_TRUE(limiter.try_take(1, t0 + 20s));
  EXPECT_DOUBLE_EQ(limiter.factor(), 1.0);
  int taken = 1;
  while (limiter.try_take(1, t0 + 20s)) ++taken;
  EXPECT_LE(taken, 1001);
}

TEST(ShardRateLimiter, ZeroPercentMeansUnlimited) {
  ShardRateLimiter limiter(0, t0);
  for (int i = 0; i < 100000; ++i) ASSERT_TRUE(limiter.try_take(1 << 20, t0));
  EXPECT_EQ(limiter.ready_at(1 << 20, t0), t0);
}

}  // namespace
}  // namespace pk::sink
