#include "http/http1_pool.h"

#include <algorithm>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "net/scope_exit.h"

namespace pk::http {
namespace asio = boost::asio;

Http1Lease::Http1Lease(std::shared_ptr<Http1Pool> pool, std::unique_ptr<Http1Connection> connection)
    : pool_(std::move(pool)), connection_(std::move(connection)), reused_(connection_ != nullptr) {}

Http1Lease::~Http1Lease() {
  if (pool_) pool_->give_back(std::move(connection_));
}

void Http1Lease::set(std::unique_ptr<Http1Connection> connection) {
  connection_ = std::move(connection);
  reused_ = false;
}

void Http1Lease::discard() {
  if (connection_) connection_->close();
  connection_.reset();
  reused_ = false;
}

std::shared_ptr<Http1Pool> Http1Pool::create(asio::any_io_executor executor, Url origin, const ClientOptions& options) {
  auto pool = std::make_shared<Http1Pool>(std::move(executor), std::move(origin), options);
  pool->self_ = pool;
  return pool;
}

Http1Pool::Http1Pool(asio::any_io_executor executor, Url origin, const ClientOptions& options)
    : executor_(executor),
      origin_(std::move(origin)),
      max_connections_(std::max<size_t>(1, options.max_connections)),
      min_connections_(std::min(options.min_connections, std::max<size_t>(1, options.max_connections))),
      idle_timeout_(options.idle_timeout),
      reap_timer_(executor) {}

asio::awaitable<Result<Http1Lease>> Http1Pool::acquire(std::shared_ptr<Http1Pool> pool) {
  if (pool->closed_)
    co_return make_error(ErrorCode::kCancelled, "HTTP client for " + pool->origin_.origin() + " is closed");
  if (!pool->idle_.empty()) {
    auto connection = std::move(pool->idle_.back());
    pool->idle_.pop_back();
    co_return Http1Lease(pool, std::move(connection));
  }
  if (pool->open_ < pool->max_connections_) {
    ++pool->open_;
    co_return Http1Lease(pool, nullptr);
  }

  // At the bound: wait in line. The guard takes us out of the line whatever happens (a deadline cancels the
  // wait), and gives back what we were handed if we never got to use it.
  Waiter waiter{asio::steady_timer(pool->executor_, std::chrono::steady_clock::time_point::max()), nullptr, false};
  pool->waiters_.push_back(&waiter);
  net::ScopeExit guard([pool = pool.get(), &waiter] {
    if (waiter.granted) {
      pool->give_back(std::move(waiter.connection));
    } else {
      std::erase(pool->waiters_, &waiter);
    }
  });
  auto [ec] = co_await waiter.wake.async_wait(asio::as_tuple(asio::use_awaitable));
  (void)ec;  // woken by give_back (cancel) or by a cancellation from the caller: `granted` tells which
  if (!waiter.granted) {
    co_return make_error(ErrorCode::kCancelled,
                         "waiting for a connection to " + pool->origin_.origin() + " was cancelled");
  }
  guard.dismiss();
  co_return Http1Lease(pool, std::move(waiter.connection));
}

void Http1Pool::give_back(std::unique_ptr<Http1Connection> connection) {
  if (connection && connection->reusable() && !closed_) {
    if (!waiters_.empty()) {
      Waiter* next = waiters_.front();
      waiters_.pop_front();
      next->connection = std::move(connection);
      next->granted = true;
      next->wake.cancel();
      return;
    }
    connection->mark_idle(std::chrono::steady_clock::now());
    idle_.push_back(std::move(connection));
    schedule_reap();
    return;
  }
  if (connection) connection->close();
  if (!waiters_.empty() && !closed_) {  // pass the slot on: the waiter opens a fresh connection
    Waiter* next = waiters_.front();
    waiters_.pop_front();
    next->granted = true;
    next->wake.cancel();
    return;
  }
  --open_;
}

void Http1Pool::shutdown() {
  closed_ = true;
  for (auto& c : idle_) c->close();
  open_ -= idle_.size();
  idle_.clear();
  reap_timer_.cancel();
  for (Waiter* w : waiters_) w->wake.cancel();  // not granted: they report the pool closed
  waiters_.clear();
}

PoolStats Http1Pool::stats() const {
  return PoolStats{open_, idle_.size(), waiters_.size(), stats_opened_};
}

void Http1Pool::schedule_reap() {
  if (reap_armed_ || idle_.size() <= min_connections_) return;
  reap_armed_ = true;
  reap_timer_.expires_at(idle_.front()->idle_since() + idle_timeout_);
  reap_timer_.async_wait([weak = self_](const boost::system::error_code& ec) {
    auto pool = weak.lock();
    if (!pool) return;
    pool->reap_armed_ = false;
    if (!ec) pool->reap();
  });
}

void Http1Pool::reap() {
  const auto now = std::chrono::steady_clock::now();
  while (idle_.size() > min_connections_ && idle_.front()->idle_since() + idle_timeout_ <= now) {
    idle_.front()->close();
    idle_.pop_front();
    --open_;
  }
  schedule_reap();
}

}  // namespace pk::http
