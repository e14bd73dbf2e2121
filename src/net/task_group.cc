#include "net/task_group.h"

#include <atomic>
#include <exception>
#include <iterator>
#include <list>
#include <vector>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/this_coro.hpp>

#include "common/log.h"
#include "net/loop_condition.h"

namespace pk::net {
namespace asio = boost::asio;

namespace {

std::atomic<size_t> g_running_tasks{0};

}  // namespace

struct TaskGroup::State {
  struct Task {
    asio::cancellation_signal signal;
    bool started = false;  // cancelling a task that has not started would make Asio throw before it runs
  };

  explicit State(asio::any_io_executor ex) : executor(std::move(ex)) {}

  asio::any_io_executor executor;
  std::list<Task> tasks;   // the running ones; stable addresses
  LoopCondition finished;  // a task ended
};

namespace {

// What every task runs inside: cancellation interrupts the operation the task waits on and nothing else (by
// default Asio would throw from the task's next co_await instead, skipping the clean-up it has written).
asio::awaitable<void> run_task(bool* started, asio::awaitable<void> task) {
  co_await asio::this_coro::throw_if_cancelled(false);
  *started = true;  // the entry lives until the completion handler, which runs after this frame is done
  co_await std::move(task);
}

}  // namespace

TaskGroup::TaskGroup(asio::any_io_executor executor) : state_(std::make_shared<State>(std::move(executor))) {}

TaskGroup::~TaskGroup() {
  cancel_all();
}

void TaskGroup::spawn(asio::awaitable<void> task) {
  auto& entry = state_->tasks.emplace_back();
  const auto position = std::prev(state_->tasks.end());
  g_running_tasks.fetch_add(1, std::memory_order_relaxed);
  auto done = [state = state_, position](std::exception_ptr failure) {
    state->tasks.erase(position);
    g_running_tasks.fetch_sub(1, std::memory_order_relaxed);
    if (failure) {
      try {
        std::rethrow_exception(failure);
      } catch (const std::exception& e) {
        logger("net")->error("a background task ended with an exception (a bug): {}", e.what());
      } catch (...) {
        logger("net")->error("a background task ended with an unknown exception (a bug)");
      }
    }
    state->finished.notify_all();
  };
  asio::co_spawn(state_->executor, run_task(&entry.started, std::move(task)),
                 asio::bind_cancellation_slot(entry.signal.slot(), std::move(done)));
}

void TaskGroup::cancel_all() {
  // Emitting completes the interrupted operations through the loop, never inline, so the list cannot change
  // under us; the copy is for clarity.
  std::vector<asio::cancellation_signal*> signals;
  signals.reserve(state_->tasks.size());
  for (auto& task : state_->tasks) {
    if (task.started) signals.push_back(&task.signal);
  }
  for (auto* signal : signals) signal->emit(asio::cancellation_type::terminal);
}

asio::awaitable<void> TaskGroup::join() {
  const auto state = state_;  // the group may be destroyed by the last task's end while we wait
  while (!state->tasks.empty()) co_await state->finished.wait();
}

size_t TaskGroup::size() const {
  return state_->tasks.size();
}

const asio::any_io_executor& TaskGroup::executor() const {
  return state_->executor;
}

size_t TaskGroup::running_everywhere() {
  return g_running_tasks.load(std::memory_order_relaxed);
}

}  // namespace pk::net
