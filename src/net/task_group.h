#pragma once
// The background coroutines one object owns (a connection's reader and writer, a consumer's ack loop, a client's
// background closes): started with spawn(), interrupted with cancel_all(), awaited with join(). Every coroutine
// that outlives the call that started it belongs to a group, so an owner's close() can wait until nothing of it
// is left running - what a drain on shutdown with no loss is built on.
//
//   tasks_.spawn(read_loop(self));     // the task holds what it touches (here a shared_ptr to its owner)
//   ...
//   closing_ = true;                   // close(): tell the loops to end,
//   tasks_.cancel_all();               // interrupt what they wait on,
//   co_await tasks_.join();            // and wait until every one has returned.
//
// cancel_all() emits Asio's terminal cancellation to each task: the operation it is suspended on (a timer, a
// socket read, a nested request) completes at once with operation_aborted, and the task goes on from there - it
// does not throw, so its own clean-up runs as written. A task stops when its loop condition says so; cancelling
// only makes it look now instead of at its next wake-up. A task that throws is logged as a bug.
//
// Owned by the object whose tasks it runs; used on `executor`'s loop only (spawn, cancel_all and join from that
// loop). Destroying the group cancels what still runs; those tasks finish on their own and must therefore own
// (shared_ptr) whatever they touch. A task must not join its own group (it would wait for itself).

#include <chrono>
#include <cstddef>
#include <memory>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

namespace pk::net {

class TaskGroup {
 public:
  explicit TaskGroup(boost::asio::any_io_executor executor);
  ~TaskGroup();
  TaskGroup(const TaskGroup&) = delete;
  TaskGroup& operator=(const TaskGroup&) = delete;

  // Starts `task` on the group's executor: at once, up to its first suspension, when called on that loop.
  void spawn(boost::asio::awaitable<void> task);
  // Interrupts every running task (see above). Tasks spawned later are not affected.
  void cancel_all();
  // Returns once no task of the group is running, tasks spawned while waiting included.
  boost::asio::awaitable<void> join();
  // The same, giving up at `deadline`: true when every task had ended.
  boost::asio::awaitable<bool> join_until(std::chrono::steady_clock::time_point deadline);

  // Tasks of this group still running.
  size_t size() const;
  const boost::asio::any_io_executor& executor() const;

  // Tasks still running in every group of the process: tests use it to prove a close left nothing behind.
  static size_t running_everywhere();

 private:
  struct State;
  class Completion;
  std::shared_ptr<State> state_;  // shared with the completion handlers of the running tasks
};

}  // namespace pk::net
