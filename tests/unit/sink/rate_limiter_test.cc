#include "sink/rate_limiter.h"

#include "unit/sink/test_records.h"

#include <gtest/gtest.h>

namespace pk::sink {
namespace {

using testing::kT0;
using namespace std::chrono_literals;

TEST(ShardRateLimiter, AFullBucketHoldsOneSecondOfTheScaledRecordRate) {
  ShardRateLimiter limiter(150, kT0);  // 1500 records/s
  int taken = 0;
  while (limiter.try_take(10, kT0)) ++taken;
  EXPECT_EQ(taken, 1500);
  EXPECT_FALSE(limiter.try_take(10, kT0 + 500us));
  EXPECT_TRUE(limiter.try_take(10, kT0 + 1ms));  // 1.5 records per ms
}

TEST(ShardRateLimiter, BytesAreLimitedToo) {
  ShardRateLimiter limiter(100, kT0);  // 1 MiB/s
  EXPECT_TRUE(limiter.try_take(600 * 1024, kT0));
  EXPECT_FALSE(limiter.try_take(600 * 1024, kT0));
  const auto ready = limiter.ready_at(600 * 1024, kT0);
  EXPECT_GT(ready, kT0 + 150ms);  // 176 KiB missing at 1 MiB/s: about 172 ms
  EXPECT_LT(ready, kT0 + 200ms);
  EXPECT_TRUE(limiter.try_take(600 * 1024, ready));
}

TEST(ShardRateLimiter, AnEntryBiggerThanTheBucketGoesWhenTheBucketIsFull) {
  ShardRateLimiter limiter(10, kT0);  // 102.4 KB/s
  EXPECT_TRUE(limiter.try_take(1024 * 1024, kT0));
  EXPECT_FALSE(limiter.try_take(1, kT0 + 1s));  // paid back over ~10 s
  EXPECT_TRUE(limiter.try_take(1, kT0 + 11s));
}

TEST(ShardRateLimiter, ThrottlingHalvesTheRateAndQuietSecondsRestoreIt) {
  ShardRateLimiter limiter(100, kT0);
  limiter.on_throttled(kT0);
  EXPECT_DOUBLE_EQ(limiter.factor(), 0.5);
  EXPECT_FALSE(limiter.try_take(1, kT0));  // the bucket was emptied
  limiter.on_throttled(kT0 + 10ms);
  EXPECT_DOUBLE_EQ(limiter.factor(), 0.25);
  for (int i = 0; i < 10; ++i) limiter.on_throttled(kT0 + 20ms);
  EXPECT_DOUBLE_EQ(limiter.factor(), 0.1);  // the floor
  // A quiet second gives back 10% of the configured rate; rates never pass the configured one.
  EXPECT_TRUE(limiter.try_take(1, kT0 + 1020ms));
  EXPECT_NEAR(limiter.factor(), 0.2, 1e-9);
  EXPECT_TRUE(limiter.try_take(1, kT0 + 20s));
  EXPECT_DOUBLE_EQ(limiter.factor(), 1.0);
  int taken = 1;
  while (limiter.try_take(1, kT0 + 20s)) ++taken;
  EXPECT_LE(taken, 1001);
}

TEST(ShardRateLimiter, ZeroPercentMeansUnlimited) {
  ShardRateLimiter limiter(0, kT0);
  for (int i = 0; i < 100000; ++i) ASSERT_TRUE(limiter.try_take(1 << 20, kT0));
  EXPECT_EQ(limiter.ready_at(1 << 20, kT0), kT0);
}

}  // namespace
}  // namespace pk::sink
