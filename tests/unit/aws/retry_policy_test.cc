#include "aws/retry_policy.h"

#include <gtest/gtest.h>

namespace pk::aws {
namespace {

using namespace std::chrono_literals;

const Error kThrottle = make_error(ErrorCode::kThrottled, "slow down", "ProvisionedThroughputExceededException");
const Error kServer = make_error(ErrorCode::kUnavailable, "500", "InternalFailure");
const Error kFatal = make_error(ErrorCode::kInvalidArgument, "bad", "ValidationException");

TEST(RetryPolicy, RetriesThrottlingAndTransientUpToMaxAttempts) {
  RetryPolicy policy(
      RetryOptions{.max_attempts = 4, .initial_delay = 10ms, .throttling_initial_delay = 40ms, .max_delay = 1000ms});
  auto attempt = policy.start();
  auto d1 = attempt.next_delay(kServer);
  ASSERT_TRUE(d1.has_value());
  EXPECT_GE(*d1, 5ms);
  EXPECT_LE(*d1, 10ms);
  auto d2 = attempt.next_delay(kThrottle);
  ASSERT_TRUE(d2.has_value());
  EXPECT_GE(*d2, 20ms) << "throttling starts from its own, larger, base";
  EXPECT_LE(*d2, 40ms);
  auto d3 = attempt.next_delay(kThrottle);
  ASSERT_TRUE(d3.has_value());
  EXPECT_LE(*d3, 80ms);
  EXPECT_EQ(attempt.attempts(), 4);
  EXPECT_FALSE(attempt.next_delay(kServer).has_value());
  EXPECT_EQ(attempt.why_not(), "attempts exhausted");
}

TEST(RetryPolicy, NeverRetriesFatalOrSpecialClasses) {
  RetryPolicy policy;
  auto attempt = policy.start();
  EXPECT_FALSE(attempt.next_delay(kFatal).has_value());
  EXPECT_EQ(attempt.why_not(), "not retryable");
  EXPECT_FALSE(attempt.next_delay(make_error(ErrorCode::kUnavailable, "busy", "ResourceInUseException")).has_value());
  EXPECT_FALSE(
      attempt.next_delay(make_error(ErrorCode::kInvalidArgument, "old", "ExpiredIteratorException")).has_value());
  EXPECT_TRUE(attempt.next_delay(make_error(ErrorCode::kIo, "connection reset")).has_value());
}

TEST(RetryPolicy, DelaysStayUnderTheCap) {
  RetryPolicy policy(RetryOptions{.max_attempts = 50,
                                  .initial_delay = 100ms,
                                  .throttling_initial_delay = 100ms,
                                  .max_delay = 300ms,
                                  .budget_capacity = 100000});
  auto attempt = policy.start();
  for (int i = 0; i < 40; ++i) {
    auto d = attempt.next_delay(kServer);
    ASSERT_TRUE(d.has_value());
    EXPECT_LE(*d, 300ms);
  }
}

TEST(RetryBudget, DrainsUnderPersistentFailureAndRefillsOnSuccess) {
  RetryPolicy policy(RetryOptions{
      .max_attempts = 3, .budget_capacity = 20, .retry_cost = 5, .timeout_retry_cost = 10, .success_refill = 1});
  int retried = 0;
  for (int call = 0; call < 10; ++call) {
    auto attempt = policy.start();
    while (attempt.next_delay(kServer).has_value()) ++retried;
  }
  EXPECT_EQ(retried, 4) << "20 tokens pay for four retries of cost 5, then calls fail fast";
  EXPECT_EQ(policy.budget().available(), 0);
  {
    auto attempt = policy.start();
    EXPECT_FALSE(attempt.next_delay(kServer).has_value());
    EXPECT_EQ(attempt.why_not(), "retry budget exhausted");
  }
  for (int i = 0; i < 5; ++i) policy.start().on_success();
  EXPECT_EQ(policy.budget().available(), 5);
  auto attempt = policy.start();
  EXPECT_FALSE(attempt.next_delay(make_error(ErrorCode::kTimeout, "slow"))) << "a timeout retry costs 10";
  ASSERT_TRUE(attempt.next_delay(kServer).has_value());
  EXPECT_EQ(policy.budget().available(), 0);
  attempt.on_success();
  EXPECT_EQ(policy.budget().available(), 5) << "a success after a retry gives its cost back";

  RetryPolicy copy = policy;
  EXPECT_EQ(&copy.budget(), &policy.budget()) << "copies share one budget";
}

TEST(RetryBudget, NeverExceedsCapacity) {
  RetryBudget b(10);
  b.release(100);
  EXPECT_EQ(b.available(), 10);
  EXPECT_TRUE(b.try_acquire(10));
  EXPECT_FALSE(b.try_acquire(1));
}

}  // namespace
}  // namespace pk::aws
