#include "common/backoff.h"

#include <set>

#include <gtest/gtest.h>

namespace pk {
namespace {

using std::chrono::milliseconds;

TEST(Backoff, CeilingDoublesUpToTheCap) {
  Backoff b(milliseconds(100), milliseconds(1000), 1);
  EXPECT_EQ(b.ceiling(), milliseconds(100));
  (void)b.next();
  EXPECT_EQ(b.ceiling(), milliseconds(200));
  (void)b.next();
  EXPECT_EQ(b.ceiling(), milliseconds(400));
  (void)b.next();
  EXPECT_EQ(b.ceiling(), milliseconds(800));
  (void)b.next();
  EXPECT_EQ(b.ceiling(), milliseconds(1000));
  for (int i = 0; i < 100; ++i) (void)b.next();
  EXPECT_EQ(b.ceiling(), milliseconds(1000));
}

TEST(Backoff, DelaysStayWithinFloorAndCeilingAndAreJittered) {
  Backoff b(milliseconds(100), milliseconds(60000), 3);
  std::set<int64_t> seen;
  for (int i = 0; i < 40; ++i) {
    const auto ceiling = b.ceiling();
    const auto d = b.next();
    EXPECT_GE(d, milliseconds(50));
    EXPECT_LE(d, ceiling);
    seen.insert(d.count());
  }
  EXPECT_GT(seen.size(), 10u) << "delays should vary (jitter)";
}

TEST(Backoff, ResetStartsOver) {
  Backoff b(milliseconds(10), milliseconds(100), 5);
  for (int i = 0; i < 5; ++i) (void)b.next();
  b.reset();
  EXPECT_EQ(b.attempts(), 0);
  EXPECT_LE(b.next(), milliseconds(10));
}

TEST(Backoff, MillisecondsNotMicroseconds) {
  // The upstream connector scheduled retries 1000x too fast; ours waits the configured milliseconds.
  Backoff b(milliseconds(100), milliseconds(60000), 9);
  EXPECT_GE(b.next().count(), 50);
}

}  // namespace
}  // namespace pk
