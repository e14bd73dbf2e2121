#include "pulsar/client/batch_container.h"

#include <gtest/gtest.h>

namespace pk::pulsar {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

std::vector<std::vector<int>> drain(BatchContainer<int>& c) {
  std::vector<std::vector<int>> out;
  c.drain([&](std::span<int> group) { out.emplace_back(group.begin(), group.end()); });
  return out;
}

TEST(BatchContainer, ClosesAtMaxMessages) {
  BatchContainer<int> c(BatchLimits{3, 1 << 20, 10ms}, false);
  const auto now = Clock::now();
  EXPECT_FALSE(c.add(1, "", 10, now));
  EXPECT_FALSE(c.add(2, "", 10, now));
  EXPECT_TRUE(c.add(3, "", 10, now));
  EXPECT_FALSE(c.fits(10));
  EXPECT_EQ(drain(c), (std::vector<std::vector<int>>{{1, 2, 3}}));
  EXPECT_TRUE(c.empty());
  EXPECT_TRUE(c.fits(10));
}

TEST(BatchContainer, ClosesBeforePassingMaxBytes) {
  BatchContainer<int> c(BatchLimits{100, 100, 10ms}, false);
  const auto now = Clock::now();
  EXPECT_FALSE(c.add(1, "", 60, now));
  EXPECT_FALSE(c.fits(50));  // 110 > 100: the caller drains first
  EXPECT_TRUE(c.fits(40));
  EXPECT_TRUE(c.add(2, "", 40, now));  // exactly full
  EXPECT_EQ(c.bytes(), 100u);
}

TEST(BatchContainer, OversizedMessageTravelsAlone) {
  BatchContainer<int> c(BatchLimits{100, 100, 10ms}, false);
  EXPECT_TRUE(c.fits(1000));
  EXPECT_TRUE(c.add(1, "", 1000, Clock::now()));
  EXPECT_FALSE(c.fits(1));
}

TEST(BatchContainer, DeadlineFromFirstMessage) {
  BatchContainer<int> c(BatchLimits{100, 1 << 20, 10ms}, false);
  const auto t0 = Clock::now();
  (void)c.add(1, "", 1, t0);
  (void)c.add(2, "", 1, t0 + 5ms);
  EXPECT_EQ(c.deadline(), t0 + 10ms);
  (void)drain(c);
  (void)c.add(3, "", 1, t0 + 20ms);
  EXPECT_EQ(c.deadline(), t0 + 30ms);
}

TEST(BatchContainer, KeyModeGroupsByKeyInFirstSeenOrder) {
  BatchContainer<int> c(BatchLimits{100, 1 << 20, 10ms}, true);
  const auto now = Clock::now();
  (void)c.add(1, "b", 1, now);
  (void)c.add(2, "a", 1, now);
  (void)c.add(3, "b", 1, now);
  (void)c.add(4, "", 1, now);
  (void)c.add(5, "a", 1, now);
  EXPECT_EQ(c.count(), 5u);
  EXPECT_EQ(drain(c), (std::vector<std::vector<int>>{{1, 3}, {2, 5}, {4}}));
  // Buffers are reused and keys reassigned on the next round.
  (void)c.add(6, "c", 1, now);
  (void)c.add(7, "b", 1, now);
  (void)c.add(8, "c", 1, now);
  EXPECT_EQ(drain(c), (std::vector<std::vector<int>>{{6, 8}, {7}}));
}

TEST(BatchContainer, PlainModeIgnoresKeys) {
  BatchContainer<int> c(BatchLimits{100, 1 << 20, 10ms}, false);
  const auto now = Clock::now();
  (void)c.add(1, "b", 1, now);
  (void)c.add(2, "a", 1, now);
  EXPECT_EQ(drain(c), (std::vector<std::vector<int>>{{1, 2}}));
}

TEST(BatchContainer, CapBytesFromBroker) {
  BatchContainer<int> c(BatchLimits{100, 128 * 1024, 10ms}, false);
  c.cap_bytes(1000);
  EXPECT_EQ(c.limits().max_bytes, 1000u);
  c.cap_bytes(1 << 30);
  EXPECT_EQ(c.limits().max_bytes, 1000u);
}

}  // namespace
}  // namespace pk::pulsar
