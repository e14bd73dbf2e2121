#pragma once
// Runs an awaitable with a deadline. When the deadline wins, the operation is cancelled (through Asio's
// per-operation cancellation) and a kTimeout error naming `what` is returned.

#include <chrono>
#include <string>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <fmt/format.h>

#include "common/result.h"

namespace pk::net {

template <typename T>
boost::asio::awaitable<Result<T>> with_timeout(boost::asio::awaitable<Result<T>> op,
                                               std::chrono::steady_clock::duration timeout, std::string what) {
  using namespace boost::asio::experimental::awaitable_operators;
  boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, timeout);
  auto outcome = co_await (std::move(op) || timer.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable)));
  if (outcome.index() == 0) co_return std::get<0>(std::move(outcome));
  co_return make_error(ErrorCode::kTimeout,
                       fmt::format("{}: no answer within {} ms", what,
                                   std::chrono::duration_cast<std::chrono::milliseconds>(timeout).count()));
}

// co_await sleep(d): waits on the current executor. Returns false if cancelled.
inline boost::asio::awaitable<bool> sleep(std::chrono::steady_clock::duration d) {
  boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, d);
  auto [ec] = co_await timer.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
  co_return !ec;
}

}  // namespace pk::net
