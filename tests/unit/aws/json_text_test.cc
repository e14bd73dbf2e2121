#include "aws/json_text.h"

#include <random>
#include <string>

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "aws/json_writer.h"

namespace pk::aws {
namespace {

std::string escaped(std::string_view s) {
  auto info = inspect_json_string(s, "test");
  EXPECT_TRUE(info.ok()) << info.error().to_string();
  std::string out(info.ok() ? info->escaped_size : 0, '\0');
  char* end = write_json_escaped(s, out.data());
  EXPECT_EQ(end, out.data() + out.size());
  return out;
}

// Parses "<escaped>" with an independent JSON parser (RapidJSON) and returns the string it reads.
std::string reparse(const std::string& escaped_text) {
  rapidjson::Document doc;
  const std::string json = "\"" + escaped_text + "\"";
  doc.Parse(json.c_str(), json.size());
  EXPECT_FALSE(doc.HasParseError()) << json;
  return doc.IsString() ? std::string(doc.GetString(), doc.GetStringLength()) : std::string{};
}

TEST(JsonText, EscapesQuotesBackslashesAndControlCharacters) {
  EXPECT_EQ(escaped("plain"), "plain");
  EXPECT_EQ(escaped("a\"b\\c"), "a\\\"b\\\\c");
  EXPECT_EQ(escaped("\n\r\t\b\f"), "\\n\\r\\t\\b\\f");
  EXPECT_EQ(escaped(std::string("\x00\x01\x1f", 3)), "\\u0000\\u0001\\u001f");
  EXPECT_EQ(escaped("/\x7f"), "/\x7f");  // neither needs escaping
  EXPECT_EQ(escaped("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"), "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
}

TEST(JsonText, EveryAsciiByteRoundTripsThroughAnIndependentParser) {
  std::string all;
  for (int c = 0; c < 128; ++c) all.push_back(static_cast<char>(c));
  EXPECT_EQ(reparse(escaped(all)), all);
}

TEST(JsonText, RandomValidUtf8RoundTrips) {
  std::mt19937 rng(3);
  const char32_t samples[] = {0x0,   0x1f,   0x22,   0x5c,   0x7f,    0x80,    0x7ff,
                              0x800, 0xd7ff, 0xe000, 0xfffd, 0x10000, 0x10ffff};
  for (int round = 0; round < 200; ++round) {
    std::string s;
    for (int i = 0; i < 20; ++i) {
      char32_t cp = (rng() % 2) ? samples[rng() % std::size(samples)] : static_cast<char32_t>(rng() % 0x110000);
      if (cp >= 0xd800 && cp <= 0xdfff) cp = 'x';
      if (cp < 0x80) {
        s.push_back(static_cast<char>(cp));
      } else if (cp < 0x800) {
        s.push_back(static_cast<char>(0xc0 | (cp >> 6)));
        s.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
      } else if (cp < 0x10000) {
        s.push_back(static_cast<char>(0xe0 | (cp >> 12)));
        s.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
        s.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
      } else {
        s.push_back(static_cast<char>(0xf0 | (cp >> 18)));
        s.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3f)));
        s.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
        s.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
      }
    }
    EXPECT_EQ(reparse(escaped(s)), s);
    EXPECT_EQ(inspect_json_string(s, "s")->code_points, 20u);
  }
}

TEST(JsonText, RejectsInvalidUtf8AndNamesTheByte) {
  const std::pair<std::string, size_t> bad[] = {
      {"ab\x80", 2},            // lone continuation byte
      {"\xc0\xaf", 0},          // overlong '/'
      {"\xc1\xbf", 0},          // overlong
      {"x\xe0\x80\xaf", 1},     // overlong 3-byte
      {"\xed\xa0\x80", 0},      // UTF-16 surrogate
      {"\xf0\x80\x80\xaf", 0},  // overlong 4-byte
      {"\xf4\x90\x80\x80", 0},  // above U+10FFFF
      {"\xf5\x80\x80\x80", 0},  // not a lead byte
      {"ok\xc3", 2},            // truncated
      {"ok\xe2\x82", 2},        // truncated
      {"\xe2\x28\xa1", 0},      // bad continuation
      {"\xff", 0},
  };
  for (const auto& [text, offset] : bad) {
    auto r = inspect_json_string(text, "PartitionKey");
    ASSERT_FALSE(r.ok()) << testing::PrintToString(text);
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(r.error().message, "PartitionKey: invalid UTF-8 at byte " + std::to_string(offset));
  }
}

