// The taker's view of the table (local expiry) and its decisions: take expired and unowned leases up to the target,
// very old ones first, steal one at a time from the most loaded worker, leave finished leases alone.
#include <set>

#include <gtest/gtest.h>

#include "common/clock.h"
#include "kcl/lease_taker.h"

namespace pk::kcl {
namespace {

using namespace std::chrono_literals;

Lease lease(std::string_view key, std::optional<std::string_view> owner, int64_t counter) {
  Lease l;
  l.key = kinesis::ShardId(key);
  if (owner) l.owner = WorkerId(*owner);
  l.counter = counter;
  return l;
}

// One lease per character of `keys`, all held by `owner` at `counter`; several groups joined.
std::vector<Lease> owned(std::string_view owner, std::string_view keys, int64_t counter, std::vector<Lease> more = {}) {
  for (char k : keys) more.push_back(lease(std::string(1, k), owner, counter));
  return more;
}

std::set<std::string> keys(const std::vector<Lease>& leases) {
  std::set<std::string> k;
  for (const Lease& l : leases) k.insert(l.key.str());
  return k;
}

void expect_one_stolen_from(const TakePlan& p, std::string_view owner) {
  EXPECT_TRUE(p.steal);
  ASSERT_EQ(p.take.size(), 1u);
  EXPECT_EQ(p.take[0].owner, WorkerId(owner));
}

class TakerTest : public ::testing::Test {
 protected:
  TakerTest() { timing_.failover = 10s; }

  // One scan now.
  void scan(std::vector<Lease> leases) { observer_.update(std::move(leases), clock_.steady_now()); }
  TakePlan plan() { return plan_take(observer_, me_, clock_.steady_now(), timing_, random_); }

