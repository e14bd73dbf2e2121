#include "aws/retry_policy.h"

#include <algorithm>
#include <random>

namespace pk::aws {

bool RetryBudget::try_acquire(int cost) {
  int have = tokens_.load(std::memory_order_relaxed);
  while (have >= cost) {
    if (tokens_.compare_exchange_weak(have, have - cost, std::memory_order_relaxed)) return true;
  }
  return false;
}

void RetryBudget::release(int amount) {
  int have = tokens_.load(std::memory_order_relaxed);
  while (true) {
    const int next = std::min(capacity_, have + amount);
    if (tokens_.compare_exchange_weak(have, next, std::memory_order_relaxed)) return;
  }
}

RetryPolicy::RetryPolicy(RetryOptions options)
    : options_(options), budget_(std::make_shared<RetryBudget>(std::max(0, options.budget_capacity))) {
  options_.max_attempts = std::max(1, options_.max_attempts);
}

RetryPolicy::Attempt RetryPolicy::start() const {
  thread_local std::mt19937_64 seeds{std::random_device{}()};
  return Attempt(*this, seeds());
}

RetryPolicy::Attempt::Attempt(const RetryPolicy& policy, uint64_t seed)
    : policy_(policy),
      transient_(policy.options_.initial_delay, policy.options_.max_delay, seed),
      throttled_(std::max(policy.options_.throttling_initial_delay, policy.options_.initial_delay),
                 policy.options_.max_delay, seed ^ 0x9e3779b97f4a7c15ull) {}

std::optional<std::chrono::milliseconds> RetryPolicy::Attempt::next_delay(const Error& error) {
  const RetryClass cls = classify_error(error);
  if (!retries(cls)) {
    why_not_ = "not retryable";
    return std::nullopt;
  }
  if (attempts_ >= policy_.options_.max_attempts) {
    why_not_ = "attempts exhausted";
    return std::nullopt;
  }
  const int cost =
      error.code == ErrorCode::kTimeout ? policy_.options_.timeout_retry_cost : policy_.options_.retry_cost;
  if (!policy_.budget_->try_acquire(cost)) {
    why_not_ = "retry budget exhausted";
    return std::nullopt;
  }
  last_cost_ = cost;
  ++attempts_;
  return cls == RetryClass::kThrottling ? throttled_.next() : transient_.next();
}

void RetryPolicy::Attempt::on_success() {
  // A success after retries gives back what the last retry took; a first-try success adds a little.
  policy_.budget_->release(last_cost_ > 0 ? last_cost_ : policy_.options_.success_refill);
  last_cost_ = 0;
}

}  // namespace pk::aws
