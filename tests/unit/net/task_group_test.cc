#include "net/task_group.h"

#include <memory>
#include <stdexcept>
#include <vector>

#include <gtest/gtest.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "net/timeout.h"
#include "support/async_test.h"

namespace pk::net {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using pk::testing::run_on;

// Waits `d` on a timer of its own and records how the wait ended, then (to prove the task was not unwound by an
// exception) records that it went on.
asio::awaitable<void> wait_and_record(std::chrono::milliseconds d, std::vector<std::string>& log, std::string name) {
  asio::steady_timer timer(co_await asio::this_coro::executor, d);
  auto [ec] = co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
  log.push_back(name + (ec == asio::error::operation_aborted ? ":aborted" : ":expired"));
  const bool slept = co_await sleep(1ms);  // a cancelled task may still wait on new operations
  log.push_back(name + (slept ? ":went-on" : ":cancelled-again"));
}

TEST(TaskGroup, JoinWaitsForEveryTask) {
  asio::io_context io;
  const size_t before = TaskGroup::running_everywhere();
  std::vector<std::string> log;
  run_on(io, [&]() -> asio::awaitable<void> {
    TaskGroup tasks(io.get_executor());
    tasks.spawn(wait_and_record(30ms, log, "slow"));
    tasks.spawn(wait_and_record(1ms, log, "fast"));
    EXPECT_EQ(tasks.size(), 2u);
    EXPECT_EQ(TaskGroup::running_everywhere(), before + 2);
    co_await tasks.join();
    EXPECT_EQ(tasks.size(), 0u);
  });
  EXPECT_EQ(log, (std::vector<std::string>{"fast:expired", "fast:went-on", "slow:expired", "slow:went-on"}));
  EXPECT_EQ(TaskGroup::running_everywhere(), before);
}

TEST(TaskGroup, CancelAllInterruptsTheWaitAndTheTaskGoesOn) {
  asio::io_context io;
  std::vector<std::string> log;
  const auto start = std::chrono::steady_clock::now();
  run_on(io, [&]() -> asio::awaitable<void> {
    TaskGroup tasks(io.get_executor());
    tasks.spawn(wait_and_record(10s, log, "a"));
    tasks.spawn(wait_and_record(10s, log, "b"));
    co_await sleep(5ms);  // both are waiting now
    tasks.cancel_all();
    co_await tasks.join();
  });
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
  EXPECT_EQ(log, (std::vector<std::string>{"a:aborted", "b:aborted", "a:went-on", "b:went-on"}));
}

TEST(TaskGroup, CancellingATaskThatHasNotStartedLetsItRunNormally) {
  asio::io_context io;
  std::vector<std::string> log;
  TaskGroup tasks(io.get_executor());
  tasks.spawn(wait_and_record(1ms, log, "late"));  // spawned off the loop: it starts when the loop runs
  tasks.cancel_all();                              // nothing to interrupt yet
  run_on(io, [&]() -> asio::awaitable<void> { co_await tasks.join(); });
  EXPECT_EQ(log, (std::vector<std::string>{"late:expired", "late:went-on"}));
}

TEST(TaskGroup, JoinCoversTasksSpawnedWhileItWaits) {
  asio::io_context io;
  std::vector<std::string> log;
  run_on(io, [&]() -> asio::awaitable<void> {
    TaskGroup tasks(io.get_executor());
    auto spawner = [&]() -> asio::awaitable<void> {
      co_await sleep(2ms);
      tasks.spawn(wait_and_record(20ms, log, "child"));
    };
    tasks.spawn(spawner());
    co_await tasks.join();
    EXPECT_EQ(tasks.size(), 0u);
  });
  EXPECT_EQ(log, (std::vector<std::string>{"child:expired", "child:went-on"}));
}

TEST(TaskGroup, DestroyingTheGroupCancelsAndTheTasksEndOnTheirOwn) {
  asio::io_context io;
  const size_t before = TaskGroup::running_everywhere();
  auto shared_log = std::make_shared<std::vector<std::string>>();
  {
    TaskGroup tasks(io.get_executor());
    // The task owns what it touches: the log outlives the group.
    tasks.spawn([](std::shared_ptr<std::vector<std::string>> log) -> asio::awaitable<void> {
      co_await wait_and_record(10s, *log, "orphan");
    }(shared_log));
    io.run_for(5ms);
    EXPECT_EQ(TaskGroup::running_everywhere(), before + 1);
  }
  io.restart();
  io.run_for(5s);
  EXPECT_TRUE(io.stopped()) << "the cancelled task should have ended";
  EXPECT_EQ(*shared_log, (std::vector<std::string>{"orphan:aborted", "orphan:went-on"}));
  EXPECT_EQ(TaskGroup::running_everywhere(), before);
}

TEST(TaskGroup, ALoopDestroyedWithATaskSuspendedLeavesNothingCounted) {
  const size_t before = TaskGroup::running_everywhere();
  std::vector<std::string> log;
  auto io = std::make_unique<asio::io_context>();
  TaskGroup tasks(io->get_executor());
  tasks.spawn(wait_and_record(10s, log, "stuck"));
  io->run_for(5ms);
  EXPECT_EQ(tasks.size(), 1u);
  io.reset();  // destroys the suspended frame without running it to its end
  EXPECT_EQ(tasks.size(), 0u);
  EXPECT_EQ(TaskGroup::running_everywhere(), before);
  EXPECT_TRUE(log.empty());
  tasks.cancel_all();  // nothing left to cancel, and nothing of the gone loop is touched
}

TEST(TaskGroup, ATaskThatThrowsStillCountsAsEnded) {
  asio::io_context io;
  const size_t before = TaskGroup::running_everywhere();
  run_on(io, [&]() -> asio::awaitable<void> {
    TaskGroup tasks(io.get_executor());
    tasks.spawn([]() -> asio::awaitable<void> {
      co_await sleep(1ms);
      throw std::runtime_error("a bug");
    }());
    co_await tasks.join();
    EXPECT_EQ(tasks.size(), 0u);
  });
  EXPECT_EQ(TaskGroup::running_everywhere(), before);
}

}  // namespace
}  // namespace pk::net
