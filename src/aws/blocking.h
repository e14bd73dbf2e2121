#pragma once
// Runs blocking work (file reads, credential_process) off the event loop and resumes the caller on its own
// executor: on the Runtime's blocking pool when one is given, else on a thread of its own.

#include <functional>
#include <optional>
#include <thread>
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

namespace pk::aws {

template <typename T>
boost::asio::awaitable<Result<T>> run_blocking(boost::asio::thread_pool* pool, std::function<Result<T>()> work) {
  namespace asio = boost::asio;
  auto initiate = [pool, work = std::move(work)](auto handler) mutable {
    auto guard = asio::make_work_guard(asio::get_associated_executor(handler));
    auto job = [work = std::move(work), handler = std::move(handler), guard = std::move(guard)]() mutable {
      std::optional<Result<T>> outcome(work());
      auto executor = guard.get_executor();
      asio::dispatch(executor, [handler = std::move(handler), outcome = std::move(outcome)]() mutable {
        std::move(handler)(std::move(outcome));
      });
    };
    if (pool != nullptr) {
      asio::post(*pool, std::move(job));
    } else {
      std::thread(std::move(job)).detach();
    }
  };
  auto running = asio::async_initiate<decltype(asio::use_awaitable), void(std::optional<Result<T>>)>(
      std::move(initiate), asio::use_awaitable);
  std::optional<Result<T>> outcome = co_await std::move(running);
  co_return std::move(*outcome);
}

}  // namespace pk::aws
