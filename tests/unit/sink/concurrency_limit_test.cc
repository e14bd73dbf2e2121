#include "sink/concurrency_limit.h"

#include <gtest/gtest.h>

namespace pk::sink {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
const Clock::time_point kStart{};

TEST(ConcurrencyLimit, StartsAtTheMaximumAndStaysThereWhileAnswersComeBack) {
  ConcurrencyLimit limit(24, 6s);
  for (int i = 0; i < 100; ++i) EXPECT_FALSE(limit.on_answer(false, kStart + i * 1ms));
  EXPECT_EQ(limit.limit(), 24u);
}

TEST(ConcurrencyLimit, ABurstOfTimeoutsHalvesItOncePerCooldown) {
  ConcurrencyLimit limit(24, 6s);
  EXPECT_TRUE(limit.on_answer(true, kStart));
  EXPECT_EQ(limit.limit(), 12u);
  // The other requests that were out at the time fail within the request timeout: they count once.
  for (int i = 1; i < 20; ++i) EXPECT_FALSE(limit.on_answer(true, kStart + i * 100ms));
  EXPECT_EQ(limit.limit(), 12u);
  EXPECT_TRUE(limit.on_answer(true, kStart + 6s));
  EXPECT_EQ(limit.limit(), 6u);
  EXPECT_TRUE(limit.on_answer(true, kStart + 12s));
  EXPECT_EQ(limit.limit(), 3u);
  EXPECT_TRUE(limit.on_answer(true, kStart + 18s));
  EXPECT_EQ(limit.limit(), 1u);
  EXPECT_FALSE(limit.on_answer(true, kStart + 60s)) << "never below one";
  EXPECT_EQ(limit.limit(), 1u);
}

TEST(ConcurrencyLimit, GrowsBackByOneForEveryLimitSuccesses) {
  ConcurrencyLimit limit(4, 1s);
  limit.on_answer(true, kStart);
  limit.on_answer(true, kStart + 1s);
  ASSERT_EQ(limit.limit(), 1u);
  limit.on_answer(false, kStart + 2s);  // 1 success at limit 1 -> 2
  EXPECT_EQ(limit.limit(), 2u);
  limit.on_answer(false, kStart + 2s);
  EXPECT_EQ(limit.limit(), 2u);
  limit.on_answer(false, kStart + 2s);  // 2 successes at limit 2 -> 3
  EXPECT_EQ(limit.limit(), 3u);
  for (int i = 0; i < 3; ++i) limit.on_answer(false, kStart + 2s);
  EXPECT_EQ(limit.limit(), 4u);
  for (int i = 0; i < 50; ++i) limit.on_answer(false, kStart + 2s);
  EXPECT_EQ(limit.limit(), 4u) << "never above maxConnections";
}

TEST(ConcurrencyLimit, AFailureResetsTheClimb) {
  ConcurrencyLimit limit(8, 1s);
  limit.on_answer(true, kStart);  // 4
  for (int i = 0; i < 3; ++i) limit.on_answer(false, kStart);
  limit.on_answer(true, kStart + 100ms);  // within the cooldown: no halving, but the 3 successes are forgotten
  EXPECT_EQ(limit.limit(), 4u);
  for (int i = 0; i < 3; ++i) limit.on_answer(false, kStart);
  EXPECT_EQ(limit.limit(), 4u);
  limit.on_answer(false, kStart);
  EXPECT_EQ(limit.limit(), 5u);
}

TEST(ConcurrencyLimit, OnlyOverloadErrorsCount) {
  EXPECT_TRUE(ConcurrencyLimit::means_overload(ErrorCode::kTimeout));
  EXPECT_TRUE(ConcurrencyLimit::means_overload(ErrorCode::kUnavailable));
  EXPECT_TRUE(ConcurrencyLimit::means_overload(ErrorCode::kIo));
  EXPECT_TRUE(ConcurrencyLimit::means_overload(ErrorCode::kThrottled));
  EXPECT_FALSE(ConcurrencyLimit::means_overload(ErrorCode::kInvalidArgument));
  EXPECT_FALSE(ConcurrencyLimit::means_overload(ErrorCode::kNotFound));
  EXPECT_FALSE(ConcurrencyLimit::means_overload(ErrorCode::kPermissionDenied));
}

}  // namespace
}  // namespace pk::sink
