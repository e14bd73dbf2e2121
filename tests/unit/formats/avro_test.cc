#include <gtest/gtest.h>

#include "formats/avro_decode.h"
#include "formats/avro_schema.h"
#include "formats/value_json.h"
#include "support/avro_binary.h"

namespace pk::formats::avro {
namespace {

using pk::testing::avro_long;

Result<std::string> decoded(std::string_view schema_json, std::string_view data) {
  auto schema = Schema::parse(schema_json);
  if (!schema.ok()) return schema.error();
  ValueTree tree;
  DecodeScratch scratch;
  auto root = decode(*schema, data, tree, scratch);
  if (!root.ok()) return root.error();
  std::string out;
  write_jackson(tree, *root, out);
  return out;
}

std::string schema_error(std::string_view schema_json) {
  auto s = Schema::parse(schema_json);
  EXPECT_FALSE(s.ok());
  return s.ok() ? "" : s.error().message;
}

TEST(AvroSchema, NamesResolveThroughNamespaces) {
  const char* schema = R"({"type":"record","name":"Outer","namespace":"a.b","fields":[
      {"name":"x","type":{"type":"fixed","name":"F","size":2}},
      {"name":"y","type":"F"},
      {"name":"z","type":"a.b.F"}]})";
  EXPECT_EQ(*decoded(schema, "abcdef"), R"({"x":"YWI=","y":"Y2Q=","z":"ZWY="})");
}

TEST(AvroSchema, RecursiveRecords) {
  const char* schema = R"({"type":"record","name":"Node","fields":[
      {"name":"v","type":"int"},{"name":"next","type":["null","Node"]}]})";
  const std::string data = avro_long(1) + avro_long(1) + avro_long(2) + avro_long(1) + avro_long(3) + avro_long(0);
  EXPECT_EQ(*decoded(schema, data), R"({"v":1,"next":{"v":2,"next":{"v":3,"next":null}}})");
  // Data nested deeper than we follow is an error, not a stack overflow.
  std::string deep;
  for (int i = 0; i < 1000; ++i) deep += avro_long(i) + avro_long(1);
  EXPECT_NE(decoded(schema, deep).error().message.find("nested deeper than 500 levels"), std::string::npos);
}

TEST(AvroSchema, BadSchemasAreErrors) {
  EXPECT_EQ(schema_error(R"({"type":"record","name":"R","fields":[{"name":"a","type":"Nope"}]})"),
            "Avro schema: undefined name \"Nope\"");
  EXPECT_EQ(schema_error(R"({"type":"record","name":"R"})"), "Avro schema: record \"R\" without fields");
  EXPECT_EQ(schema_error(R"(["int",["string"]])"), "Avro schema: a union may not hold a union");
  EXPECT_EQ(schema_error(R"({"type":"enum","name":"E","symbols":[1]})"),
            "Avro schema: enum \"E\": a symbol is not a string");
  EXPECT_EQ(schema_error(R"({"type":"fixed","name":"F"})"), "Avro schema: fixed \"F\" without a valid size");
  EXPECT_EQ(schema_error("{"), "Avro schema: JSON: expected a field name at offset 1");
}

TEST(AvroDecode, Primitives) {
  EXPECT_EQ(*decoded(R"("int")", avro_long(-64)), "-64");
  EXPECT_EQ(*decoded(R"("long")", avro_long(INT64_MIN)), "-9223372036854775808");
  EXPECT_EQ(*decoded(R"("boolean")", "\x02"), "false");                             // only 1 is true
  EXPECT_EQ(*decoded(R"("string")", avro_long(2) + "\xff!"), "\"\xef\xbf\xbd!\"");  // Utf8.toString()
  EXPECT_EQ(*decoded(R"("null")", ""), "null");
  EXPECT_EQ(
      *decoded(R"({"type":"fixed","name":"D","size":2,"logicalType":"decimal","precision":4,"scale":1})", "\xff\xfe"),
      "-0.2");
  // An invalid decimal (scale above precision) is plain bytes, as in Avro.
  EXPECT_EQ(*decoded(R"({"type":"bytes","logicalType":"decimal","precision":1,"scale":2})", avro_long(1) + "\x05"),
            "\"BQ==\"");
}

TEST(AvroDecode, BadDataIsAnErrorWithItsOffset) {
  EXPECT_EQ(decoded(R"("int")", "").error().message, "Avro: unexpected end of data in an int at offset 0");
  EXPECT_EQ(decoded(R"("int")", "\xff\xff\xff\xff\xff\x01").error().message, "Avro: invalid int encoding at offset 5");
  EXPECT_EQ(decoded(R"("string")", avro_long(-1)).error().message, "Avro: negative length at offset 1");
  EXPECT_EQ(decoded(R"("bytes")", avro_long(5) + "ab").error().message,
            "Avro: length past the end of the data at offset 1");
  EXPECT_EQ(decoded(R"({"type":"enum","name":"E","symbols":["A"]})", avro_long(3)).error().message,
            "Avro: enum index 3 out of range for E at offset 1");
  EXPECT_EQ(decoded(R"(["null","int"])", avro_long(2)).error().message, "Avro: union index 2 out of range at offset 1");
  EXPECT_EQ(decoded(R"({"type":"array","items":"null"})", avro_long(1 << 21)).error().message,
            "Avro: too many items of an empty type in an array at offset 4");
}

TEST(AvroDecode, TrailingBytesAreIgnored) {
  EXPECT_EQ(*decoded(R"("int")", avro_long(3) + "junk"), "3");
}

}  // namespace
}  // namespace pk::formats::avro
