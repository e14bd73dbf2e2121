#pragma once
// Runs blocking work (file reads, credential_process) off the event loop and resumes the caller on its own
// executor. The work runs on the pool it is given (Runtime::blocking()), or, when none is, on the process's
// helper pool: a fixed number of threads made on first use and joined when the process exits. No thread is ever
// started for a single call or left detached.

#include <cstddef>
#include <functional>
#include <optional>
#include <utility>

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "common/result.h"

namespace pk::net {

inline constexpr size_t kHelperPoolThreads = 2;

// The pool run_blocking uses when the caller gives none. Thread-safe.
inline boost::asio::thread_pool& helper_pool() {
  // Destroyed (stopped and joined) with the other statics at exit.
  static boost::asio::thread_pool pool(kHelperPoolThreads);
  return pool;
}

template <typename T>
boost::asio::awaitable<Result<T>> run_blocking(boost::asio::thread_pool* pool, std::function<Result<T>()> work) {
  namespace asio = boost::asio;
  boost::asio::thread_pool& runner = pool != nullptr ? *pool : helper_pool();
  auto initiate = [&runner, work = std::move(work)](auto handler) mutable {
    auto caller = asio::get_associated_executor(handler);
    // Keeps the caller's loop from running out of work meanwhile. It travels with the result and ends on the
    // caller's loop: released on the pool's thread, it could touch a loop that has already finished and gone.
    auto guard = asio::make_work_guard(caller);
    asio::post(
        runner, [work = std::move(work), handler = std::move(handler), guard = std::move(guard), caller]() mutable {
          std::optional<Result<T>> outcome(work());
          asio::dispatch(caller, [handler = std::move(handler), outcome = std::move(outcome),
                                  guard = std::move(guard)]() mutable { std::move(handler)(std::move(outcome)); });
        });
  };
  auto running = asio::async_initiate<decltype(asio::use_awaitable), void(std::optional<Result<T>>)>(
      std::move(initiate), asio::use_awaitable);
  std::optional<Result<T>> outcome = co_await std::move(running);
  co_return std::move(*outcome);
}

}  // namespace pk::net
