#pragma once
// A wake-up flag for one coroutine waiting on one loop: notify() before or during wait() makes wait() return.
// Used where one side produces (a socket reader, a pool) and one coroutine consumes. Loop-only; not
// thread-safe.

#include <chrono>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace pk::net {

class Signal {
 public:
  explicit Signal(const boost::asio::any_io_executor& executor)
      : timer_(executor, std::chrono::steady_clock::time_point::max()) {}

  void notify() {
    pending_ = true;
    timer_.cancel();
  }

  // Returns once notified (at once if notified since the last wait) or when the waiter is cancelled; the
  // caller re-checks its condition either way.
  boost::asio::awaitable<void> wait() {
    if (!pending_) {
      timer_.expires_at(std::chrono::steady_clock::time_point::max());
      co_await timer_.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
    }
    pending_ = false;
  }

 private:
  boost::asio::steady_timer timer_;
  bool pending_ = false;
};

}  // namespace pk::net
