// Lease coordinators (two "workers" in one process, each with its own id) on moto with a short failover time:
// they split the leases evenly, one that stops renewing has its leases taken over, one cut off from DynamoDB stops
// reading each shard before the other may read it, a graceful stop releases, and checkpoints through the
// coordinator never collide with its renewals.
#include <algorithm>

#include "black_hole_proxy.h"
#include "kcl/checkpointer.h"
#include "kcl_itest.h"

namespace pk::kcl::itest {
namespace {

CoordinatorOptions options_for(std::string_view worker) {
  CoordinatorOptions o;
  o.worker = WorkerId(worker);
  o.timing.failover = 1000ms;  // renew every 308 ms, take every 2050 ms, stop reading 900 ms after a write was sent
  o.random_seed = std::hash<std::string_view>{}(worker);
  return o;
}

// No two workers read a shard at the same time: for every shard, the acquired/lost events of all listeners, in
// time order, never show a second reader.
void expect_no_overlap(const std::vector<const RecordingListener*>& listeners) {
  struct Stamped {
    std::chrono::steady_clock::time_point at;
    size_t worker;
    bool acquired;
  };
  std::map<std::string, std::vector<Stamped>> by_key;
  for (size_t w = 0; w < listeners.size(); ++w) {
    for (const auto& e : listeners[w]->events) by_key[e.key].push_back({e.at, w, e.kind == "acquired"});
  }
  for (auto& [key, events] : by_key) {
    std::stable_sort(events.begin(), events.end(), [](const Stamped& a, const Stamped& b) { return a.at < b.at; });
    std::optional<size_t> reader;
    std::string timeline;
    const auto origin = events.front().at;
    for (const Stamped& e : events) {
      timeline += fmt::format(" {}:{}@{}ms", e.worker, e.acquired ? "acquired" : "lost",
                              std::chrono::duration_cast<std::chrono::milliseconds>(e.at - origin).count());
    }
    for (const Stamped& e : events) {
      if (e.acquired) {
        EXPECT_FALSE(reader) << key << ": worker " << e.worker << " started reading while worker " << *reader
                             << " still did;" << timeline;
        reader = e.worker;
      } else if (reader == e.worker) {
        reader.reset();
      }
    }
  }
}

std::map<std::string, int> owners(const std::vector<Lease>& leases) {
  std::map<std::string, int> counts;
  for (const Lease& l : leases) ++counts[l.owner ? l.owner->str() : "(none)"];
  return counts;
}

using CoordinatorMoto = LeaseTableTest;

TEST_F(CoordinatorMoto, TwoWorkersSplitTheLeasesEvenlyAndReleaseOnStop) {
  create_leases(6);
  RecordingListener la, lb;
  LeaseCoordinator a(pk::testing::coroutine_loop().get_executor(), table_, la, options_for("worker-a"));
  LeaseCoordinator b(pk::testing::coroutine_loop().get_executor(), table_, lb, options_for("worker-b"));
  const bool balanced = run_coroutine<bool>(
      [&]() -> boost::asio::awaitable<bool> {
        a.start();
        b.start();
        auto waiting = eventually([&] { return la.reading.size() == 3 && lb.reading.size() == 3; }, 30000ms);
        const bool done = co_await std::move(waiting);
        co_await a.stop();
        co_await b.stop();
        co_return done;
      },
      60s);
  EXPECT_TRUE(balanced) << "worker-a reads " << la.reading.size() << ", worker-b " << lb.reading.size();
  expect_no_overlap({&la, &lb});
  EXPECT_TRUE(la.errors.empty());
  // Stopped gracefully: every lease released (no owner), so a successor takes them at once.
  EXPECT_EQ(owners(list()), (std::map<std::string, int>{{"(none)", 6}}));
  EXPECT_TRUE(a.held_leases().empty());
}

TEST_F(CoordinatorMoto, LeasesOfAWorkerThatStopsRenewingAreTakenOver) {
  create_leases(4);
  RecordingListener la, lb;
  LeaseCoordinator a(pk::testing::coroutine_loop().get_executor(), table_, la, options_for("worker-a"));
  LeaseCoordinator b(pk::testing::coroutine_loop().get_executor(), table_, lb, options_for("worker-b"));
  std::map<std::string, int> split;
  const bool taken_over = run_coroutine<bool>(
      [&]() -> boost::asio::awaitable<bool> {
        a.start();
        b.start();
        auto balancing = eventually([&] { return la.reading.size() == 2 && lb.reading.size() == 2; }, 30000ms);
        const bool balanced = co_await std::move(balancing);
        auto listing = co_list();
        const std::vector<Lease> listed = co_await std::move(listing);
        split = owners(listed);
        co_await a.stop(false);  // a crash: no release, no more renewals
        la.stopped();
        auto waiting = eventually([&] { return lb.reading.size() == 4; }, 20000ms);
        const bool done = co_await std::move(waiting);
        co_await b.stop();
        co_return balanced&& done;
      },
      60s);
  EXPECT_TRUE(taken_over) << "worker-b reads " << lb.reading.size();
  EXPECT_EQ(split, (std::map<std::string, int>{{"worker-a", 2}, {"worker-b", 2}}));
  EXPECT_EQ(lb.count("lost"), 0);
  expect_no_overlap({&la, &lb});
}

TEST_F(CoordinatorMoto, AWorkerCutOffFromDynamoDbStopsReadingBeforeTheOtherStarts) {
  create_leases(4);
  auto proxy = BlackHoleProxy::start(pk::testing::coroutine_loop().get_executor(),
                                     pk::testing::host_port_of(pk::testing::server_env("PK_MOTO_ENDPOINT")).port);
  dynamodb::DynamoDbClientOptions cut_options;
  cut_options.http.request_timeout = 1500ms;
  cut_options.http.connect_timeout = 1500ms;
  cut_options.retry.max_attempts = 1;
  auto through_proxy =
      std::make_shared<LeaseTable>(make_dynamodb(proxy->url(), cut_options), name_, LeaseTableOptions{1, 50ms});
  RecordingListener la, lb;
  LeaseCoordinator a(pk::testing::coroutine_loop().get_executor(), through_proxy, la, options_for("worker-a"));
  LeaseCoordinator b(pk::testing::coroutine_loop().get_executor(), table_, lb, options_for("worker-b"));
  std::chrono::steady_clock::time_point cut_at;
  std::set<std::string> a_had;
  const bool done = run_coroutine<bool>(
      [&]() -> boost::asio::awaitable<bool> {
        a.start();
        b.start();
        auto balancing = eventually([&] { return la.reading.size() == 2 && lb.reading.size() == 2; }, 30000ms);
        const bool balanced = co_await std::move(balancing);
        a_had = la.reading;
        cut_at = std::chrono::steady_clock::now();
        proxy->cut();
        auto waiting = eventually([&] { return la.reading.empty() && lb.reading.size() == 4; }, 20000ms);
        const bool moved = co_await std::move(waiting);
        co_await b.stop();
        co_await a.stop(false);  // its requests hang until their timeouts
        la.stopped();
        proxy->close();
        co_return balanced&& moved;
      },
      60s);
  ASSERT_TRUE(done) << "worker-a reads " << la.reading.size() << ", worker-b " << lb.reading.size();
  ASSERT_EQ(a_had.size(), 2u);
  for (const std::string& key : a_had) {
    auto lost = std::find_if(la.events.rbegin(), la.events.rend(),
                             [&](const auto& e) { return e.kind == "lost" && e.key == key; });
    ASSERT_NE(lost, la.events.rend()) << key;
    EXPECT_EQ(lost->reason, LossReason::kExpired) << key;
    // Lost by its own deadline: within the local lease duration after the cut (its last write was sent before).
    EXPECT_LE(lost->at - cut_at, 900ms + 200ms) << key;
    auto acquired = std::find_if(lb.events.rbegin(), lb.events.rend(),
                                 [&](const auto& e) { return e.kind == "acquired" && e.key == key; });
    ASSERT_NE(acquired, lb.events.rend()) << key;
    EXPECT_LT(lost->at, acquired->at) << key << ": worker-b started reading before worker-a stopped";
  }
  expect_no_overlap({&la, &lb});
}

TEST_F(CoordinatorMoto, CheckpointsAndRenewalsOfALeaseNeverCollide) {
  create_leases(1);
  RecordingListener la;
  LeaseCoordinator a(pk::testing::coroutine_loop().get_executor(), table_, la, options_for("worker-a"));
  const kinesis::ShardId shard("shardId-000000000000");
  int applied = 0;
  const bool done = run_coroutine<bool>(
      [&]() -> boost::asio::awaitable<bool> {
        a.start();
        auto acquiring = eventually([&] { return la.reading.size() == 1; }, 10000ms);
        const bool acquired = co_await std::move(acquiring);
        // A checkpoint every 20 ms for 3 s while the renewer renews every 308 ms.
        for (int i = 1; i <= 150 && acquired; ++i) {
          const auto position = ExtendedSequenceNumber::at(*kinesis::SequenceNumber::parse(std::to_string(1000 + i)));
          auto writing = a.write_checkpoint(shard, position, static_cast<uint64_t>(i));
          auto written = co_await std::move(writing);
          if (written.ok() && written->applied()) ++applied;
          co_await pause(20ms);
        }
        co_await a.stop();
        co_return acquired;
      },
      60s);
  ASSERT_TRUE(done);
  EXPECT_EQ(applied, 150);
  EXPECT_EQ(la.count("lost"), 0);
  const Lease after = get("shardId-000000000000");
  EXPECT_EQ(after.checkpoint.text(), "1150");
  EXPECT_EQ(after.records_at_checkpoint(), 150u);
  EXPECT_FALSE(after.owner);  // released by the stop
}

TEST_F(CoordinatorMoto, CheckpointerWritesTheConfirmedPrefixAndShardEnd) {
  create_leases(1);
  RecordingListener la;
  LeaseCoordinator a(pk::testing::coroutine_loop().get_executor(), table_, la, options_for("worker-a"));
  const kinesis::ShardId shard("shardId-000000000000");
  Checkpointer checkpointer(pk::testing::coroutine_loop().get_executor(), shard, a, CheckpointTracker(),
                            CheckpointerOptions{100ms, true});
  std::vector<std::string> seen;  // the table's checkpoint after each step
  const bool done = run_coroutine<bool>(
      [&]() -> boost::asio::awaitable<bool> {
        a.start();
        auto acquiring = eventually([&] { return la.reading.size() == 1; }, 10000ms);
        const bool acquired = co_await std::move(acquiring);
        checkpointer.start();
        std::vector<CheckpointTracker::Ticket> t;
        for (int i = 0; i < 3; ++i) t.push_back(*checkpointer.add("777", i));  // an aggregate of 3
        t.push_back(*checkpointer.add("800"));
        EXPECT_TRUE(checkpointer.confirm(t[1]).ok());
        EXPECT_TRUE(checkpointer.confirm(t[3]).ok());
        co_await pause(400ms);  // periodic writes: nothing moved yet (777/0 open)
        auto reading0 = co_get(shard.str());
        const Lease read0 = co_await std::move(reading0);
        seen.push_back(read0.checkpoint.to_string());
        EXPECT_TRUE(checkpointer.confirm(t[0]).ok());
        co_await pause(400ms);  // the prefix is 777/1 now
        auto reading1 = co_get(shard.str());
        const Lease read1 = co_await std::move(reading1);
        seen.push_back(read1.checkpoint.to_string());
        auto finishing = checkpointer.finish_shard(5000ms);
        co_await pause(100ms);
        EXPECT_TRUE(checkpointer.confirm(t[2]).ok());  // the last gap closes while finish_shard waits
        auto finished = co_await std::move(finishing);
        EXPECT_TRUE(finished.ok() && *finished);
        auto reading2 = co_get(shard.str());
        const Lease read2 = co_await std::move(reading2);
        seen.push_back(read2.checkpoint.to_string());
        co_await checkpointer.stop();
        co_await a.stop();
        co_return acquired;
      },
      60s);
  ASSERT_TRUE(done);
  EXPECT_EQ(seen, (std::vector<std::string>{"TRIM_HORIZON/0", "777/1", "SHARD_END/0"}));
  EXPECT_EQ(get(shard.str()).records_at_checkpoint(), 4u);
}

TEST_F(CoordinatorMoto, AfterALossTheLastCheckpointIsWrittenOnlyIfNobodyTookTheLease) {
  create_leases(1);
  const std::string key = "shardId-000000000000";
  const Lease fresh = get(key);
  auto taken = run_coroutine<Result<LeaseWrite>>([&] { return table_->take(fresh, WorkerId("worker-a")); });
  ASSERT_TRUE(taken.ok() && taken->applied());
  const Lease last_known = *taken->lease;  // what worker-a's coordinator told its listener when it lost the lease
  RecordingListener unused;
  LeaseCoordinator writer(pk::testing::coroutine_loop().get_executor(), table_, unused, options_for("worker-a"));
  auto make = [&] {
    return std::make_unique<Checkpointer>(pk::testing::coroutine_loop().get_executor(), kinesis::ShardId(key), writer,
                                          CheckpointTracker(), CheckpointerOptions{60000ms, true});
  };
  // Nobody took it yet: the confirmed prefix is written with the last known counter.
  auto first = make();
  const auto t = *first->add("900");
  ASSERT_TRUE(first->confirm(t).ok());
  auto written = run_coroutine<Result<bool>>([&] { return first->write_after_loss(*table_, last_known); });
  ASSERT_TRUE(written.ok()) << written.error().to_string();
  EXPECT_TRUE(*written);
  EXPECT_TRUE(first->lost());
  EXPECT_EQ(get(key).checkpoint.text(), "900");
  EXPECT_EQ(get(key).records_at_checkpoint(), 1u);
  // Taken by another worker meanwhile: nothing is written.
  const Lease now = get(key);
  ASSERT_TRUE(run_coroutine<Result<LeaseWrite>>([&] { return table_->take(now, WorkerId("worker-b")); })->applied());
  auto second = make();
  ASSERT_TRUE(second->confirm(*second->add("950")).ok());
  auto refused = run_coroutine<Result<bool>>([&] { return second->write_after_loss(*table_, now); });
  ASSERT_TRUE(refused.ok()) << refused.error().to_string();
  EXPECT_FALSE(*refused);
  EXPECT_EQ(get(key).checkpoint.text(), "900");
  EXPECT_EQ(get(key).owner, WorkerId("worker-b"));
  run_coroutine<bool>([&]() -> boost::asio::awaitable<bool> {
    co_await first->stop();
    co_await second->stop();
    co_await writer.stop();
    co_return true;
  });
}

}  // namespace
}  // namespace pk::kcl::itest
