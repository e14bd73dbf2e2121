// The KCL 3 coexistence guard on moto, with boto3 playing the Java workers' lock client: a live leader lock (its
// record version renewed by a heartbeating process) makes us refuse; a stale one (left by killed workers) is taken
// over and deleted; no table, no lock or a released lock let us start at once; a lock appearing while we run stops
// our taking.
#include "kcl/kcl3_guard.h"
#include "kcl_itest.h"

namespace pk::kcl::itest {
namespace {

class Kcl3GuardMoto : public LeaseTableTest {
 protected:
  void SetUp() override {
    LeaseTableTest::SetUp();
    app_ = unique_name("pk-kcl3-app");
    state_table_ = app_ + "-CoordinatorState";
  }
  void with_coordinator_state() {
    peer("coordinator-table " + app_);
    extra_tables_.push_back(state_table_);
  }
  Status check_at_start() {
    Kcl3Guard guard(client_, app_);
    return run_coroutine<Status>([&] { return guard.check_at_start(200ms); }, 30s);
  }

  std::string app_;
  std::string state_table_;
};

TEST_F(Kcl3GuardMoto, NoTableOrNoLockOrAReleasedLockStartsAtOnce) {
  const auto t0 = std::chrono::steady_clock::now();
  EXPECT_TRUE(check_at_start().ok());  // no CoordinatorState table: no KCL 3 here ever
  with_coordinator_state();
  EXPECT_TRUE(check_at_start().ok());  // the table, no "Leader"
  peer("put-leader " + state_table_ + " 120000 rvn-1 released");
  EXPECT_TRUE(check_at_start().ok());
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 5s);
}

TEST_F(Kcl3GuardMoto, ALiveLeaderMakesUsRefuse) {
  with_coordinator_state();
  peer("put-leader " + state_table_ + " 3000 rvn-1");
  BackgroundPeer heartbeat({"heartbeat", state_table_, "3000", "300", "20"});
  const auto t0 = std::chrono::steady_clock::now();
  Status s = check_at_start();
  ASSERT_FALSE(s.ok());
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 3s);  // seen renewed well before its lease duration
  EXPECT_EQ(s.error().code, ErrorCode::kUnsupported);
  EXPECT_EQ(s.error().message,
            fmt::format("live Java KCL 3 workers run application \"{}\": the leader lock in DynamoDB table {} (item "
                        "\"Leader\", owner \"java-worker-a\", client version CLIENT_VERSION_3X) was renewed while we "
                        "watched it. pulsar-kinesis does not run next to KCL 3 workers (their leader would reassign "
                        "our leases). Stop the Java connector's workers first (a graceful stop deletes the lock; a "
                        "killed worker's lock goes stale after its lease duration, 2 minutes by default), then start "
                        "pulsar-kinesis on the same applicationName: it resumes from their checkpoints",
                        app_, state_table_));
  // The lock is theirs: left alone.
  EXPECT_TRUE(peer_get(state_table_, "key", "Leader"));
}

TEST_F(Kcl3GuardMoto, AStaleLeaderLockIsTakenOver) {
  with_coordinator_state();
  peer("put-leader " + state_table_ + " 1500 rvn-of-a-killed-worker");
  const auto t0 = std::chrono::steady_clock::now();
  Status s = check_at_start();
  ASSERT_TRUE(s.ok()) << s.error().to_string();
  const auto waited = std::chrono::steady_clock::now() - t0;
  EXPECT_GE(waited, 1500ms);  // watched for its whole lease duration
  EXPECT_LT(waited, 5s);
  EXPECT_FALSE(peer_get(state_table_, "key", "Leader"));  // deleted: the next start does not wait
  EXPECT_TRUE(check_at_start().ok());
}

TEST_F(Kcl3GuardMoto, ALeaderAppearingWhileWeRunStopsOurTaking) {
  create_leases(2);
  with_coordinator_state();
  Kcl3Guard guard(client_, app_);
  RecordingListener listener;
  CoordinatorOptions options;
  options.worker = WorkerId("worker-a");
  options.timing.failover = 1000ms;
  LeaseCoordinator coordinator(pk::testing::coroutine_loop().get_executor(), table_, listener, options);
  coordinator.set_kcl3_guard(&guard);
  std::vector<TakeRound> rounds;
  run_coroutine<bool>(
      [&]() -> boost::asio::awaitable<bool> {
        auto first = coordinator.take_round();  // no lock: takes both leases
        auto first_round = co_await std::move(first);
        rounds.push_back(*first_round);
        peer("put-leader " + state_table_ + " 3000 rvn-1");
        BackgroundPeer heartbeat({"heartbeat", state_table_, "3000", "300", "20"});
        auto second = coordinator.take_round();  // a lock appeared: watched, no take
        auto second_round = co_await std::move(second);
        rounds.push_back(*second_round);
        for (int i = 0; i < 40 && !coordinator.taking_stopped(); ++i) {
          co_await pause(100ms);
          auto next = coordinator.take_round();
          auto next_round = co_await std::move(next);
          rounds.push_back(*next_round);
        }
        co_await coordinator.stop();
        co_return true;
      },
      30s);
  ASSERT_GE(rounds.size(), 3u);
  EXPECT_FALSE(rounds[0].skipped);
  EXPECT_EQ(rounds[0].taken, 2);
  for (size_t i = 1; i < rounds.size(); ++i) EXPECT_TRUE(rounds[i].skipped) << i;
  EXPECT_TRUE(coordinator.taking_stopped());
  ASSERT_EQ(listener.errors.size(), 1u);
  EXPECT_EQ(listener.errors[0].code, ErrorCode::kUnsupported);
  EXPECT_NE(listener.errors[0].message.find("live Java KCL 3 workers run application"), std::string::npos);
}

}  // namespace
}  // namespace pk::kcl::itest
