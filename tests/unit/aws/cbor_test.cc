// CBOR against the examples of RFC 8949 appendix A (decoding, and encoding where our Writer makes the same
// preferred form), plus malformed input: every truncation, reserved values, depth, sizes past the end.
#include "aws/cbor.h"

#include <cmath>
#include <deque>
#include <limits>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "support/hex.h"

namespace pk::aws::cbor {
namespace {

using pk::testing::from_hex;

// Test inputs live until the program ends, so the Readers viewing them never dangle.
std::string_view input(std::string_view h) {
  static std::deque<std::string> kept;
  return kept.emplace_back(from_hex(h));
}

struct IntegerCase {
  int64_t value;
  const char* encoded;
};

TEST(Cbor, IntegersOfTheRfc) {
  const std::vector<IntegerCase> cases = {
      {0, "00"},
      {1, "01"},
      {10, "0a"},
      {23, "17"},
      {24, "1818"},
      {25, "1819"},
      {100, "1864"},
      {1000, "1903e8"},
      {1000000, "1a000f4240"},
      {1000000000000, "1b000000e8d4a51000"},
      {-1, "20"},
      {-10, "29"},
      {-100, "3863"},
      {-1000, "3903e7"},
  };
  for (const auto& c : cases) {
    Reader r(input(c.encoded));
    auto v = r.read_integer();
    ASSERT_TRUE(v.ok()) << c.encoded << ": " << v.error().to_string();
    EXPECT_EQ(*v, c.value) << c.encoded;
    EXPECT_TRUE(r.at_end());
    Writer w;
    w.integer(c.value);
    EXPECT_EQ(w.data(), from_hex(c.encoded)) << c.value;
  }
  Reader max(input("1bffffffffffffffff"));
  EXPECT_EQ(*max.read_unsigned(), std::numeric_limits<uint64_t>::max());
  Reader too_big(input("1bffffffffffffffff"));
  EXPECT_FALSE(too_big.read_integer().ok()) << "beyond int64";
  Reader most_negative(input("3b7fffffffffffffff"));
  EXPECT_EQ(*most_negative.read_integer(), std::numeric_limits<int64_t>::min());
}

TEST(Cbor, FloatsOfTheRfc) {
  const std::vector<std::pair<double, const char*>> cases = {
      {0.0, "f90000"},
      {-0.0, "f98000"},
      {1.0, "f93c00"},
      {1.1, "fb3ff199999999999a"},
      {1.5, "f93e00"},
      {65504.0, "f97bff"},
      {100000.0, "fa47c35000"},
      {3.4028234663852886e+38, "fa7f7fffff"},
      {1.0e+300, "fb7e37e43c8800759c"},
      {5.960464477539063e-8, "f90001"},
      {0.00006103515625, "f90400"},
      {-4.0, "f9c400"},
      {-4.1, "fbc010666666666666"},
      {1e3, "1903e8"},
      {-1000.0, "3903e7"},
  };
  for (const auto& [value, encoded] : cases) {
    Reader r(input(encoded));
    auto v = r.read_number();
    ASSERT_TRUE(v.ok()) << encoded << ": " << v.error().to_string();
    EXPECT_EQ(*v, value) << encoded;
    EXPECT_EQ(std::signbit(*v), std::signbit(value)) << encoded;
  }
  EXPECT_TRUE(std::isinf(*Reader(input("f97c00")).read_number()));
  EXPECT_TRUE(std::isnan(*Reader(input("f97e00")).read_number()));
  EXPECT_TRUE(std::isinf(*Reader(input("fa7f800000")).read_number()));
  EXPECT_EQ(*Reader(input("f9fc00")).read_number(), -std::numeric_limits<double>::infinity());
  Writer w;
  w.float64(1.1);
  EXPECT_EQ(w.data(), from_hex("fb3ff199999999999a"));
}

TEST(Cbor, SimpleValuesOfTheRfc) {
  EXPECT_FALSE(*Reader(input("f4")).read_bool());
  EXPECT_TRUE(*Reader(input("f5")).read_bool());
  Reader nulls(input("f6f7"));
  EXPECT_TRUE(nulls.take_null());
  EXPECT_TRUE(nulls.take_null());
  EXPECT_TRUE(nulls.at_end());
  Reader not_null(input("f4"));
  EXPECT_FALSE(not_null.take_null());
  EXPECT_EQ(not_null.offset(), 0u);
  for (const char* other : {"f0", "f820", "f8ff"}) EXPECT_TRUE(Reader(input(other)).skip().ok()) << other;
  for (const char* bad : {"f800", "f818", "f81f"}) {
    EXPECT_FALSE(Reader(input(bad)).skip().ok()) << bad << ": a simple value below 32 in two bytes is not well-formed";
  }
  Writer w;
  w.boolean(false).boolean(true).null();
  EXPECT_EQ(w.data(), from_hex("f4f5f6"));
}

TEST(Cbor, StringsOfTheRfcAreViewsOfTheInput) {
  const std::string in = from_hex(
      "40"
      "4401020304"
      "60"
      "6161"
      "6449455446"
      "62c3bc"
      "63e6b0b4");
  Reader r(in);
  EXPECT_EQ(*r.read_bytes(), "");
  auto four = r.read_bytes();
  EXPECT_EQ(*four, std::string("\x01\x02\x03\x04", 4));
  EXPECT_EQ(four->data(), in.data() + 2) << "a view, not a copy";
  EXPECT_EQ(*r.read_text(), "");
  EXPECT_EQ(*r.read_text(), "a");
  EXPECT_EQ(*r.read_text(), "IETF");
  EXPECT_EQ(*r.read_text(), "\xc3\xbc");
  EXPECT_EQ(*r.read_text(), "\xe6\xb0\xb4");
  EXPECT_TRUE(r.at_end());
  Writer w;
  w.bytes("").bytes(std::string("\x01\x02\x03\x04", 4)).text("").text("a").text("IETF");
  EXPECT_EQ(w.data(), from_hex("4044010203046061616449455446"));
  std::string long_text(300, 'x');
  Writer l;
  l.text(long_text);
  EXPECT_EQ(l.data().substr(0, 3), from_hex("79012c"));
  EXPECT_EQ(*Reader(l.data()).read_text(), long_text);
}

TEST(Cbor, ArraysAndMapsOfTheRfc) {
  Reader arrays(
      input("80"
            "83010203"
            "8301820203820405"));
  EXPECT_EQ(*arrays.read_array(), 0u);
  EXPECT_EQ(*arrays.read_array(), 3u);
  for (int i = 1; i <= 3; ++i) EXPECT_EQ(*arrays.read_integer(), i);
  EXPECT_TRUE(arrays.skip().ok());  // [1, [2, 3], [4, 5]]
  EXPECT_TRUE(arrays.at_end());

  Reader map(input("a26161016162820203"));  // {"a": 1, "b": [2, 3]}
  EXPECT_EQ(*map.read_map(), 2u);
  EXPECT_EQ(*map.read_text(), "a");
  EXPECT_EQ(*map.read_integer(), 1);
  EXPECT_EQ(*map.read_text(), "b");
  EXPECT_EQ(*map.read_array(), 2u);
  EXPECT_TRUE(map.skip().ok());
  EXPECT_TRUE(map.skip().ok());
  EXPECT_TRUE(map.at_end());

  Writer w;
  w.map(2).text("a").integer(1).text("b").array(2).integer(2).integer(3);
  EXPECT_EQ(w.data(), from_hex("a26161016162820203"));
  Writer many;
  many.array(25);
  for (int i = 1; i <= 25; ++i) many.integer(i);
  EXPECT_EQ(many.data(), from_hex("98190102030405060708090a0b0c0d0e0f101112131415161718181819"));
}

TEST(Cbor, IndefiniteLengthItemsOfTheRfc) {
  // {_ "a": 1, "b": [_ 2, 3]}
  Reader map(input("bf61610161629f0203ffff"));
  auto count = map.read_map();
  ASSERT_TRUE(count.ok());
  EXPECT_FALSE(count->has_value());
  EXPECT_EQ(*map.read_text(), "a");
  EXPECT_EQ(*map.read_integer(), 1);
  EXPECT_EQ(*map.read_text(), "b");
  EXPECT_TRUE(map.skip().ok());
  EXPECT_TRUE(map.at_break());
  EXPECT_TRUE(map.at_end());
  // [_ 1, [2, 3], [_ 4, 5]] and (_ h'0102', h'030405') skip whole; reading the chunked string is refused.
  EXPECT_TRUE(Reader(input("9f018202039f0405ffff")).skip().ok());
  EXPECT_TRUE(Reader(input("5f42010243030405ff")).skip().ok());
  auto chunked = Reader(input("5f42010243030405ff")).read_bytes();
  ASSERT_FALSE(chunked.ok());
  EXPECT_NE(chunked.error().message.find("indefinite"), std::string::npos) << chunked.error().message;
}

TEST(Cbor, TagsOfTheRfc) {
  Reader epoch(input("c11a514b67b0"));  // 1(1363896240)
  EXPECT_EQ(*epoch.read_tag(), 1u);
  EXPECT_EQ(*epoch.read_integer(), 1363896240);
  EXPECT_TRUE(Reader(input("c074323031332d30332d32315432303a30343a30305a")).skip().ok());
  Writer w;
  w.tag(1).integer(1363896240);
  EXPECT_EQ(w.data(), from_hex("c11a514b67b0"));
}

TEST(Cbor, ErrorsNameTheOffsetAndWhatWasExpected) {
  Reader wrong(input("01"));
  auto text = wrong.read_text();
  ASSERT_FALSE(text.ok());
  EXPECT_NE(text.error().message.find("byte 0"), std::string::npos) << text.error().message;
  EXPECT_NE(text.error().message.find("expected a text string, found an unsigned integer"), std::string::npos)
      << text.error().message;
  EXPECT_EQ(wrong.offset(), 0u) << "a type mismatch consumes nothing";
  auto past = Reader(input("6561")).read_text();  // 5 bytes announced, 1 there
  ASSERT_FALSE(past.ok());
  EXPECT_NE(past.error().message.find("runs past the end"), std::string::npos) << past.error().message;
  for (const char* reserved : {"1c", "1d", "1e", "3f", "df"}) {
    EXPECT_FALSE(Reader(input(reserved)).skip().ok()) << reserved;
  }
  EXPECT_FALSE(Reader(input("ff")).skip().ok()) << "a stray break";
  EXPECT_FALSE(Reader(input("9b00000000ffffffff")).read_array().ok()) << "a count that cannot fit the input";
  EXPECT_FALSE(Reader(input("bb00000000ffffffff")).read_map().ok());
  EXPECT_FALSE(Reader(input("9bffffffffffffffff")).skip().ok());
  EXPECT_FALSE(Reader(std::string_view()).read_integer().ok());
  std::string deep(Reader::kMaxDepth + 2, static_cast<char>(0x81));
  deep.push_back(0x00);
  EXPECT_FALSE(Reader(deep).skip().ok()) << "nesting deeper than kMaxDepth";
}

TEST(Cbor, EveryTruncationIsAnErrorNeverARead) {
  Writer w;
  w.map(3).text("Records").array(1).map(2).text("Data").bytes("hello").text("SequenceNumber").text("1234567890");
  w.text("MillisBehindLatest").integer(1000000).text("Timestamp").float64(1.7e9);
  const std::string whole = w.data();
  ASSERT_TRUE(Reader(whole).skip().ok());
  for (size_t n = 0; n < whole.size(); ++n) {
    Reader r(std::string_view(whole).substr(0, n));
    EXPECT_FALSE(r.skip().ok()) << n;
  }
}

}  // namespace
}  // namespace pk::aws::cbor
