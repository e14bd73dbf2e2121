#pragma once
// Coroutines spawned by one owner on its loop, counted so that the owner can wait until all of them finished (its
// stop() awaits wait_idle() before it lets go of the state they use). Loop-only; not thread-safe.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include "http/signal.h"

namespace pk::kcl {

class TaskGroup {
 public:
  explicit TaskGroup(const boost::asio::any_io_executor& executor) : executor_(executor), idle_(executor) {}

  // Starts `task` on the loop; it must not throw.
  void spawn(boost::asio::awaitable<void> task) {
    ++running_;
    boost::asio::co_spawn(executor_, run(std::move(task)), boost::asio::detached);
  }

  int running() const { return running_; }

  // Returns once no spawned task is running.
  boost::asio::awaitable<void> wait_idle() {
    while (running_ > 0) co_await idle_.wait();
  }

 private:
  boost::asio::awaitable<void> run(boost::asio::awaitable<void> task) {
    co_await std::move(task);
    if (--running_ == 0) idle_.notify();
  }

  boost::asio::any_io_executor executor_;
  http::Signal idle_;
  int running_ = 0;
};

}  // namespace pk::kcl
