#include "net/task_group.h"

#include <atomic>
#include <exception>
#include <iterator>
#include <list>
#include <utility>
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
    bool started = false;    // cancelling a task that has not started would make Asio throw before it runs
    bool abandoned = false;  // its loop was destroyed with it still suspended: nothing left to cancel or wait for
  };

  explicit State(asio::any_io_executor ex) : executor(std::move(ex)) {}

  size_t running() const { return tasks.size() - abandoned; }

  asio::any_io_executor executor;
  std::list<Task> tasks;  // stable addresses; a task is erased when it ends
  size_t abandoned = 0;
  LoopCondition finished;  // a task ended
};

namespace {

// What every task runs inside: cancellation interrupts the operation the task waits on and nothing else (by
// default Asio would throw from the task's next co_await instead, skipping the clean-up it has written).
asio::awaitable<void> run_task(bool* started, asio::awaitable<void> task) {
  co_await asio::this_coro::throw_if_cancelled(false);
  *started = true;  // the entry lives until the completion handler has run
  co_await std::move(task);
}

void log_failure(std::exception_ptr failure) {
  try {
    std::rethrow_exception(failure);
  } catch (const std::exception& e) {
    logger("net")->error("a background task ended with an exception (a bug): {}", e.what());
  } catch (...) {
    logger("net")->error("a background task ended with an unknown exception (a bug)");
  }
}

}  // namespace

// The completion handler of one task. Run when the task ends: takes it off the list. Destroyed without being run
// when the loop itself is destroyed with the task suspended (tests do that): the task is then marked abandoned,
// and its entry stays, since the frame being torn down may still refer to its cancellation slot.
class TaskGroup::Completion {
 public:
  Completion(std::shared_ptr<State> state, std::list<State::Task>::iterator task)
      : state_(std::move(state)), task_(task) {}
  Completion(Completion&& other) noexcept
      : state_(std::move(other.state_)), task_(other.task_), armed_(std::exchange(other.armed_, false)) {}
  Completion& operator=(Completion&&) = delete;
  ~Completion() {
    if (!armed_) return;
    task_->abandoned = true;
    ++state_->abandoned;
    g_running_tasks.fetch_sub(1, std::memory_order_relaxed);
  }

  void operator()(std::exception_ptr failure) {
    armed_ = false;
    state_->tasks.erase(task_);
    g_running_tasks.fetch_sub(1, std::memory_order_relaxed);
    if (failure) log_failure(failure);
    state_->finished.notify_all();
  }

 private:
  std::shared_ptr<State> state_;
  std::list<State::Task>::iterator task_;
  bool armed_ = true;
};

TaskGroup::TaskGroup(asio::any_io_executor executor) : state_(std::make_shared<State>(std::move(executor))) {}

TaskGroup::~TaskGroup() {
  cancel_all();
}

void TaskGroup::spawn(asio::awaitable<void> task) {
  auto& entry = state_->tasks.emplace_back();
  const auto position = std::prev(state_->tasks.end());
  g_running_tasks.fetch_add(1, std::memory_order_relaxed);
  asio::co_spawn(state_->executor, run_task(&entry.started, std::move(task)),
                 asio::bind_cancellation_slot(entry.signal.slot(), Completion(state_, position)));
}

void TaskGroup::cancel_all() {
  // Emitting completes the interrupted operations through the loop, never inline, so the list cannot change
  // under us; the copy is for clarity.
  std::vector<asio::cancellation_signal*> signals;
  signals.reserve(state_->tasks.size());
  for (auto& task : state_->tasks) {
    if (task.started && !task.abandoned) signals.push_back(&task.signal);
  }
  for (auto* signal : signals) signal->emit(asio::cancellation_type::terminal);
}

asio::awaitable<void> TaskGroup::join() {
  const auto state = state_;  // the group may be destroyed by the last task's end while we wait
  while (state->running() > 0) co_await state->finished.wait();
}

asio::awaitable<bool> TaskGroup::join_until(std::chrono::steady_clock::time_point deadline) {
  const auto state = state_;
  while (state->running() > 0) {
    if (std::chrono::steady_clock::now() >= deadline) co_return false;
    co_await state->finished.wait_until(deadline);
  }
  co_return true;
}

size_t TaskGroup::size() const {
  return state_->running();
}

const asio::any_io_executor& TaskGroup::executor() const {
  return state_->executor;
}

size_t TaskGroup::running_everywhere() {
  return g_running_tasks.load(std::memory_order_relaxed);
}

}  // namespace pk::net
