#include "config/start_at_time.h"

#include <gtest/gtest.h>

namespace pk::config {
namespace {

constexpr int64_t k2024 = 1704067200000;  // 2024-01-01T00:00:00Z

int64_t ms(std::string_view text) {
  auto r = parse_start_at_time(text);
  EXPECT_TRUE(r.ok()) << text << ": " << (r.ok() ? "" : r.error().message);
  return r.ok() ? *r : -1;
}

std::string error_of(std::string_view text) {
  auto r = parse_start_at_time(text);
  EXPECT_FALSE(r.ok()) << text;
  return r.ok() ? "" : r.error().message;
}

TEST(StartAtTime, EpochMilliseconds) {
  EXPECT_EQ(ms("1704067200000"), k2024);
  EXPECT_EQ(ms("0"), 0);
  EXPECT_EQ(ms(" 1704067200000 "), k2024);
}

TEST(StartAtTime, Iso8601) {
  EXPECT_EQ(ms("2024-01-01T00:00:00Z"), k2024);
  EXPECT_EQ(ms("2024-01-01T00:00:00"), k2024);  // no offset: UTC
  EXPECT_EQ(ms("2024-01-01"), k2024);           // a date alone: midnight UTC
  EXPECT_EQ(ms("2024-01-01 00:00:00Z"), k2024);
  EXPECT_EQ(ms("2024-01-01t00:00z"), k2024);
  EXPECT_EQ(ms("2024-01-01T01:00:00+01:00"), k2024);
  EXPECT_EQ(ms("2024-01-01T01:00:00+0100"), k2024);
  EXPECT_EQ(ms("2024-01-01T01:00+01"), k2024);
  EXPECT_EQ(ms("2023-12-31T19:00:00-05:00"), k2024);
  EXPECT_EQ(ms("2024-01-01T00:00:00.123Z"), k2024 + 123);
  EXPECT_EQ(ms("2024-01-01T00:00:00.1Z"), k2024 + 100);
  EXPECT_EQ(ms("2024-01-01T00:00:00.123456789Z"), k2024 + 123);
  EXPECT_EQ(ms("2024-02-29T12:34:56Z"), 1709210096000);  // leap day
  EXPECT_EQ(ms("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(ms("2000-03-01T00:00:00Z"), 951868800000);
}

TEST(StartAtTime, Rfc1123) {
  EXPECT_EQ(ms("Mon, 01 Jan 2024 00:00:00 GMT"), k2024);
  EXPECT_EQ(ms("01 Jan 2024 00:00:00 GMT"), k2024);
  EXPECT_EQ(ms("Mon, 1 Jan 2024 00:00 UTC"), k2024);
  EXPECT_EQ(ms("Sun, 31 Dec 2023 19:00:00 -0500"), k2024);
  EXPECT_EQ(ms("Tue, 15 Nov 1994 08:12:31 GMT"), 784887151000);  // RFC 7231's example
}

TEST(StartAtTime, BadTextNamesTheProblem) {
  EXPECT_EQ(error_of("2024-13-01T00:00:00Z"),
            "\"2024-13-01T00:00:00Z\" is not a time: month 13 out of range (allowed: epoch milliseconds, ISO-8601 "
            "(2024-01-01T00:00:00Z) or RFC-1123 (Mon, 01 Jan 2024 00:00:00 GMT))");
  EXPECT_NE(error_of("2023-02-29").find("day 29 out of range"), std::string::npos);
  EXPECT_NE(error_of("2024-01-01T24:00:00Z").find("time of day out of range"), std::string::npos);
  EXPECT_NE(error_of("2024-01-01T00:00:00+25:00").find("offset out of range"), std::string::npos);
  EXPECT_NE(error_of("2024-01-01T00:00:00 PST").find("bad offset"), std::string::npos);
  EXPECT_NE(error_of("2024-01-01X00:00").find("expected T"), std::string::npos);
  EXPECT_NE(error_of("Mon, 01 Foo 2024 00:00:00 GMT").find("unknown month \"Foo\""), std::string::npos);
  EXPECT_NE(error_of("Mon, 01 Jan 2024 00:00:00 PST").find("expected GMT"), std::string::npos);
  EXPECT_NE(error_of("yesterday").find("expected a weekday"), std::string::npos);
  EXPECT_NE(error_of("").find("empty"), std::string::npos);
  EXPECT_NE(error_of("-5").find("not a time"), std::string::npos);
  EXPECT_NE(error_of("99999999999999999999").find("out of range"), std::string::npos);
}

TEST(StartAtTime, FormatsEpochMilliseconds) {
  EXPECT_EQ(format_epoch_ms(k2024 + 250), "2024-01-01T00:00:00.250Z");
  EXPECT_EQ(format_epoch_ms(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(format_epoch_ms(1709210096000), "2024-02-29T12:34:56.000Z");
  for (int64_t t : {int64_t{0}, k2024, int64_t{951868800123}, int64_t{4102444799999}}) {
    EXPECT_EQ(ms(format_epoch_ms(t)), t);
  }
}

}  // namespace
}  // namespace pk::config
