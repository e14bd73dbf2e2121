#include "pulsar/client/flow_control.h"

#include <gtest/gtest.h>

namespace pk::pulsar {
namespace {

TEST(FlowControl, GrantsTheWholeQueueOnSubscribe) {
  FlowControl f(1000);
  EXPECT_EQ(f.on_subscribed(), 1000u);
}

TEST(FlowControl, RefillsAtHalfTheQueue) {
  FlowControl f(10);
  (void)f.on_subscribed();
  for (int i = 0; i < 4; ++i) EXPECT_EQ(f.on_consumed(), 0u);
  EXPECT_EQ(f.on_consumed(), 5u);
  EXPECT_EQ(f.pending_refill(), 0u);
  EXPECT_EQ(f.on_consumed(3), 0u);
  EXPECT_EQ(f.on_consumed(4), 7u);  // a batch of several skipped messages counts them all
}

TEST(FlowControl, ResubscribeForgetsPartialRefill) {
  FlowControl f(10);
  (void)f.on_subscribed();
  EXPECT_EQ(f.on_consumed(3), 0u);
  EXPECT_EQ(f.on_subscribed(), 10u);
  EXPECT_EQ(f.pending_refill(), 0u);
}

TEST(FlowControl, QueueOfOneRefillsEveryMessage) {
  FlowControl f(1);
  EXPECT_EQ(f.on_subscribed(), 1u);
  EXPECT_EQ(f.on_consumed(), 1u);
  FlowControl zero(0);  // treated as 1
  EXPECT_EQ(zero.queue_size(), 1u);
}

}  // namespace
}  // namespace pk::pulsar
