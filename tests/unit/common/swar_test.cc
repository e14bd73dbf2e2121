// The word-at-a-time byte tests against plain byte-by-byte answers, for every byte value in every position.
#include "common/swar.h"

#include <cstring>
#include <random>
#include <string>

#include <gtest/gtest.h>

namespace pk::swar {
namespace {

uint64_t word_of(const char* bytes) {
  return load8(bytes);
}

TEST(Swar, FindsTheFirstNonDigitForEveryByteInEveryPosition) {
  for (int position = 0; position < 8; ++position) {
    for (int value = 0; value < 256; ++value) {
      char bytes[8];
      std::memcpy(bytes, "01234567", 8);
      bytes[position] = static_cast<char>(value);
      const bool digit = value >= '0' && value <= '9';
      const uint64_t marks = non_digit_bytes(word_of(bytes));
      if (digit) {
        EXPECT_EQ(marks, 0u) << position << " " << value;
      } else {
        ASSERT_NE(marks, 0u) << position << " " << value;
        EXPECT_EQ(__builtin_ctzll(marks) / 8, position) << position << " " << value;
      }
    }
  }
  // A byte that carries when 6 is added (0xFA and up) below a digit: the lowest non-digit is still exact.
  char bytes[8];
  std::memcpy(bytes,
              "\xff"
              "9\xfa"
              "0\xfe"
              "1\x39\x2f",
              8);
  EXPECT_EQ(__builtin_ctzll(non_digit_bytes(word_of(bytes))) / 8, 0);
}

TEST(Swar, ParsesEightDigits) {
  EXPECT_EQ(parse_8_digits(word_of("00000000")), 0u);
  EXPECT_EQ(parse_8_digits(word_of("12345678")), 12345678u);
  EXPECT_EQ(parse_8_digits(word_of("99999999")), 99999999u);
  std::mt19937 rng(7);
  for (int i = 0; i < 10000; ++i) {
    const uint32_t v = rng() % 100000000;
    char text[9];
    std::snprintf(text, sizeof text, "%08u", v);
    ASSERT_EQ(parse_8_digits(word_of(text)), v) << text;
  }
  // Zero bytes shifted in below the digits count as leading zeros (how a run of fewer than 8 digits is parsed).
  EXPECT_EQ(parse_8_digits(word_of("123xxxxx") << 40), 123u);
}

TEST(Swar, ComparesBytesOfEveryLength) {
  const std::string a = "\"ApproximateArrivalTimestamp\":1.7E9,\"Data\":\"";
  for (size_t n = 0; n <= a.size(); ++n) {
    std::string b = a;
    EXPECT_TRUE(equal(a.data(), b.data(), n)) << n;
    for (size_t i = 0; i < n; ++i) {
      b = a;
      b[i] ^= 0x20;
      EXPECT_FALSE(equal(a.data(), b.data(), n)) << n << " " << i;
    }
  }
}

}  // namespace
}  // namespace pk::swar
