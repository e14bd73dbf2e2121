// The small loop utilities of net: LoopCondition, Signal, on_loop, run_blocking, ScopeExit.
#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include <gtest/gtest.h>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/io_context.hpp>

#include "net/blocking.h"
#include "net/loop_condition.h"
#include "net/on_loop.h"
#include "net/runtime.h"
#include "net/scope_exit.h"
#include "net/signal.h"
#include "net/task_group.h"
#include "net/timeout.h"
#include "support/async_test.h"

namespace pk::net {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using pk::testing::run_on;

TEST(LoopCondition, NotifyWakesEveryWaiterAndADeadlineWakesOnlyItsOwn) {
  asio::io_context io;
  LoopCondition condition;
  std::vector<std::string> woken;
  run_on(io, [&]() -> asio::awaitable<void> {
    TaskGroup tasks(io.get_executor());
    auto waiter = [&](std::string name, std::chrono::milliseconds deadline) -> asio::awaitable<void> {
      const bool notified = co_await condition.wait_until(std::chrono::steady_clock::now() + deadline);
      woken.push_back(name + (notified ? ":notified" : ":deadline"));
    };
    tasks.spawn(waiter("short", 5ms));
    tasks.spawn(waiter("a", 10s));
    tasks.spawn(waiter("b", 10s));
    co_await sleep(30ms);
    EXPECT_TRUE(condition.has_waiters());
    condition.notify_all();
    co_await tasks.join();
  });
  EXPECT_EQ(woken, (std::vector<std::string>{"short:deadline", "a:notified", "b:notified"}));
  EXPECT_FALSE(condition.has_waiters());
}

TEST(LoopCondition, AWaiterWhoseFrameIsAbandonedLeavesTheList) {
  using namespace boost::asio::experimental::awaitable_operators;
  asio::io_context io;
  LoopCondition condition;
  run_on(io, [&]() -> asio::awaitable<void> {
    // The sleep wins; the wait is cancelled and its frame destroyed.
    auto outcome = co_await (condition.wait() || sleep(5ms));
    EXPECT_EQ(outcome.index(), 1u);
    EXPECT_FALSE(condition.has_waiters());
    condition.notify_all();  // must not touch the abandoned waiter
  });
}

TEST(Signal, ANotifyBeforeTheWaitIsNotLost) {
  asio::io_context io;
  Signal signal(io.get_executor());
  run_on(io, [&]() -> asio::awaitable<void> {
    signal.notify();
    const auto start = std::chrono::steady_clock::now();
    co_await signal.wait();  // returns at once
    EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
  });
}

TEST(OnLoop, RunsOnTheGivenLoopAndResumesOnTheCallers) {
  Runtime runtime(2, 1);
  runtime.start();
  asio::io_context io;
  std::thread::id ran_on;
  std::thread::id resumed_on;
  run_on(io, [&]() -> asio::awaitable<void> {
    auto there = [&]() -> asio::awaitable<Result<int>> {
      ran_on = std::this_thread::get_id();
      co_return 42;
    };
    auto hop = on_loop(runtime.executor(1), there());
    auto got = co_await std::move(hop);
    resumed_on = std::this_thread::get_id();
    PK_CO_ASSERT_OK(got);
    EXPECT_EQ(*got, 42);
    auto nothing = [&]() -> asio::awaitable<void> { co_return; };
    auto void_hop = on_loop(runtime.executor(1), nothing());
    co_await std::move(void_hop);
  });
  runtime.stop();
  runtime.join();
  EXPECT_NE(ran_on, std::this_thread::get_id());
  EXPECT_EQ(resumed_on, std::this_thread::get_id());
}

// The process's helper pool has a fixed number of threads: sixteen calls at once without a pool never start a
// thread each (the old fallback started a detached std::thread per call).
TEST(RunBlocking, WithoutAPoolTheWorkRunsOnTheHelperPoolsFewThreads) {
  asio::io_context io;
  std::mutex mutex;
  std::set<std::thread::id> threads;
  int finished = 0;
  run_on(io, [&]() -> asio::awaitable<void> {
    TaskGroup tasks(io.get_executor());
    auto one_call = [&]() -> asio::awaitable<void> {  // lives (in this frame) until the join
      std::function<Result<int>()> work = [&]() -> Result<int> {
        std::this_thread::sleep_for(2ms);
        std::lock_guard lock(mutex);
        threads.insert(std::this_thread::get_id());
        return 7;
      };
      auto running = run_blocking<int>(nullptr, std::move(work));
      auto got = co_await std::move(running);
      EXPECT_TRUE(got.ok() && *got == 7);
      ++finished;
    };
    for (int i = 0; i < 16; ++i) tasks.spawn(one_call());
    co_await tasks.join();
  });
  EXPECT_EQ(finished, 16);
  EXPECT_LE(threads.size(), kHelperPoolThreads);
  EXPECT_FALSE(threads.contains(std::this_thread::get_id())) << "blocking work ran on the loop";
}

TEST(RunBlocking, AGivenPoolRunsTheWork) {
  asio::io_context io;
  asio::thread_pool pool(1);
  std::thread::id worker;
  run_on(io, [&]() -> asio::awaitable<void> {
    std::function<Result<int>()> work = [&]() -> Result<int> {
      worker = std::this_thread::get_id();
      return make_error(ErrorCode::kNotFound, "no such file");
    };
    auto running = run_blocking<int>(&pool, std::move(work));
    auto got = co_await std::move(running);
    EXPECT_FALSE(got.ok());
    if (!got.ok()) {
      EXPECT_EQ(got.error().code, ErrorCode::kNotFound);
    }
  });
  pool.join();
  EXPECT_NE(worker, std::thread::id());
  EXPECT_NE(worker, std::this_thread::get_id());
}

TEST(ScopeExit, RunsWhenASuspendedFrameIsDestroyedAndNotWhenDismissed) {
  int ran = 0;
  {
    asio::io_context io;
    asio::co_spawn(
        io,
        [&ran]() -> asio::awaitable<void> {
          ScopeExit guard([&ran] { ++ran; });
          co_await sleep(10s);
        },
        asio::detached);
    io.run_for(5ms);
    EXPECT_EQ(ran, 0);
  }  // the loop goes, and with it the suspended frame
  EXPECT_EQ(ran, 1);
  {
    ScopeExit kept([&ran] { ++ran; });
    kept.dismiss();
  }
  EXPECT_EQ(ran, 1);
}

}  // namespace
}  // namespace pk::net
