#pragma once
// A condition for coroutines on one loop: waiters sleep until notify_all() or their own deadline. It is how
// coroutines wait for "room in the send queue", "a message arrived", "the connection is ready", "every task has
// ended" without polling. Not thread-safe: every waiter and notifier runs on the same executor.

#include <algorithm>
#include <chrono>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "net/scope_exit.h"

namespace pk::net {

class LoopCondition {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;

  LoopCondition() = default;
  LoopCondition(const LoopCondition&) = delete;
  LoopCondition& operator=(const LoopCondition&) = delete;

  // True when woken by notify_all(), false at the deadline or when the wait was cancelled. Callers re-check
  // their predicate either way.
  boost::asio::awaitable<bool> wait_until(TimePoint deadline) {
    auto executor = co_await boost::asio::this_coro::executor;
    Waiter w{boost::asio::steady_timer(executor, deadline), false};
    waiters_.push_back(&w);
    // Off the list however the wait ends, a coroutine frame destroyed mid-wait included.
    ScopeExit unlist([this, &w] { std::erase(waiters_, &w); });
    auto [ec] = co_await w.timer.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
    (void)ec;
    co_return w.notified;
  }
  boost::asio::awaitable<bool> wait() { return wait_until(TimePoint::max()); }

  void notify_all() {
    for (Waiter* w : waiters_) {
      w->notified = true;
      w->timer.cancel();
    }
  }
  bool has_waiters() const { return !waiters_.empty(); }

 private:
  struct Waiter {
    boost::asio::steady_timer timer;
    bool notified;
  };
  std::vector<Waiter*> waiters_;
};

}  // namespace pk::net
