#include "kinesis/sequence_number.h"

#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace pk::kinesis {
namespace {

SequenceNumber seq(std::string_view s) {
  auto n = SequenceNumber::parse(s);
  EXPECT_TRUE(n.ok()) << s;
  return n.ok() ? *n : SequenceNumber{};
}

TEST(SequenceNumber, ComparesAsBigIntegersNotAsText) {
  // Real Kinesis sequence numbers: 56 digits, beyond any machine integer.
  const auto a = seq("49590338271490256608559692538361571095921575989136588898");
  const auto b = seq("49590338271490256608559692538361571095921575989136588899");
  const auto c = seq("49590338271490256608559692540925702759324208523137515618");
  EXPECT_LT(a, b);
  EXPECT_LT(b, c);
  EXPECT_GT(c, a);
  EXPECT_EQ(a, seq("49590338271490256608559692538361571095921575989136588898"));
  // Text order would say "9" > "10".
  EXPECT_LT(seq("9"), seq("10"));
  EXPECT_LT(seq("99"), seq("100000000000000000000000000000000000000000000000000000000"));
  // Leading zeros do not change the value.
  EXPECT_EQ(seq("0010"), seq("10"));
  EXPECT_EQ(seq("0"), seq("000"));
  EXPECT_LT(seq("000"), seq("1"));
}

TEST(SequenceNumber, SortsLikeIntegers) {
  std::vector<SequenceNumber> v = {seq("100"), seq("20"), seq("3"), seq("1000000000000000000000"), seq("21")};
  std::sort(v.begin(), v.end());
  std::vector<std::string> texts;
  for (const auto& n : v) texts.push_back(n.str());
  EXPECT_EQ(texts, (std::vector<std::string>{"3", "20", "21", "100", "1000000000000000000000"}));
}

TEST(SequenceNumber, EmptySortsFirst) {
  EXPECT_LT(SequenceNumber{}, seq("0"));
  EXPECT_EQ(SequenceNumber{}, SequenceNumber{});
  EXPECT_TRUE(SequenceNumber{}.empty());
}

TEST(SequenceNumber, ParseRejectsNonDigitsAndNamesTheField) {
  EXPECT_FALSE(SequenceNumber::parse("").ok());
  EXPECT_FALSE(SequenceNumber::parse("-1").ok());
  EXPECT_FALSE(SequenceNumber::parse("1.5").ok());
  EXPECT_FALSE(SequenceNumber::parse(std::string(SequenceNumber::kMaxDigits + 1, '1')).ok());
  EXPECT_TRUE(SequenceNumber::parse(std::string(SequenceNumber::kMaxDigits, '1')).ok());
  auto bad = SequenceNumber::parse("12x4", "ContinuationSequenceNumber");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kMalformedInput);
  EXPECT_NE(bad.error().message.find("ContinuationSequenceNumber"), std::string::npos);
  EXPECT_NE(bad.error().message.find("character 2"), std::string::npos);
}

TEST(SequenceNumber, EveryNonDigitIsFoundAtEveryPosition) {
  // The check reads eight characters at a time: put each kind of bad byte at each position of a 56-digit number.
  const std::string good(56, '7');
  for (const char bad : {'/', ':', ' ', '\0', 'a', '\x80', '\xff', '@'}) {
    for (size_t i = 0; i < good.size(); ++i) {
      std::string s = good;
      s[i] = bad;
      auto r = SequenceNumber::parse(s);
      ASSERT_FALSE(r.ok()) << i;
      EXPECT_EQ(r.error().message, "sequence number: character " + std::to_string(i) + " is not a decimal digit");
    }
  }
  EXPECT_TRUE(SequenceNumber::parse("0123456789012345678901234567890123456789").ok());
}

TEST(SequenceNumber, CompareDecimalDirectly) {
  EXPECT_EQ(compare_decimal("", "0"), std::strong_ordering::equal);
  EXPECT_EQ(compare_decimal("12", "012"), std::strong_ordering::equal);
  EXPECT_EQ(compare_decimal("123", "124"), std::strong_ordering::less);
  EXPECT_EQ(compare_decimal("1000", "999"), std::strong_ordering::greater);
}

}  // namespace
}  // namespace pk::kinesis
