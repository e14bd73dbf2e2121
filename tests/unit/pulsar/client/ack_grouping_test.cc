#include "pulsar/client/ack_grouping.h"

#include <gtest/gtest.h>

namespace pk::pulsar {
namespace {

using namespace std::chrono_literals;

MessageId id(int64_t ledger, int64_t entry, int32_t batch_index = -1) {
  return MessageId{ledger, entry, -1, batch_index, batch_index >= 0 ? 10 : 0};
}

TEST(AckGrouping, GroupsUntilMaxIds) {
  AckGroupingTracker t(100ms, 3);
  EXPECT_FALSE(t.add_individual(id(1, 1)));
  EXPECT_FALSE(t.add_individual(id(1, 2)));
  EXPECT_FALSE(t.add_individual(id(1, 2))) << "the same entry twice counts once";
  EXPECT_TRUE(t.add_individual(id(1, 3)));
  auto p = t.take();
  ASSERT_EQ(p.individual.size(), 3u);
  EXPECT_EQ(p.individual[0].id.entry, 1);
  EXPECT_EQ(p.individual[2].id.entry, 3);
  EXPECT_FALSE(p.cumulative);
  EXPECT_TRUE(t.empty());
}

TEST(AckGrouping, NoDelayFlushesEveryAck) {
  AckGroupingTracker t(0ms, 1000);
  EXPECT_TRUE(t.add_individual(id(1, 1)));
  EXPECT_TRUE(t.add_cumulative(id(1, 1)));
}

TEST(AckGrouping, IdsAreEntryLevel) {
  AckGroupingTracker t(100ms, 1000);
  (void)t.add_individual(id(1, 5, 3));
  auto p = t.take();
  ASSERT_EQ(p.individual.size(), 1u);
  EXPECT_EQ(p.individual[0].id.batch_index, -1);
  EXPECT_EQ(p.individual[0].id.batch_size, 10) << "kept: the broker needs it with an ack set";
}

TEST(AckGrouping, WholeEntryAckWinsOverPartial) {
  AckGroupingTracker t(100ms, 1000);
  (void)t.add_individual(id(1, 5), {0b1100});
  EXPECT_FALSE(t.is_acked(id(1, 5)));
  (void)t.add_individual(id(1, 5), {0b1000});
  (void)t.add_individual(id(1, 5), {});
  EXPECT_TRUE(t.is_acked(id(1, 5)));
  (void)t.add_individual(id(1, 5), {0b0100});  // late partial ack does not undo the whole one
  auto p = t.take();
  ASSERT_EQ(p.individual.size(), 1u);
  EXPECT_TRUE(p.individual[0].ack_set.empty());
}

TEST(AckGrouping, CumulativeKeepsTheHighestAndCoversOlderEntries) {
  AckGroupingTracker t(100ms, 1000);
  (void)t.add_cumulative(id(2, 7));
  (void)t.add_cumulative(id(2, 3));
  auto p = t.take();
  ASSERT_TRUE(p.cumulative);
  EXPECT_EQ(p.cumulative->id.entry, 7);
  EXPECT_TRUE(t.is_acked(id(2, 7)));
  EXPECT_TRUE(t.is_acked(id(1, 900)));
  EXPECT_FALSE(t.is_acked(id(2, 8)));
  EXPECT_FALSE(t.take().cumulative) << "taken once";
}

TEST(AckGrouping, PartialCumulativeDoesNotCoverItsEntry) {
  AckGroupingTracker t(100ms, 1000);
  (void)t.add_cumulative(id(2, 7, 3), {0b11110000});
  EXPECT_FALSE(t.is_acked(id(2, 7)));
  EXPECT_TRUE(t.is_acked(id(2, 6)));
  (void)t.add_cumulative(id(2, 7));
  EXPECT_TRUE(t.is_acked(id(2, 7)));
}

}  // namespace
}  // namespace pk::pulsar
