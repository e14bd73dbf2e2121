// The JSON reader follows Jackson reading bytes (what the Java client does for a JSON schema).
#include "formats/json_parse.h"

#include <gtest/gtest.h>

#include "formats/value_json.h"

namespace pk::formats {
namespace {

Result<std::string> reread(std::string_view bytes) {
  ValueTree tree;
  auto root = parse_json_value(bytes, tree);
  if (!root.ok()) return root.error();
  std::string out;
  write_jackson(tree, *root, out);
  return out;
}

std::string error_of(std::string_view bytes) {
  auto r = reread(bytes);
  EXPECT_FALSE(r.ok()) << *r;
  return r.ok() ? "" : r.error().message;
}

TEST(JsonParse, OnlyTheFirstValueIsRead) {
  EXPECT_EQ(*reread("{\"a\":1} {\"b\":2}"), "{\"a\":1}");
  EXPECT_EQ(*reread("[1]x"), "[1]");
  EXPECT_EQ(*reread("true ]"), "true");
  EXPECT_EQ(*reread("12 34"), "12");
}

TEST(JsonParse, TokensMustEndWhereTheyShould) {
  EXPECT_EQ(error_of("12x"), "JSON: expected space separating root-level values at offset 2");
  EXPECT_EQ(error_of("truex"), "JSON: unrecognized token at offset 4");
  EXPECT_EQ(error_of("[1x]"), "JSON: expected ',' or ']' at offset 2");
  EXPECT_EQ(error_of("01"), "JSON: leading zeroes not allowed at offset 2");
  EXPECT_EQ(error_of("1."), "JSON: decimal point not followed by a digit at offset 2");
  EXPECT_EQ(error_of("NaN"), "JSON: unexpected character 0x4e at offset 0");
  EXPECT_EQ(error_of("{\"a\" 1}"), "JSON: expected ':' at offset 5");
  EXPECT_EQ(error_of("// c\n1"), "JSON: unexpected character 0x2f at offset 0");
  EXPECT_EQ(error_of("[1,"), "JSON: unexpected end of input at offset 3");
}

TEST(JsonParse, Strings) {
  EXPECT_EQ(*reread(R"("\"\\\/\b\f\n\r\t\u0041")"), R"("\"\\/\b\f\n\r\tA")");
  EXPECT_EQ(error_of("\"a\x01\""), "JSON: illegal unquoted control character in a string at offset 2");
  EXPECT_EQ(error_of(R"("\x")"), "JSON: unrecognized character escape at offset 3");
  EXPECT_EQ(error_of(R"("\u12G4")"), "JSON: bad \\u escape at offset 3");
  EXPECT_EQ(error_of("\"abc"), "JSON: unexpected end of input in a string at offset 4");
}

TEST(JsonParse, Utf8AsJacksonReadsIt) {
  EXPECT_EQ(*reread("\"\xc3\xa9\xf0\x9f\x98\x80\""), "\"\xc3\xa9\xf0\x9f\x98\x80\"");
  EXPECT_EQ(error_of("\"\xff\""), "JSON: invalid UTF-8 start byte 0xff at offset 1");
  EXPECT_EQ(error_of("\"\xc3\x41\""), "JSON: invalid UTF-8 middle byte 0x41 at offset 2");
  // Not checked by Jackson: an overlong '/' is a '/', and an encoded surrogate pair is the character it spells.
  EXPECT_EQ(*reread("\"\xc0\xaf\""), "\"/\"");
  EXPECT_EQ(*reread("\"\xed\xa0\xbd\xed\xb8\x80\""), "\"\xf0\x9f\x98\x80\"");
  EXPECT_EQ(*reread("\"\xed\xa0\xbd\""), "\"?\"");  // a lone surrogate
  EXPECT_EQ(*reread("\xef\xbb\xbf[1]"), "[1]");     // BOM
  EXPECT_EQ(error_of(std::string("[\x00", 2)), "JSON: UTF-16 or UTF-32 text is not supported");
}

TEST(JsonParse, NumbersAsIntegersOrStrippedBigDecimals) {
  EXPECT_EQ(*reread("[0,-0,9223372036854775808,1.0,0.10,1e0,1E2,-1.5e-7,0e5,1e-7]"),
            "[0,0,9223372036854775808,1,0.1,1,1E+2,-1.5E-7,0,1E-7]");
  EXPECT_EQ(error_of("1e99999999999999"), "JSON: exponent out of range at offset 16");
  EXPECT_EQ(error_of(std::string(1001, '1')), "JSON: number longer than 1000 characters at offset 1001");
}

TEST(JsonParse, DuplicateKeysKeepTheFirstPlaceAndTheLastValue) {
  EXPECT_EQ(*reread(R"({"a":1,"b":2,"a":3})"), R"({"a":3,"b":2})");
  std::string many = "{";
  for (int i = 0; i < 40; ++i) many += "\"k" + std::to_string(i % 20) + "\":" + std::to_string(i) + ",";
  many.back() = '}';
  auto r = reread(many);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->substr(0, 25), R"({"k0":20,"k1":21,"k2":22,)");
}

TEST(JsonParse, AtMostAThousandLevels) {
  EXPECT_TRUE(reread(std::string(1000, '[') + std::string(1000, ']')).ok());
  EXPECT_EQ(error_of(std::string(1001, '[') + std::string(1001, ']')),
            "JSON: nesting deeper than 1000 levels at offset 1000");
}

TEST(JsonParse, EmptyInputIsAMissingNode) {
  ValueTree tree;
  auto root = parse_json_value(" \t\r\n", tree);
  ASSERT_TRUE(root.ok());
  EXPECT_EQ(tree.node(*root).kind, ValueKind::kMissing);
}

}  // namespace
}  // namespace pk::formats
