#pragma once
// The standard retry of AWS calls: errors classified as throttling or transient are retried with exponential
// backoff and full jitter (common/backoff.h), up to a number of attempts, while a retry budget allows it.
//
// The budget is a token bucket shared by every call made through one policy (copies share it): each retry
// costs tokens (more after a timeout), each success puts some back. When a dependency fails persistently the
// bucket drains and calls fail fast with their first error instead of multiplying the load on it; as calls
// start to succeed again the bucket refills.
//
// RetryPolicy and RetryBudget are thread-safe; a RetryPolicy::Attempt belongs to one call (one coroutine).

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>

#include "aws/aws_error.h"
#include "common/backoff.h"
#include "common/result.h"

namespace pk::aws {

struct RetryOptions {
  int max_attempts = 3;                                     // the first try included; 1 = never retry
  std::chrono::milliseconds initial_delay{100};             // retryInitialDelayInMillis
  std::chrono::milliseconds throttling_initial_delay{500};  // first delay after a throttling error
  std::chrono::milliseconds max_delay{20000};               // retryMaxDelayInMillis
  int budget_capacity = 500;
  int retry_cost = 5;
  int timeout_retry_cost = 10;
  int success_refill = 1;  // tokens returned by a success that needed no retry
};

class RetryBudget {
 public:
  explicit RetryBudget(int capacity) : capacity_(capacity), tokens_(capacity) {}
  // Takes `cost` tokens if that many are left.
  bool try_acquire(int cost);
  void release(int amount);  // capped at capacity
  int available() const { return tokens_.load(std::memory_order_relaxed); }
  int capacity() const { return capacity_; }

 private:
  const int capacity_;
  std::atomic<int> tokens_;
};

class RetryPolicy {
 public:
  explicit RetryPolicy(RetryOptions options = {});

  // The retry state of one call.
  class Attempt {
   public:
    // After a failed attempt: the delay to wait before the next one, or nullopt to give up (error not
    // retryable, attempts used up, or budget empty; `why_not` then says which, for the final error message).
    std::optional<std::chrono::milliseconds> next_delay(const Error& error);
    void on_success();
    int attempts() const { return attempts_; }
    std::string_view why_not() const { return why_not_; }

   private:
    friend class RetryPolicy;
    Attempt(const RetryPolicy& policy, uint64_t seed);
    const RetryPolicy& policy_;
    Backoff transient_;
    Backoff throttled_;
    int attempts_ = 1;
    int last_cost_ = 0;
    std::string_view why_not_;
  };

  Attempt start() const;
  const RetryOptions& options() const { return options_; }
  RetryBudget& budget() const { return *budget_; }

  // True for the classes this policy retries by itself (throttling, transient).
  static bool retries(RetryClass c) { return c == RetryClass::kThrottling || c == RetryClass::kTransient; }

 private:
  RetryOptions options_;
  std::shared_ptr<RetryBudget> budget_;
};

}  // namespace pk::aws
