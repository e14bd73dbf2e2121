#pragma once
// Runs a coroutine on a given loop and resumes the caller on its own: how objects that live on one loop
// (connection pools, HTTP/2 connections) serve callers on other loops without locks.

#include <optional>
#include <type_traits>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace pk::net {

namespace detail {
// co_spawn hands results back through a default-constructed value, which Result<T> has not.
template <typename T>
boost::asio::awaitable<std::optional<T>> as_optional(boost::asio::awaitable<T> op) {
  co_return co_await std::move(op);
}
}  // namespace detail

// Awaits `op` on `loop`. Runs it inline when the caller is already there. Cancelling the caller cancels `op`.
template <typename T>
boost::asio::awaitable<T> on_loop(boost::asio::any_io_executor loop, boost::asio::awaitable<T> op) {
  auto current = co_await boost::asio::this_coro::executor;
  if (current == loop) co_return co_await std::move(op);
  if constexpr (std::is_void_v<T>) {
    auto hop = boost::asio::co_spawn(loop, std::move(op), boost::asio::use_awaitable);
    co_await std::move(hop);
  } else {
    auto wrapped = detail::as_optional(std::move(op));
    auto hop = boost::asio::co_spawn(loop, std::move(wrapped), boost::asio::use_awaitable);
    auto out = co_await std::move(hop);
    co_return std::move(*out);
  }
}

}  // namespace pk::net
