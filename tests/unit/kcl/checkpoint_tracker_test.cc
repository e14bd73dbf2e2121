// The checkpoint gap logic: confirmations in any order never move the checkpoint past an unconfirmed record,
// sub-sequences included; the record counter moves with it. A property test compares it with a plain model over
// random out-of-order confirmations.
#include <algorithm>
#include <deque>
#include <random>
#include <set>

#include <gtest/gtest.h>

#include "positions.h"

#include "kcl/checkpoint_tracker.h"

namespace pk::kcl {
namespace {

using Ticket = CheckpointTracker::Ticket;

using test::seq;

TEST(CheckpointTracker, NeverPastAGap) {
  CheckpointTracker t;
  EXPECT_EQ(t.checkpointable(), ExtendedSequenceNumber::trim_horizon());
  EXPECT_EQ(t.checkpointable_count(), 0u);
  const Ticket a = *t.add("100");
  const Ticket b = *t.add("200");
  const Ticket c = *t.add("300");
  EXPECT_EQ(a, 0u);
  EXPECT_EQ(c, 2u);
  EXPECT_EQ(t.in_flight(), 3u);
  ASSERT_TRUE(t.confirm(c).ok());
  ASSERT_TRUE(t.confirm(b).ok());
  EXPECT_EQ(t.checkpointable(), ExtendedSequenceNumber::trim_horizon());  // 100 still open
  EXPECT_EQ(t.confirmed_beyond_gap(), 2u);
  ASSERT_TRUE(t.confirm(a).ok());
  EXPECT_EQ(t.checkpointable(), seq("300"));
  EXPECT_EQ(t.checkpointable_count(), 3u);
  EXPECT_TRUE(t.all_confirmed());
  EXPECT_EQ(t.confirmed_beyond_gap(), 0u);
}

TEST(CheckpointTracker, SubSequencesOfAnAggregateCountOneByOne) {
  const std::string parent = "49654046542364372823410483474137893658461463421473456178";
  CheckpointTracker t(seq("49654046542364372823410483474137893658461463421473456000", 0), 40);
  std::vector<Ticket> subs;
  for (int i = 0; i < 4; ++i) subs.push_back(*t.add(parent, i));
  EXPECT_EQ(subs.front(), 40u);  // numbering continues from the base count
  ASSERT_TRUE(t.confirm(subs[0]).ok());
  ASSERT_TRUE(t.confirm(subs[2]).ok());
  EXPECT_EQ(t.checkpointable(), seq(parent, 0));  // sub-record 1 not confirmed: stop at 0
  EXPECT_EQ(t.checkpointable_count(), 41u);
  ASSERT_TRUE(t.confirm(subs[1]).ok());
  EXPECT_EQ(t.checkpointable(), seq(parent, 2));
  EXPECT_EQ(t.checkpointable_count(), 43u);
  ASSERT_TRUE(t.confirm(subs[3]).ok());
  EXPECT_EQ(t.checkpointable(), seq(parent, 3));
  EXPECT_EQ(t.checkpointable_count(), 44u);
}

TEST(CheckpointTracker, RefusesMisuse) {
  CheckpointTracker t(seq("500"));
  auto behind = t.add("500");
  ASSERT_FALSE(behind.ok());
  EXPECT_EQ(behind.error().message, "checkpoint tracker: position 500/0 is not after the last one registered");
  EXPECT_TRUE(t.add("500", 1).ok());  // the rest of an aggregate checkpointed in its middle
  EXPECT_FALSE(t.add("499", 9).ok());
  EXPECT_EQ(t.add("12a").error().message,
            "checkpoint tracker: position 12a/0 is not a sequence number (at most 128 digits) with a sub-sequence "
            "number >= 0");
  EXPECT_FALSE(t.add(std::string(129, '9')).ok());
  EXPECT_FALSE(t.add("600", -1).ok());
  EXPECT_EQ(t.confirm(7).error().message, "checkpoint tracker: record 7 was never registered");
  ASSERT_TRUE(t.confirm(0).ok());
  EXPECT_EQ(t.confirm(0).error().message, "checkpoint tracker: record 0 was confirmed already");
  const Ticket x = *t.add("700");
  const Ticket y = *t.add("800");
  ASSERT_TRUE(t.confirm(y).ok());
  EXPECT_EQ(t.confirm(y).error().message, "checkpoint tracker: record 2 was confirmed already");
  ASSERT_TRUE(t.confirm(x).ok());
  CheckpointTracker ended(ExtendedSequenceNumber::shard_end());
  EXPECT_EQ(ended.add("1").error().message, "checkpoint tracker: the shard already ended (SHARD_END)");
}

TEST(CheckpointTracker, LeadingZerosAndLongNumbersCompareNumerically) {
  CheckpointTracker t;
  ASSERT_TRUE(t.add("0099").ok());
  ASSERT_TRUE(t.add("100").ok());
  EXPECT_FALSE(t.add("00100").ok());
  const std::string longest(128, '9');
  const Ticket last = *t.add(longest, 5);
  ASSERT_TRUE(t.confirm(0).ok());
  ASSERT_TRUE(t.confirm(1).ok());
  ASSERT_TRUE(t.confirm(last).ok());
  EXPECT_EQ(t.checkpointable(), seq(longest, 5));
  EXPECT_EQ(t.checkpointable().sequence_number().str(), longest);
}

// The model: the checkpointable position is the last one of the longest confirmed prefix.
TEST(CheckpointTracker, PropertyRandomOutOfOrderConfirmations) {
  std::mt19937_64 random(20240611);
  for (int round = 0; round < 200; ++round) {
    const uint64_t base_count = random() % 1000;
    CheckpointTracker t(ExtendedSequenceNumber::latest(), base_count);
    std::vector<ExtendedSequenceNumber> positions;
    // Records with random gaps between sequence numbers; some are aggregates of 1..5 sub-records. Numbers grow
    // past 20 digits to exercise the packed comparison.
    std::string sequence = "4965404654236437282341048347413789365846146342147" + std::to_string(round % 7);
    const int records = 1 + static_cast<int>(random() % 300);
    for (int r = 0; r < records; ++r) {
      // Increase the sequence number by a random step (decimal string arithmetic on the last digits).
      uint64_t tail = std::stoull(sequence.substr(sequence.size() - 12)) + 1 + random() % 5000;
      std::string tail_text = std::to_string(tail);
      tail_text.insert(0, 12 - std::min<size_t>(12, tail_text.size()), '0');
      sequence = sequence.substr(0, sequence.size() - 12) + tail_text.substr(tail_text.size() - 12);
      const int subs = random() % 4 == 0 ? 1 + static_cast<int>(random() % 5) : 1;
      for (int s = 0; s < subs; ++s) {
        auto ticket = t.add(sequence, subs == 1 ? 0 : s);
        ASSERT_TRUE(ticket.ok()) << ticket.error().to_string();
        ASSERT_EQ(*ticket, base_count + positions.size());
        positions.push_back(seq(sequence, subs == 1 ? 0 : s));
      }
    }
    std::vector<size_t> order(positions.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::shuffle(order.begin(), order.end(), random);
    std::vector<bool> confirmed(positions.size(), false);
    size_t prefix = 0;  // the model
    for (size_t step = 0; step < order.size(); ++step) {
      ASSERT_TRUE(t.confirm(base_count + order[step]).ok());
      confirmed[order[step]] = true;
      while (prefix < confirmed.size() && confirmed[prefix]) ++prefix;
      const ExtendedSequenceNumber expected = prefix == 0 ? ExtendedSequenceNumber::latest() : positions[prefix - 1];
      ASSERT_EQ(t.checkpointable(), expected) << "round " << round << " step " << step;
      ASSERT_EQ(t.checkpointable_count(), base_count + prefix);
      ASSERT_EQ(t.in_flight(), positions.size() - prefix);
      ASSERT_EQ(t.confirmed_beyond_gap(), static_cast<size_t>(step + 1 - prefix));
      // Never past an unconfirmed record.
      for (size_t i = 0; i < positions.size(); ++i) {
        if (!confirmed[i]) {
          ASSERT_LT(t.checkpointable(), positions[i]);
          break;
        }
      }
    }
    EXPECT_TRUE(t.all_confirmed());
  }
}

TEST(CheckpointTracker, InterleavedAddAndConfirmReusesTheRing) {
  CheckpointTracker t;
  std::deque<Ticket> open;
  uint64_t n = 1000;
  for (int i = 0; i < 10000; ++i) {
    open.push_back(*t.add(std::to_string(n++)));
    if (open.size() > 8) {
      ASSERT_TRUE(t.confirm(open.front()).ok());
      open.pop_front();
    }
  }
  EXPECT_EQ(t.in_flight(), 8u);
  EXPECT_EQ(t.checkpointable(), seq(std::to_string(n - 9)));
  EXPECT_EQ(t.checkpointable_count(), 10000u - 8u);
}

TEST(CheckpointTracker, PeriodicCheckpointDueOnlyWhenMovedAndTheIntervalPassed) {
  using namespace std::chrono_literals;
  const SteadyTime t0{};
  const auto written = seq("100");
  EXPECT_FALSE(checkpoint_due(seq("100"), written, t0, t0 + 61s, 60s));  // not moved
  EXPECT_FALSE(checkpoint_due(seq("100", 1), written, t0, t0 + 59999ms, 60s));
  EXPECT_TRUE(checkpoint_due(seq("100", 1), written, t0, t0 + 60s, 60s));
  EXPECT_TRUE(checkpoint_due(ExtendedSequenceNumber::shard_end(), written, t0, t0 + 61s, 60s));
}

}  // namespace
}  // namespace pk::kcl
