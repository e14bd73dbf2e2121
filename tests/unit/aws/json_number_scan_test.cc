// The one-pass number reader: its grammar against the JSON grammar, its significand and exponent, and exact_millis
// against the route the general reader takes (parse to double, times 1000, round) for the numbers it accepts.
#include "aws/json_number_scan.h"

#include <charconv>
#include <cmath>
#include <random>
#include <string>

#include <gtest/gtest.h>

namespace pk::aws {
namespace {

// Reads `text` followed by `after`; the number must end where `after` begins.
JsonNumber read(const std::string& text, const std::string& after = "}") {
  const std::string input = text + after;
  JsonNumber n;
  const char* end = scan_json_number(input.data(), input.data() + input.size(), n);
  EXPECT_EQ(end, input.data() + text.size()) << text;
  EXPECT_EQ(n.text, text);
  return n;
}

int64_t double_route_millis(const std::string& text) {
  double seconds = 0;
  std::from_chars(text.data(), text.data() + text.size(), seconds);
  return std::llround(seconds * 1000.0);
}

TEST(JsonNumberScan, ReadsTheGrammar) {
  for (const char* text : {"0", "-0", "7", "-12", "0.5", "1.700000000123E9", "1e3", "1E-3", "2.5e+10", "-0.0e0",
                           "123456789012345678", "1234567890123456789012345"}) {
    read(text);
    read(text, "");  // at the very end of the input too (the byte-by-byte route)
  }
  for (const char* bad : {"", "-", "+1", ".5", "1.", "1.e3", "1e", "1e+", "--1", "x", "-x"}) {
    const std::string input = std::string(bad) + "}";
    JsonNumber n;
    EXPECT_EQ(scan_json_number(input.data(), input.data() + input.size(), n), nullptr) << bad;
  }
  // "01" is the number 0 followed by something else: the caller then finds the '1' where it expects a delimiter.
  const std::string leading_zero = "01";
  JsonNumber n;
  EXPECT_EQ(scan_json_number(leading_zero.data(), leading_zero.data() + 2, n), leading_zero.data() + 1);
}

TEST(JsonNumberScan, CollectsSignificandAndExponentAcrossEveryRunLength) {
  // Integer and fraction parts of every length from 1 to 18 digits, so that each part is read through full words,
  // partial words and the byte-by-byte tail.
  for (int int_digits = 1; int_digits <= 18; ++int_digits) {
    for (int frac_digits = 0; frac_digits + int_digits <= 18; ++frac_digits) {
      std::string text;
      uint64_t expected = 0;
      for (int i = 0; i < int_digits + frac_digits; ++i) {
        if (i == int_digits) text += '.';
        const int digit = (i * 7 + 3) % 10;  // 3, 0, 7, 4, ...: never a leading zero
        text += static_cast<char>('0' + digit);
        expected = expected * 10 + static_cast<uint64_t>(digit);
      }
      for (const std::string& after : {std::string("}"), std::string(",\"Data\":\"AAAA\"}"), std::string()}) {
        const JsonNumber n = read(text, after);
        EXPECT_TRUE(n.fits) << text;
        EXPECT_EQ(n.significand, expected) << text;
        EXPECT_EQ(n.exponent, -frac_digits) << text;
        EXPECT_EQ(n.integral, frac_digits == 0) << text;
      }
    }
  }
  EXPECT_FALSE(read("1234567890123456789").fits);  // 19 significant digits
  EXPECT_TRUE(read("0.123456789012345678").fits);  // the leading zero is not significant
  EXPECT_FALSE(read("1e1001").fits);
  EXPECT_EQ(read("-2.5e+10").exponent, 9);
  EXPECT_TRUE(read("-2.5e+10").negative);
}

TEST(JsonNumberScan, ExactMillisAgreesWithTheDoubleRoute) {
  for (const char* text : {"0", "-0", "1.700000000123E9", "1795952819.829", "1700000000", "1700000000123e-3", "1.5",
                           "-12.5", "1e3", "1125899906842.623", "0.001", "1E-3"}) {
    const auto ms = exact_millis(read(text));
    ASSERT_TRUE(ms.has_value()) << text;
    EXPECT_EQ(*ms, double_route_millis(text)) << text;
  }
  // Not whole milliseconds, too many digits, or 2^50 ms and beyond: left to the double route.
  for (const char* text : {"1.0005", "0.0005", "1700000000.9995", "1234567890123456789", "1125899906842.624", "1e13"}) {
    EXPECT_FALSE(exact_millis(read(text)).has_value()) << text;
  }
  // Random AWS-style timestamps: seconds with up to three decimals, in scientific notation and plain.
  std::mt19937_64 rng(11);
  for (int i = 0; i < 20000; ++i) {
    const uint64_t millis = rng() % 4000000000000ull;
    const std::string plain = std::to_string(millis / 1000) + "." + std::to_string(1000 + millis % 1000).substr(1);
    const auto ms = exact_millis(read(plain));
    ASSERT_TRUE(ms.has_value()) << plain;
    ASSERT_EQ(*ms, static_cast<int64_t>(millis)) << plain;
    ASSERT_EQ(*ms, double_route_millis(plain)) << plain;
    const std::string digits = std::to_string(millis);
    const std::string scientific =
        digits.substr(0, 1) + "." + digits.substr(1) + "E" + std::to_string(static_cast<int>(digits.size()) - 4);
    if (digits.size() < 2) continue;
    const auto sci = exact_millis(read(scientific));
    ASSERT_TRUE(sci.has_value()) << scientific;
    ASSERT_EQ(*sci, static_cast<int64_t>(millis)) << scientific;
  }
}

}  // namespace
}  // namespace pk::aws
