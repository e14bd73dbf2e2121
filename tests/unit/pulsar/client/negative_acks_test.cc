#include "pulsar/client/negative_acks.h"

#include <gtest/gtest.h>

namespace pk::pulsar {
namespace {

using namespace std::chrono_literals;

TEST(NegativeAcks, RedeliveredAfterTheDelayAsEntries) {
  NegativeAckTracker t(1000ms);
  const auto t0 = std::chrono::steady_clock::time_point{} + 1h;
  t.add(MessageId{1, 1, -1, -1, 0}, t0);
  t.add(MessageId{1, 2, -1, 4, 10}, t0 + 100ms);
  t.add(MessageId{1, 2, -1, 5, 10}, t0 + 200ms);  // same entry: once
  EXPECT_EQ(t.size(), 2u);
  EXPECT_EQ(t.next_due(), t0 + 1000ms);
  EXPECT_TRUE(t.take_due(t0 + 999ms).empty());
  auto first = t.take_due(t0 + 1000ms);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].entry, 1);
  auto second = t.take_due(t0 + 5s);
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].entry, 2);
  EXPECT_EQ(second[0].batch_index, -1);
  EXPECT_TRUE(t.empty());
  EXPECT_FALSE(t.next_due());
}

TEST(NegativeAcks, SameEntryOnOtherPartitionsIsDistinct) {
  NegativeAckTracker t(10ms);
  const auto t0 = std::chrono::steady_clock::time_point{} + 1h;
  t.add(MessageId{1, 1, 0, -1, 0}, t0);
  t.add(MessageId{1, 1, 1, -1, 0}, t0);
  EXPECT_EQ(t.take_due(t0 + 10ms).size(), 2u);
}

TEST(NegativeAcks, NackAgainAfterRedeliveryStartsANewDelay) {
  NegativeAckTracker t(10ms);
  const auto t0 = std::chrono::steady_clock::time_point{} + 1h;
  t.add(MessageId{1, 1, -1, -1, 0}, t0);
  EXPECT_EQ(t.take_due(t0 + 10ms).size(), 1u);
  t.add(MessageId{1, 1, -1, -1, 0}, t0 + 20ms);
  EXPECT_EQ(t.next_due(), t0 + 30ms);
  t.clear();
  EXPECT_TRUE(t.empty());
}

}  // namespace
}  // namespace pk::pulsar
