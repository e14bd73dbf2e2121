#pragma once
// Caches the credentials of another provider and refreshes them before they expire:
//
//   get() --> cached and not near expiry ------------------------------> cached
//         --> cached, expires within refresh_margin, last check older
//             than check_interval: one caller refreshes, the others -----> cached (still valid)
//         --> none or expired: one caller fetches, the others wait -----> the fetched result (or its error)
//
// Credentials without an expiration are kept until invalidate(). A failed refresh of still-valid credentials keeps
// them (with a warning) and tries again after check_interval. Only one fetch runs at a time: callers that need
// to wait are woken with its outcome, so a refresh never stampedes the source (IMDS, STS). A fetch whose
// coroutine is abandoned mid-way (its caller cancelled, or the loop gone) frees the cache for the next caller
// and wakes those waiting for it with a retryable error.
// Thread-safe: callers on any loop; waiters are woken on their own executor.

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "aws/credentials.h"
#include "common/clock.h"

namespace pk::aws {

struct CacheOptions {
  std::chrono::milliseconds check_interval{5000};  // credentialsRefreshDelay
  std::chrono::seconds refresh_margin{300};
  // Credentials closer than this to their expiration are not handed out any more (requests take time).
  std::chrono::seconds expiry_skew{15};
};

class CachingCredentialsProvider final : public CredentialsProvider {
 public:
  CachingCredentialsProvider(std::shared_ptr<CredentialsProvider> inner, CacheOptions options = {},
                             const Clock& clock = SystemClock::instance());
  ~CachingCredentialsProvider() override;

  boost::asio::awaitable<Result<Credentials>> get() override;
  std::string name() const override { return inner_->name(); }
  void invalidate() override;

  // Fetches made so far (for tests and metrics).
  uint64_t fetches() const;

 private:
  struct Waiter;
  boost::asio::awaitable<Result<Credentials>> fetch_and_publish();

  std::shared_ptr<CredentialsProvider> inner_;
  CacheOptions options_;
  const Clock& clock_;

  mutable std::mutex mutex_;
  std::optional<Credentials> cached_;                   // guarded by mutex_
  std::chrono::steady_clock::time_point next_check_{};  // guarded by mutex_
  bool fetching_ = false;                               // guarded by mutex_
  std::vector<std::shared_ptr<Waiter>> waiters_;        // guarded by mutex_
  uint64_t fetches_ = 0;                                // guarded by mutex_
};

}  // namespace pk::aws
