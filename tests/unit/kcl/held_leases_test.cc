// The renewer's state: deadlines from the time the last successful write was sent, renewals due every interval,
// leases lost at their deadline even when no answer comes, and never brought back by a late answer.
#include <gtest/gtest.h>

#include "common/clock.h"
#include "kcl/held_leases.h"

namespace pk::kcl {
namespace {

using namespace std::chrono_literals;

Lease held(std::string_view key, int64_t counter) {
  Lease l;
  l.key = kinesis::ShardId(key);
  l.owner = WorkerId("me");
  l.counter = counter;
  return l;
}

class HeldLeasesTest : public ::testing::Test {
 protected:
  HeldLeasesTest() {
    timing_.failover = 10s;
    timing_.epsilon = 25ms;
  }
  LeaseTiming timing_;
  ManualClock clock_;
  HeldLeases held_{LeaseTiming{}.local_lease_duration()};
};

TEST_F(HeldLeasesTest, TimingDefaultsAreTheKcls) {
  EXPECT_EQ(timing_.renew_interval(), 3308ms);    // failover / 3 - epsilon
  EXPECT_EQ(timing_.take_interval(), 20050ms);    // 2 x (failover + epsilon)
  EXPECT_EQ(timing_.local_lease_duration(), 9s);  // failover - failover / 10
  timing_.stop_margin = 2500ms;
  EXPECT_EQ(timing_.local_lease_duration(), 7500ms);
  EXPECT_TRUE(validate(timing_).ok());
  timing_.stop_margin = 10s;
  EXPECT_EQ(validate(timing_).error().message,
            "lease stop margin 10000 ms: must be at least 0 and below the failover time (10000 ms)");
  timing_ = LeaseTiming{};
  timing_.failover = 50ms;
  EXPECT_EQ(validate(timing_).error().message,
            "lease failover time 50 ms: must be at least 100 ms and more than 3 x epsilon (25 ms)");
  timing_ = LeaseTiming{};
  timing_.max_leases_to_steal_at_one_time = 0;
  EXPECT_FALSE(validate(timing_).ok());
}

TEST_F(HeldLeasesTest, RenewalsAreDueEveryIntervalAndMoveTheDeadline) {
  const SteadyTime t0 = clock_.steady_now();
  held_.add(held("a", 1), t0);
  EXPECT_EQ(held_.find("a")->deadline, t0 + 9s);
  EXPECT_TRUE(held_.due(t0 + 3307ms, timing_.renew_interval()).empty());
  clock_.advance(3308ms);
  auto due = held_.due(clock_.steady_now(), timing_.renew_interval());
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].counter, 1);
  const SteadyTime sent = clock_.steady_now();
  clock_.advance(200ms);  // the answer arrives later; the deadline counts from the sending
  EXPECT_TRUE(held_.on_written(held("a", 2), sent));
  EXPECT_EQ(held_.find("a")->deadline, sent + 9s);
  EXPECT_EQ(held_.find("a")->lease.counter, 2);
  EXPECT_EQ(held_.next_deadline(), sent + 9s);
}

TEST_F(HeldLeasesTest, AnAnswerToAnOlderWriteDoesNotMoveTheDeadlineBack) {
  const SteadyTime t0 = clock_.steady_now();
  held_.add(held("a", 1), t0);
  EXPECT_TRUE(held_.on_written(held("a", 3), t0 + 5s));
  EXPECT_TRUE(held_.on_written(held("a", 2), t0 + 4s));
  EXPECT_EQ(held_.find("a")->deadline, t0 + 14s);
}

TEST_F(HeldLeasesTest, LostAtTheDeadlineWithoutAnyAnswer) {
  const SteadyTime t0 = clock_.steady_now();
  held_.add(held("a", 1), t0);
  held_.add(held("b", 1), t0 + 2s);
  // DynamoDB unreachable: no write succeeds. At the deadline the lease is gone, before anyone may take it (others
  // wait the whole failover time after they last saw a change).
  EXPECT_TRUE(held_.expire(t0 + 8999ms).empty());
  auto lost = held_.expire(t0 + 9s);
  ASSERT_EQ(lost.size(), 1u);
  EXPECT_EQ(lost[0].key.str(), "a");
  EXPECT_LT(t0 + 9s, t0 + timing_.failover);
  EXPECT_EQ(held_.size(), 1u);
  EXPECT_EQ(held_.next_deadline(), t0 + 11s);
  // A late answer for the lost lease does not bring it back.
  EXPECT_FALSE(held_.on_written(held("a", 2), t0 + 8s));
  EXPECT_EQ(held_.find("a"), nullptr);
}

TEST_F(HeldLeasesTest, RemovedWhenAConditionalWriteIsLost) {
  held_.add(held("a", 7), clock_.steady_now());
  auto removed = held_.remove("a");
  ASSERT_TRUE(removed);
  EXPECT_EQ(removed->counter, 7);
  EXPECT_FALSE(held_.remove("a"));
  EXPECT_FALSE(held_.next_deadline());
  EXPECT_TRUE(held_.all().empty());
}

}  // namespace
}  // namespace pk::kcl