TEST(JsonText, EveryByteNeedingCareIsFoundAtEveryPosition) {
  // Plain ASCII is measured eight bytes at a time: put each special byte at each position of a 40-byte key.
  const std::string plain = "abcdefghijklmnopqrstuvwxyz0123456789ABCD";
  for (const char special : {'"', '\\', '\x00', '\x1f', '\n'}) {
    for (size_t i = 0; i < plain.size(); ++i) {
      std::string s = plain;
      s[i] = special;
      EXPECT_EQ(reparse(escaped(s)), s) << i;
      EXPECT_GT(inspect_json_string(s, "k")->escaped_size, s.size()) << i;
    }
  }
  for (size_t i = 0; i < plain.size(); ++i) {
    std::string s = plain;
    s[i] = '\xff';
    auto r = inspect_json_string(s, "k");
    ASSERT_FALSE(r.ok()) << i;
    EXPECT_EQ(r.error().message, "k: invalid UTF-8 at byte " + std::to_string(i));
    s[i] = '\x7f';  // DEL needs no escape
    EXPECT_EQ(inspect_json_string(s, "k")->escaped_size, s.size());
  }
}

TEST(JsonWriter, WritesNestedObjectsArraysAndNumbers) {
  JsonWriter w("Op");
  w.string("A", "x\"y").integer("B", -3).boolean("C", true).number_text("D", "1.500");
  w.begin_object("E").string("F", "g").end_object();
  w.begin_array("H").string_element("i").string_element("j").end_array();
  w.begin_array("K").begin_object_element().integer("L", 1).end_object().end_array();
  auto body = std::move(w).finish();
  ASSERT_TRUE(body.ok());
  EXPECT_EQ(*body, R"({"A":"x\"y","B":-3,"C":true,"D":1.500,"E":{"F":"g"},"H":["i","j"],"K":[{"L":1}]})");
}

TEST(JsonWriter, FirstInvalidStringFailsTheBodyWithOperationAndField) {
  JsonWriter w("CreateStream");
  w.string("StreamName", "bad\xff").integer("ShardCount", 1);
  auto body = std::move(w).finish();
  ASSERT_FALSE(body.ok());
  EXPECT_EQ(body.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(body.error().message, "CreateStream: StreamName: invalid UTF-8 at byte 3");
}

TEST(JsonWriter, CheckedPrimitivesEscapeKeysAndReportErrorsAtOnce) {
  JsonWriter w("Op");
  ASSERT_TRUE(w.key("we\"ird\n").ok());
  w.begin_array_value();
  ASSERT_TRUE(w.string_value("a").ok());
  w.int_value(-1);
  w.bool_value(false);
  w.begin_object_value();
  ASSERT_TRUE(w.key("k").ok());
  ASSERT_TRUE(w.string_value("v").ok());
  w.end_object();
  w.end_array();
  ASSERT_TRUE(w.string_member("Name", "n").ok());
  auto bad_key = w.key("\xc3");
  ASSERT_FALSE(bad_key.ok());
  EXPECT_EQ(bad_key.error().message, "invalid UTF-8 at byte 0");
  auto bad_member = w.string_member("Table", "x\xff");
  ASSERT_FALSE(bad_member.ok());
  EXPECT_EQ(bad_member.error().message, "Table: invalid UTF-8 at byte 1");

  JsonWriter good("Op");
  ASSERT_TRUE(good.key("we\"ird\n").ok());
  good.begin_array_value();
  ASSERT_TRUE(good.string_value("a").ok());
  good.int_value(-1);
  good.bool_value(false);
  good.begin_object_value();
  ASSERT_TRUE(good.key("k").ok());
  ASSERT_TRUE(good.string_value("v").ok());
  good.end_object();
  good.end_array();
  ASSERT_TRUE(good.string_member("Name", "n").ok());
  EXPECT_EQ(*std::move(good).finish(), R"({"we\"ird\n":["a",-1,false,{"k":"v"}],"Name":"n"})");
}

}  // namespace
}  // namespace pk::aws
