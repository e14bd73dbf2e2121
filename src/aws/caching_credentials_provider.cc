#include "aws/caching_credentials_provider.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/concurrent_channel.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "common/log.h"
#include "net/scope_exit.h"

namespace pk::aws {

// A caller waiting for the fetch in progress. The channel (buffer of one, thread-safe) wakes it on its own
// executor even when the fetch ends before it started waiting.
struct CachingCredentialsProvider::Waiter {
  explicit Waiter(const boost::asio::any_io_executor& executor) : wake(executor, 1) {}
  boost::asio::experimental::concurrent_channel<void(boost::system::error_code)> wake;
  std::optional<Result<Credentials>> outcome;  // set before wake is signalled
};

CachingCredentialsProvider::CachingCredentialsProvider(std::shared_ptr<CredentialsProvider> inner, CacheOptions options,
                                                       const Clock& clock)
    : inner_(std::move(inner)), options_(options), clock_(clock) {}

CachingCredentialsProvider::~CachingCredentialsProvider() = default;

uint64_t CachingCredentialsProvider::fetches() const {
  std::lock_guard lock(mutex_);
  return fetches_;
}

void CachingCredentialsProvider::invalidate() {
  {
    std::lock_guard lock(mutex_);
    cached_.reset();
  }
  inner_->invalidate();
}

boost::asio::awaitable<Result<Credentials>> CachingCredentialsProvider::fetch_and_publish() {
  // However this fetch ends - published below, or its coroutine cancelled or destroyed mid-fetch - the next caller
  // must be able to fetch, and those waiting for this one must not wait forever: they are woken with an error
  // (and fetch again themselves the next time they ask).
  net::ScopeExit abandoned([this] {
    std::vector<std::shared_ptr<Waiter>> waiters;
    {
      std::lock_guard lock(mutex_);
      fetching_ = false;
      waiters.swap(waiters_);
    }
    const Error stopped = make_error(ErrorCode::kUnavailable, "credentials: the fetch from " + inner_->name() +
                                                                  " this call waited for was abandoned");
    for (auto& w : waiters) {
      w->outcome = stopped;
      w->wake.try_send(boost::system::error_code{});
    }
  });
  auto fetching = inner_->get();
  auto fetched = co_await std::move(fetching);
  abandoned.dismiss();
  std::vector<std::shared_ptr<Waiter>> waiters;
  Result<Credentials> outcome = fetched;
  {
    std::lock_guard lock(mutex_);
    ++fetches_;
    fetching_ = false;
    next_check_ = clock_.steady_now() + options_.check_interval;
    if (fetched.ok()) {
      cached_ = *fetched;
    } else if (cached_ && (!cached_->expiration || clock_.now() + options_.expiry_skew < *cached_->expiration)) {
      logger("aws")->warn("refreshing credentials from {} failed ({}); using the current ones until they expire",
                          inner_->name(), fetched.error().message);
      outcome = *cached_;
    }
    waiters.swap(waiters_);
  }
  for (auto& w : waiters) {
    w->outcome = outcome;
    w->wake.try_send(boost::system::error_code{});
  }
  co_return outcome;
}

boost::asio::awaitable<Result<Credentials>> CachingCredentialsProvider::get() {
  auto executor = co_await boost::asio::this_coro::executor;
  std::shared_ptr<Waiter> waiter;
  bool fetch_now = false;
  {
    std::lock_guard lock(mutex_);
    const auto now = clock_.now();
    const bool usable = cached_ && (!cached_->expiration || now + options_.expiry_skew < *cached_->expiration);
    if (usable) {
      const bool near_expiry = cached_->expiration && *cached_->expiration - now <= options_.refresh_margin;
      if (!near_expiry || fetching_ || clock_.steady_now() < next_check_) co_return *cached_;
      fetching_ = true;  // refresh ahead of expiry; this caller pays for it
      fetch_now = true;
    } else if (fetching_) {
      waiter = std::make_shared<Waiter>(executor);
      waiters_.push_back(waiter);
    } else {
      fetching_ = true;
      fetch_now = true;
    }
  }
  if (fetch_now) {
    auto publishing = fetch_and_publish();
    co_return co_await std::move(publishing);
  }
  auto waiting = waiter->wake.async_receive(boost::asio::as_tuple(boost::asio::use_awaitable));
  auto [ec] = co_await std::move(waiting);
  if (ec || !waiter->outcome) {
    co_return make_error(ErrorCode::kCancelled, "credentials: stopped while waiting for " + inner_->name());
  }
  co_return std::move(*waiter->outcome);
}

}  // namespace pk::aws
