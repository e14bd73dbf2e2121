#pragma once
// Running and checking coroutines in tests, for the unit and integration tests of every module
// (include "support/async_test.h"):
//
//   run_on(io, body)           runs the void coroutine body() on `io`, a loop the test owns, to completion
//   run_coroutine<T>(make)     runs make()'s awaitable on coroutine_loop() and hands back its result
//   eventually(pred)           (co_await) polls pred on the current loop until it holds or the limit passes
//   poll_until(pred)           the same for a test thread that runs no loop (fakes with threads of their own)
//   PK_EXPECT_OK(result)       anywhere: fails the test with the error (and goes on)
//   PK_CO_ASSERT_OK(result)    in a void test coroutine: fails the test with the error and co_returns
//   PK_CO_EXPECT_EVENTUALLY(condition)  in a test coroutine: fails the test if the condition never holds
//
// A hang fails the test instead of blocking the suite. docs/developing.md says what these macros accept.

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <thread>
#include <type_traits>

#include <gtest/gtest.h>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include "common/result.h"
#include "net/timeout.h"

namespace pk::testing {

inline constexpr std::chrono::seconds kCoroutineLimit{20};

// The loop run_coroutine uses. Never destroyed: HTTP clients made on it may post their clean-up after the test's
// coroutine has finished.
inline boost::asio::io_context& coroutine_loop() {
  static auto* loop = new boost::asio::io_context();
  return *loop;
}

// Runs the void coroutine `body()` on `io` to completion (a hang fails the test); then runs what it left ready
// (tasks ending after a close) before the test's objects go away.
template <typename F>
void run_on(boost::asio::io_context& io, F body, std::chrono::seconds limit = kCoroutineLimit) {
  bool done = false;
  boost::asio::co_spawn(
      io,
      [&]() -> boost::asio::awaitable<void> {
        co_await body();
        done = true;
        io.stop();
      },
      boost::asio::detached);
  io.restart();
  io.run_for(limit);
  ASSERT_TRUE(done) << "the test coroutine did not finish within " << limit.count() << " s";
  io.restart();
  io.poll();
}

// The same with the limit first, for bodies that want it (the lambda stays the last argument).
template <typename F>
void run_on(boost::asio::io_context& io, std::chrono::seconds limit, F body) {
  run_on(io, std::move(body), limit);
}

// Runs `make()`'s awaitable on coroutine_loop() to completion and returns its result. On a hang the test fails and
// the result is a kTimeout error (or T{} when T cannot hold one).
template <typename T, typename MakeAwaitable>
T run_coroutine(MakeAwaitable make, std::chrono::seconds limit = kCoroutineLimit) {
  std::optional<T> result;
  run_on(
      coroutine_loop(),
      [&]() -> boost::asio::awaitable<void> {
        auto running = make();
        result.emplace(co_await std::move(running));
      },
      limit);
  if (!result) {
    if constexpr (std::is_constructible_v<T, Error>) {
      return T(make_error(ErrorCode::kTimeout, "test: coroutine did not finish"));
    } else {
      return T{};
    }
  }
  return std::move(*result);
}

// Polls `done` every 5 ms on the current loop (which keeps running meanwhile) for up to `limit`.
template <typename Pred>
boost::asio::awaitable<bool> eventually(Pred done, std::chrono::milliseconds limit = std::chrono::milliseconds(3000)) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) co_return false;
    co_await net::sleep(std::chrono::milliseconds(5));
  }
  co_return true;
}

// Polls `done` every 5 ms on the calling thread for up to `limit`.
inline bool poll_until(const std::function<bool()>& done,
                       std::chrono::milliseconds limit = std::chrono::milliseconds(5000)) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

}  // namespace pk::testing

// PK_EXPECT_OK(result): an EXPECT that prints the error. `result` is evaluated more than once: pass a name.
#define PK_EXPECT_OK(result) \
  EXPECT_TRUE((result).ok()) << #result << ": " << ((result).ok() ? std::string() : (result).error().to_string())

// PK_CO_ASSERT_OK(result): `result` is a named Result or Status (an lvalue, so never a co_await expression: bind
// the awaited value to a local first). When it holds an error, the test fails with that error and the enclosing
// void coroutine co_returns.
#define PK_CO_ASSERT_OK(result)                                                                            \
  do {                                                                                                     \
    static_assert(std::is_lvalue_reference_v<decltype((result))>, "PK_CO_ASSERT_OK takes a named Result"); \
    if (!(result).ok()) {                                                                                  \
      ADD_FAILURE() << #result << ": " << (result).error().to_string();                                    \
      co_return;                                                                                           \
    }                                                                                                      \
  } while (0)

// PK_CO_EXPECT_EVENTUALLY(condition) / PK_CO_EXPECT_EVENTUALLY_WITHIN(limit, condition): polls the condition
// (an expression over the test's variables) with eventually() and fails the test when it never holds. The one
// co_await stands alone in its own statement, as the coroutine rules in docs/developing.md ask.
#define PK_CO_EXPECT_EVENTUALLY_WITHIN(limit, ...)                                            \
  do {                                                                                        \
    auto pk_eventually_condition_ = [&]() -> bool { return static_cast<bool>(__VA_ARGS__); }; \
    auto pk_eventually_polling_ = ::pk::testing::eventually(pk_eventually_condition_, limit); \
    const bool pk_eventually_held_ = co_await std::move(pk_eventually_polling_);              \
    EXPECT_TRUE(pk_eventually_held_) << "never became true: " #__VA_ARGS__;                   \
  } while (0)
#define PK_CO_EXPECT_EVENTUALLY(...) PK_CO_EXPECT_EVENTUALLY_WITHIN(std::chrono::milliseconds(3000), __VA_ARGS__)
