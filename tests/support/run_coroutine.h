#pragma once
// Shared by the unit and integration tests of every module (include "support/run_coroutine.h").
// run_coroutine runs a coroutine of the code under test to completion on a loop of its own and hands back its
// result; run_on runs a void one on the test's own loop. A hang fails the test instead of blocking the suite. The loop
// is never destroyed: HTTP clients made on it may post their clean-up after the test's coroutine has finished.

#include <chrono>
#include <optional>
#include <type_traits>

#include <gtest/gtest.h>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include "common/result.h"

namespace pk::testing {

inline boost::asio::io_context& coroutine_loop() {
  static auto* loop = new boost::asio::io_context();
  return *loop;
}

template <typename T, typename MakeAwaitable>
T run_coroutine(MakeAwaitable make, std::chrono::seconds limit = std::chrono::seconds(20)) {
  boost::asio::io_context& loop = coroutine_loop();
  std::optional<T> result;
  loop.restart();
  boost::asio::co_spawn(
      loop,
      [&]() -> boost::asio::awaitable<void> {
        auto running = make();
        result.emplace(co_await std::move(running));
        loop.stop();
      },
      boost::asio::detached);
  loop.run_for(limit);
  if (!result) {
    ADD_FAILURE() << "the coroutine under test did not finish within " << limit.count() << " s";
    if constexpr (std::is_constructible_v<T, Error>) {
      return T(make_error(ErrorCode::kTimeout, "test: coroutine did not finish"));
    } else {
      return T{};
    }
  }
  return std::move(*result);
}

// Runs the void coroutine `body()` on `io`, a loop the test owns, to completion (a hang fails the test); then
// runs what it left ready (detached coroutines observing closes) before the test's objects go away.
template <typename F>
void run_on(boost::asio::io_context& io, F body, std::chrono::seconds limit) {
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
  ASSERT_TRUE(done) << "the test coroutine did not finish within " << limit.count() << " s";
  io.restart();
  io.poll();
}

}  // namespace pk::testing
