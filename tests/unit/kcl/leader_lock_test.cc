// KCL 3's leader lock: reading the lock client's item, and the liveness verdicts over successive reads (record
// version changes within the lease duration: live; unchanged for longer: stale; absent or released: none).
#include <unistd.h>

#include <gtest/gtest.h>

#include "common/clock.h"
#include "kcl/leader_lock.h"
#include "kcl/worker_id.h"

namespace pk::kcl {
namespace {

using dynamodb::AttributeValue;
using namespace std::chrono_literals;

dynamodb::Item lock_item(std::string_view rvn, std::string_view duration = "120000") {
  return {{"key", AttributeValue::s("Leader")},
          {"ownerName", AttributeValue::s("java-worker-1")},
          {"leaseDuration", AttributeValue::s(std::string(duration))},
          {"recordVersionNumber", AttributeValue::s(std::string(rvn))}};
}

TEST(LeaderLock, ReadsTheLockClientItem) {
  auto lock = leader_lock_from_item(lock_item("6f1e0c3a-0f7e-4f52-9d44-5b1b2a0c9e11", "2000"));
  ASSERT_TRUE(lock.ok()) << lock.error().to_string();
  EXPECT_EQ(lock->owner, "java-worker-1");
  EXPECT_EQ(lock->record_version, "6f1e0c3a-0f7e-4f52-9d44-5b1b2a0c9e11");
  EXPECT_EQ(lock->lease_duration, 2000ms);
  EXPECT_FALSE(lock->released);
  auto odd = leader_lock_from_item(lock_item("x", "soon"));
  ASSERT_TRUE(odd.ok());
  EXPECT_EQ(odd->lease_duration, kDefaultLeaderLeaseDuration);
  auto item = lock_item("x");
  item.emplace("isReleased", AttributeValue::s("1"));
  EXPECT_TRUE(leader_lock_from_item(item)->released);
  item.erase("recordVersionNumber");
  EXPECT_EQ(leader_lock_from_item(item).error().message, "leader lock: recordVersionNumber: missing");
  EXPECT_EQ(coordinator_state_table("pulsar-kinesis"), "pulsar-kinesis-CoordinatorState");
  EXPECT_EQ(client_version_from_item(
                {{"key", AttributeValue::s("Migration3.0")}, {"cv", AttributeValue::s("CLIENT_VERSION_3X")}}),
            "CLIENT_VERSION_3X");
}

TEST(LeaderLock, LiveWhenTheRecordVersionChanges) {
  ManualClock clock;
  LeaderLockObserver o;
  const auto lock = [](std::string_view rvn) { return std::optional(*leader_lock_from_item(lock_item(rvn, "2000"))); };
  EXPECT_EQ(o.observe(lock("v1"), clock.steady_now()), LeaderVerdict::kWatching);
  EXPECT_EQ(o.decide_by(), clock.steady_now() + 2s);
  clock.advance(1500ms);
  EXPECT_EQ(o.observe(lock("v1"), clock.steady_now()), LeaderVerdict::kWatching);
  clock.advance(100ms);
  EXPECT_EQ(o.observe(lock("v2"), clock.steady_now()), LeaderVerdict::kLive);
  EXPECT_EQ(o.owner(), "java-worker-1");
  EXPECT_EQ(o.record_version(), "v2");
}

TEST(LeaderLock, StaleWhenUnchangedForTheLeaseDuration) {
  ManualClock clock;
  LeaderLockObserver o;
  const auto lock = [](std::string_view rvn) { return std::optional(*leader_lock_from_item(lock_item(rvn, "2000"))); };
  EXPECT_EQ(o.observe(lock("v1"), clock.steady_now()), LeaderVerdict::kWatching);
  clock.advance(2s);
  EXPECT_EQ(o.observe(lock("v1"), clock.steady_now()), LeaderVerdict::kWatching);  // not yet longer than 2 s
  clock.advance(1ms);
  EXPECT_EQ(o.observe(lock("v1"), clock.steady_now()), LeaderVerdict::kStale);
  // Deleted (a Java worker stopped gracefully) or released: no leader; a new lock is watched afresh.
  EXPECT_EQ(o.observe(std::nullopt, clock.steady_now()), LeaderVerdict::kNone);
  EXPECT_EQ(o.observe(lock("v1"), clock.steady_now()), LeaderVerdict::kWatching);
  auto released = lock("v9");
  released->released = true;
  EXPECT_EQ(o.observe(released, clock.steady_now()), LeaderVerdict::kNone);
}

TEST(WorkerId, HostPidAndRandomSuffix) {
  EXPECT_EQ(format_worker_id("host-a", 4242, 0xdeadbeef).str(), "host-a:4242:deadbeef");
  EXPECT_EQ(format_worker_id("", 1, 7).str(), "localhost:1:00000007");
  const WorkerId a = make_worker_id(1);
  const WorkerId b = make_worker_id(2);
  EXPECT_NE(a, b);
  EXPECT_NE(a.str().find(":" + std::to_string(::getpid()) + ":"), std::string::npos) << a.str();
  EXPECT_NE(make_worker_id(), make_worker_id());  // 1 in 2^32 to fail
}

}  // namespace
}  // namespace pk::kcl
