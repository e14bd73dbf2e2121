#pragma once
// Helpers for the client's unit tests: run a test coroutine on an io_context until it finishes.

#include <chrono>

#include <gtest/gtest.h>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

namespace pk::pulsar::testing {

// Runs `body()` (returning awaitable<void>) on `io` until it returns; fails the test after `limit`.
template <typename F>
void run(boost::asio::io_context& io, F body, std::chrono::seconds limit = std::chrono::seconds(20)) {
  bool done = false;
  boost::asio::co_spawn(
      io,
      [&]() -> boost::asio::awaitable<void> {
        co_await body();
        done = true;
        io.stop();
      },
      boost::asio::detached);
  io.run_for(limit);
  ASSERT_TRUE(done) << "test coroutine did not finish";
  io.restart();
  io.poll();  // let detached coroutines observe closes before the test's objects go away
}

}  // namespace pk::pulsar::testing
