// The SIMD and SWAR byte finders against a byte-by-byte search: every length up to several chunks, the byte to find
// in every position, every byte value as the one that stops (or does not stop) the search.
#include "common/byte_scan.h"

#include <string>

#include <gtest/gtest.h>

namespace pk::byte_scan {
namespace {

using Finder = const char* (*)(const char*, const char*);

bool is_quote(unsigned char c) {
  return c == '"';
}
bool is_non_digit(unsigned char c) {
  return c < '0' || c > '9';
}
bool is_non_plain_ascii(unsigned char c) {
  return c < 0x20 || c > 0x7e || c == '"' || c == '\\';
}

// For each length and each position in it, every byte value put there in a run of `filler`: the finder must stop
// where the plain search stops.
void check_finder(Finder find, bool (*stops)(unsigned char), char filler) {
  ASSERT_FALSE(stops(static_cast<unsigned char>(filler)));
  for (size_t length = 0; length <= 40; ++length) {
    const std::string plain(length, filler);
    EXPECT_EQ(find(plain.data(), plain.data() + length), plain.data() + length) << length;
    for (size_t position = 0; position < length; ++position) {
      for (int value = 0; value < 256; ++value) {
        std::string text = plain;
        text[position] = static_cast<char>(value);
        const char* expected = text.data() + (stops(static_cast<unsigned char>(value)) ? position : length);
        ASSERT_EQ(find(text.data(), text.data() + length), expected) << length << " " << position << " " << value;
      }
    }
  }
}

TEST(ByteScan, FindsTheFirstQuote) {
  check_finder(find_quote, is_quote, 'A');
}

TEST(ByteScan, FindsTheFirstNonDigit) {
  check_finder(find_non_digit, is_non_digit, '7');
}

TEST(ByteScan, FindsTheFirstByteThatIsNotPlainAscii) {
  check_finder(find_non_plain_ascii, is_non_plain_ascii, 'k');
}

TEST(ByteScan, StopsAtTheFirstOfSeveral) {
  const std::string text = "abc\"def\"ghi";
  EXPECT_EQ(find_quote(text.data(), text.data() + text.size()), text.data() + 3);
  const std::string digits = "1234567890123456789x1y";
  EXPECT_EQ(find_non_digit(digits.data(), digits.data() + digits.size()), digits.data() + 19);
}

}  // namespace
}  // namespace pk::byte_scan
