#pragma once
// A mutex for coroutines on one loop: lock() suspends until the holder unlocks, waiters are served in order;
// try_lock() never waits. Used to keep one write at a time on a lease (a renewal and a checkpoint both advance its
// counter: run together, one would fail its condition and look like a lost lease). Loop-only; not thread-safe.
//
//   auto locking = mutex->lock();          // GCC 12 rule: awaitable in its own statement
//   AsyncMutex::Guard guard = co_await std::move(locking);

#include <chrono>
#include <deque>
#include <memory>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace pk::kcl {

class AsyncMutex : public std::enable_shared_from_this<AsyncMutex> {
 public:
  // Unlocks when destroyed (or on release()).
  class Guard {
   public:
    Guard() = default;
    explicit Guard(std::shared_ptr<AsyncMutex> mutex) : mutex_(std::move(mutex)) {}
    Guard(Guard&& other) noexcept = default;
    Guard& operator=(Guard&& other) noexcept {
      release();
      mutex_ = std::move(other.mutex_);
      return *this;
    }
    ~Guard() { release(); }
    void release() {
      if (auto m = std::move(mutex_)) m->unlock();
    }
    bool owns_lock() const { return mutex_ != nullptr; }

   private:
    std::shared_ptr<AsyncMutex> mutex_;
  };

  explicit AsyncMutex(boost::asio::any_io_executor executor) : executor_(std::move(executor)) {}

  bool locked() const { return locked_; }

  // The lock if it is free now; an empty guard otherwise.
  Guard try_lock() {
    if (locked_) return Guard();
    locked_ = true;
    return Guard(shared_from_this());
  }

  boost::asio::awaitable<Guard> lock() {
    auto self = shared_from_this();
    if (!locked_) {
      locked_ = true;
      co_return Guard(std::move(self));
    }
    auto timer = std::make_shared<boost::asio::steady_timer>(executor_, std::chrono::steady_clock::time_point::max());
    waiters_.push_back(timer);
    co_await timer->async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
    // unlock() handed the lock over to us (it stays locked).
    co_return Guard(std::move(self));
  }

 private:
  void unlock() {
    if (waiters_.empty()) {
      locked_ = false;
      return;
    }
    auto next = std::move(waiters_.front());
    waiters_.pop_front();
    next->cancel();  // wakes it; the lock passes to it
  }

  boost::asio::any_io_executor executor_;
  bool locked_ = false;
  std::deque<std::shared_ptr<boost::asio::steady_timer>> waiters_;
};

}  // namespace pk::kcl