  ManualClock clock_;
  LeaseTiming timing_;
  LeaseObserver observer_;
  WorkerId me_{"me"};
  std::mt19937_64 random_{42};
};

TEST_F(TakerTest, ObserverExpiresByLocalTimeOnly) {
  scan({lease("a", "w1", 5), lease("b", std::nullopt, 0)});
  const ObservedLease* a = observer_.find("a");
  const ObservedLease* b = observer_.find("b");
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(a->last_change, clock_.steady_now());  // new and owned: renewed as of this scan
  EXPECT_FALSE(b->last_change);                    // new and unowned: never renewed
  EXPECT_FALSE(LeaseObserver::available(*a, clock_.steady_now(), timing_.failover));
  EXPECT_TRUE(LeaseObserver::available(*b, clock_.steady_now(), timing_.failover));

  clock_.advance(10s);  // exactly the failover time: not yet expired
  scan({lease("a", "w1", 5)});
  EXPECT_FALSE(LeaseObserver::available(*observer_.find("a"), clock_.steady_now(), timing_.failover));
  EXPECT_EQ(observer_.find("b"), nullptr);  // gone from the table: forgotten
  clock_.advance(1ms);
  EXPECT_TRUE(LeaseObserver::available(*observer_.find("a"), clock_.steady_now(), timing_.failover));

  const auto renewed_at = clock_.steady_now();
  scan({lease("a", "w1", 6)});  // the counter moved: fresh again
  EXPECT_EQ(observer_.find("a")->last_change, renewed_at);
  clock_.advance(9s);
  scan({lease("a", "w1", 6)});
  EXPECT_EQ(observer_.find("a")->last_change, renewed_at);
  EXPECT_FALSE(LeaseObserver::available(*observer_.find("a"), clock_.steady_now(), timing_.failover));
}

TEST_F(TakerTest, NewUnownedLeasesAreTakenFirstAllOfThem) {
  scan({lease("a", std::nullopt, 0), lease("b", std::nullopt, 0), lease("c", std::nullopt, 0), lease("d", "w1", 3)});
  TakePlan p = plan();
  EXPECT_TRUE(p.very_old);
  EXPECT_FALSE(p.steal);
  EXPECT_EQ(keys(p.take), (std::set<std::string>{"a", "b", "c"}));  // past the target of 2
  EXPECT_EQ(p.target, 2);
  EXPECT_EQ(p.workers, 2);
  EXPECT_EQ(p.leases, 4);

  timing_.max_leases_for_worker = 2;
  p = plan();
  EXPECT_EQ(p.take.size(), 2u);
  timing_.max_leases_for_worker = INT_MAX;
  timing_.take_very_old_first = false;
  p = plan();
  EXPECT_FALSE(p.very_old);
  EXPECT_EQ(p.take.size(), 2u);  // up to the target only
}

TEST_F(TakerTest, TakesExpiredLeasesUpToTheTarget) {
  // w1 holds three and keeps renewing, dead holds three and stopped; I hold none.
  scan(owned("w1", "abc", 1, owned("dead", "def", 1)));
  TakePlan p = plan();
  // All fresh: w1 and dead hold 3 each, target 2, nothing available: steal 1 from the most loaded (tie: smallest id).
  EXPECT_EQ(p.target, 2);
  EXPECT_EQ(p.workers, 3);
  expect_one_stolen_from(p, "dead");
  clock_.advance(11s);
  scan(owned("w1", "abc", 4, owned("dead", "def", 1)));
  p = plan();
  EXPECT_FALSE(p.steal);
  EXPECT_FALSE(p.very_old);
  EXPECT_EQ(p.workers, 2);  // dead's leases expired: dead no longer counts
  EXPECT_EQ(p.target, 3);
  EXPECT_EQ(keys(p.take), (std::set<std::string>{"d", "e", "f"}));
}

TEST_F(TakerTest, StealsOneAtATimeFromTheMostLoaded) {
  scan(owned("w1", "abcd", 1, owned("w2", "e", 1, owned("me", "f", 1))));
  TakePlan p = plan();
  // 6 leases, 3 workers: target 2; I hold 1 and need 1; w1 holds 4 = 2 over.
  EXPECT_EQ(p.target, 2);
  EXPECT_EQ(p.mine, 1);
  expect_one_stolen_from(p, "w1");
  timing_.max_leases_to_steal_at_one_time = 5;
  scan(owned("w1", "abcdef", 1));
  p = plan();  // 2 workers: target 3, I need 3, w1 is 3 over
  EXPECT_EQ(p.take.size(), 3u);
}

TEST_F(TakerTest, DoesNotStealWhenTheMostLoadedIsAtTarget) {
  scan(owned("w1", "ab", 1, owned("me", "c", 1)));
  TakePlan p = plan();  // target 2: w1 at target, I need 1: nothing to steal (no thrashing)
  EXPECT_EQ(p.target, 2);
  EXPECT_TRUE(p.take.empty());
  EXPECT_FALSE(p.steal);
  // Needing two with the most loaded at target: steal one.
  scan(owned("w1", "ab", 1, owned("w2", "cd", 1)));
  p = plan();  // 3 workers: target 2, I need 2, w1 and w2 at target: steal 1 from the smallest id among the most
  expect_one_stolen_from(p, "w1");
}

TEST_F(TakerTest, VeryOldLeasesOfADeadWorkerComeFirst) {
  scan({lease("a", "dead", 1), lease("b", "w1", 1), lease("c", "me", 1)});
  clock_.advance(31s);
  scan({lease("a", "dead", 1), lease("b", "w1", 9), lease("c", "me", 9)});
  TakePlan p = plan();
  EXPECT_TRUE(p.very_old);
  EXPECT_EQ(keys(p.take), (std::set<std::string>{"a"}));
}

TEST_F(TakerTest, FinishedLeasesAreLeftAlone) {
  Lease done = lease("a", std::nullopt, 3);
  done.checkpoint = ExtendedSequenceNumber::shard_end();
  Lease done_owned = lease("b", "dead", 3);
  done_owned.checkpoint = ExtendedSequenceNumber::shard_end();
  scan({done, done_owned, lease("c", "w1", 1)});
  clock_.advance(60s);
  scan({done, done_owned, lease("c", "w1", 2)});
  TakePlan p = plan();
  EXPECT_EQ(p.leases, 1);
  EXPECT_TRUE(p.take.empty());
  EXPECT_FALSE(p.steal);  // w1 holds 1 = target
}

TEST_F(TakerTest, NoLeasesNoPlan) {
  scan({});
  TakePlan p = plan();
  EXPECT_EQ(p.leases, 0);
  EXPECT_EQ(p.target, 0);
  EXPECT_TRUE(p.take.empty());
}

}  // namespace
}  // namespace pk::kcl
