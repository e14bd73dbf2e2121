#include "common/result.h"

#include <memory>

#include <gtest/gtest.h>

namespace pk {
namespace {

Result<int> parse_positive(int v) {
  if (v <= 0) return make_error(ErrorCode::kInvalidArgument, "value must be positive");
  return v;
}

Result<int> doubled(int v) {
  PK_ASSIGN_OR_RETURN(int x, parse_positive(v));
  return x * 2;
}

Status check(int v) {
  PK_TRY(parse_positive(v));
  return ok_status();
}

TEST(Result, HoldsValueOrError) {
  auto ok = parse_positive(3);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(*ok, 3);
  auto bad = parse_positive(-1);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(bad.error().to_string(), "invalid argument: value must be positive");
}

TEST(Result, MacrosPropagateErrors) {
  EXPECT_EQ(*doubled(4), 8);
  EXPECT_FALSE(doubled(0).ok());
  EXPECT_TRUE(check(1).ok());
  EXPECT_EQ(check(0).error().code, ErrorCode::kInvalidArgument);
}

TEST(Result, MoveOnlyValues) {
  Result<std::unique_ptr<int>> r(std::make_unique<int>(5));
  auto p = std::move(r).value();
  EXPECT_EQ(*p, 5);
}

TEST(Result, RetryableClassification) {
  EXPECT_TRUE(is_retryable(ErrorCode::kThrottled));
  EXPECT_TRUE(is_retryable(ErrorCode::kUnavailable));
  EXPECT_TRUE(is_retryable(ErrorCode::kIo));
  EXPECT_FALSE(is_retryable(ErrorCode::kInvalidArgument));
  EXPECT_FALSE(is_retryable(ErrorCode::kMalformedInput));
  EXPECT_FALSE(is_retryable(ErrorCode::kUnauthenticated));
}

TEST(Result, WithContextPrefixesTheMessage) {
  const Error e = make_error(ErrorCode::kIo, "connection reset").with_context("pulsar://127.0.0.1:6650");
  EXPECT_EQ(e.message, "pulsar://127.0.0.1:6650: connection reset");
  EXPECT_EQ(e.code, ErrorCode::kIo);
}

}  // namespace
}  // namespace pk
