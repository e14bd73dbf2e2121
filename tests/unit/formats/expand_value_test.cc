// FULL_MESSAGE_IN_JSON_EXPAND_VALUE on outputs derived by hand from docs/formats.md.
#include "formats/expand_value.h"

#include <bit>
#include <cmath>

#include <gtest/gtest.h>

#include "formats/record_encoder.h"
#include "formats/topic_schema.h"
#include "support/avro_binary.h"

namespace pk::formats {
namespace {

std::shared_ptr<const TopicSchema> schema(SchemaType type, std::string_view definition = "",
                                          std::vector<Property> properties = {}) {
  auto s = TopicSchema::compile(type, definition, properties);
  EXPECT_TRUE(s.ok()) << s.error().message;
  return s.ok() ? *s : nullptr;
}

std::string be(uint64_t v, int n) {
  std::string out;
  for (int i = n - 1; i >= 0; --i) out.push_back(static_cast<char>(v >> (8 * i)));
  return out;
}

struct Expand {
  ExpandOptions options;
  std::vector<Property> props = {{"p", "1"}};
  InputMessage m;
  std::shared_ptr<const TopicSchema> s;

  explicit Expand(ExpandOptions o = {}) : options(o) {
    m.topic = "t";
    m.key = "k";
    m.properties = props;
    m.event_time = 5;
  }
  Result<std::string> run(std::string_view payload, std::shared_ptr<const TopicSchema> with = nullptr) {
    s = std::move(with);
    m.schema = s.get();
    m.payload = payload;
    ExpandValueEncoder encoder(options);
    std::string out = "keep";
    const Status st = encoder.append(m, out);
    if (!st.ok()) {
      EXPECT_EQ(out, "keep");
      return st.error();
    }
    return out.substr(4);
  }
  std::string value(std::string_view payload, std::shared_ptr<const TopicSchema> with = nullptr) {
    auto r = run(payload, std::move(with));
    EXPECT_TRUE(r.ok()) << r.error().message;
    if (!r.ok()) return "";
    // Just the payload value: between "payload": and ,"properties".
    const std::string& out = *r;
    const size_t start = out.find("\"payload\":") + 10;
    return out.substr(start, out.find(",\"properties\"") - start);
  }
};

TEST(ExpandValue, RecordFieldsInOrder) {
  Expand e;
  EXPECT_EQ(*e.run("hi"), R"({"topicName":"t","key":"k","payload":"aGk=","properties":{"p":"1"},"eventTime":5})");
}

TEST(ExpandValue, NullFieldsDroppedOrWritten) {
  Expand keep({.include_non_nulls = false});
  keep.m.key.reset();
  keep.m.properties = {};
  keep.m.event_time = 0;
  EXPECT_EQ(*keep.run("hi"), R"({"topicName":"t","key":null,"payload":"aGk=","properties":null,"eventTime":null})");
  Expand drop;
  drop.m.key.reset();
  drop.m.properties = {};
  drop.m.event_time = 0;
  EXPECT_EQ(*drop.run("hi"), R"({"topicName":"t","payload":"aGk="})");
}

// The properties go into a fresh HashMap with put, in the order the message's map gave them: "q" (113) and "a"
// (97) share bucket 1; from the merge-filled message map (a before q is impossible: merge prepends, so q, a), put
// keeps q, a.
TEST(ExpandValue, PropertiesInTheJsonRecordsHashMapOrder) {
  Expand e;
  const std::vector<Property> props = {{"a", "1"}, {"q", "2"}, {"b", "3"}};
  e.m.properties = props;
  EXPECT_EQ(*e.run("x"), R"({"topicName":"t","key":"k","payload":"eA==","properties":{"q":"2","a":"1","b":"3"},)"
                         R"("eventTime":5})");
  e.m.delivered_in_batch = true;  // TreeMap a, b, q; then put: bucket 1 a, q; bucket 2 b
  EXPECT_EQ(*e.run("x"), R"({"topicName":"t","key":"k","payload":"eA==","properties":{"a":"1","q":"2","b":"3"},)"
                         R"("eventTime":5})");
}

TEST(ExpandValue, JsonValuesAsJacksonReadsAndWritesThem) {
  Expand e;
  const auto json = schema(SchemaType::kJson, R"({"type":"record","name":"J","fields":[]})");
  // Duplicate keys: first place, last value. Escapes decoded; a lone surrogate written as '?'.
  EXPECT_EQ(e.value(R"( {"b":1,"a":[1],"s":"\u00e9\ud83d\ude00\ud800\/","a":"dup"} ignored)", json),
            "{\"b\":1,\"a\":\"dup\",\"s\":\"\xc3\xa9\xf0\x9f\x98\x80?/\"}");
  // Integers exact; other numbers as BigDecimal with trailing zeros stripped.
  EXPECT_EQ(e.value("[1,2.50,-0.0,1e5,100.0,12345678901234567890,-0,0.000001,1.5e-7]", json),
            "[1,2.5,0,1E+5,1E+2,12345678901234567890,0,0.000001,1.5E-7]");
  EXPECT_EQ(e.value("  ", json), "null");  // MissingNode, written even with jsonIncludeNonNulls
  EXPECT_EQ(e.value("null", json), "null");
  EXPECT_EQ(e.value("\"\\u0001\"", json), "\"\\u0001\"");
}

TEST(ExpandValue, FlattenedJson) {
  Expand e({.include_non_nulls = true, .flatten = true});
  const auto json = schema(SchemaType::kJson, "{}");
  e.m.event_time = 0;
  EXPECT_EQ(*e.run(R"({"a.b":1,"a":{"b":2,"c":[1,{"d":[]}],"e":{}},"g":1e10,"f":1.5,"h":0.0001,"s":"x\u0001"})", json),
            R"({"topicName":"t","key":"k","payload[\"a.b\"]":1,"payload.a.b":2,"payload.a.c[0]":1,)"
            R"("payload.a.c[1].d":[],"payload.a.e":{},"payload.g":10000000000,"payload.f":1.5,"payload.h":1.0E-4,)"
            R"("payload.s":"x\u0001","properties.p":"1"})");
  // A bytes value is written as base64 (json-flattener would write null).
  EXPECT_EQ(*e.run("hi"), R"({"topicName":"t","key":"k","payload":"aGk=","properties.p":"1"})");
}

TEST(ExpandValue, FlattenedEmptyKeysStillGetTheSeparator) {
  Expand e({.include_non_nulls = true, .flatten = true});
  e.m.event_time = 0;
  e.m.properties = {};
  EXPECT_EQ(*e.run(R"({"":{"y":1},"y":2,"z":[[]]})", schema(SchemaType::kJson, "{}")),
            R"({"topicName":"t","key":"k","payload..y":1,"payload.y":2,"payload.z[0]":[]})");
}

TEST(ExpandValue, Primitives) {
  Expand e;
  EXPECT_EQ(e.value("h\xc3\xa9", schema(SchemaType::kString)), "\"h\xc3\xa9\"");
  EXPECT_EQ(e.value(std::string(1, '\x02'), schema(SchemaType::kBoolean)), "true");
  EXPECT_EQ(e.value("\xfe", schema(SchemaType::kInt8)), "-2");
  EXPECT_EQ(e.value(be(0x8001, 2), schema(SchemaType::kInt16)), "-32767");
  EXPECT_EQ(e.value(be(0xFFFFFF85, 4), schema(SchemaType::kInt32)), "-123");
  EXPECT_EQ(e.value(be(1700000000123, 8), schema(SchemaType::kInt64)), "1700000000123");
  EXPECT_EQ(e.value(be(std::bit_cast<uint32_t>(0.1f), 4), schema(SchemaType::kFloat)), "0.1");
  EXPECT_EQ(e.value(be(std::bit_cast<uint64_t>(1.5e10), 8), schema(SchemaType::kDouble)), "1.5E10");
  EXPECT_EQ(e.value(be(std::bit_cast<uint64_t>(std::nan("")), 8), schema(SchemaType::kDouble)), "\"NaN\"");
  EXPECT_EQ(e.value(be(1700000000123, 8), schema(SchemaType::kDate)), "1700000000123");
  EXPECT_EQ(e.value(be(1700000000123, 8), schema(SchemaType::kTimestamp)), "1700000000123");
  EXPECT_EQ(e.value(be(3723000, 8), schema(SchemaType::kTime)), "\"01:02:03\"");
  EXPECT_EQ(e.value(be(1700000000, 8) + be(123000000, 4), schema(SchemaType::kInstant)),
            "\"2023-11-14T22:13:20.123Z\"");
  EXPECT_EQ(e.value(be(1700000000, 8) + be(0, 4), schema(SchemaType::kInstant)), "\"2023-11-14T22:13:20Z\"");
  EXPECT_EQ(e.value(be(19000, 8), schema(SchemaType::kLocalDate)), "\"2022-01-08\"");
  EXPECT_EQ(e.value(be(3723000000001, 8), schema(SchemaType::kLocalTime)), "\"01:02:03.000000001\"");
  EXPECT_EQ(e.value(be(19000, 8) + be(3600000000000, 8), schema(SchemaType::kLocalDateTime)), "\"2022-01-08T01:00\"");
  EXPECT_EQ(e.value(std::string("\x00\x01", 2), schema(SchemaType::kBytes)), "\"AAE=\"");
}

TEST(ExpandValue, FlattenedNumbersFollowJsonFlattenersRules) {
  Expand e({.include_non_nulls = true, .flatten = true});
  e.m.properties = {};
  e.m.event_time = 0;
  // 1.5E10 -> BigDecimal 1.5E+10 (scale -9) -> BigInteger.
  EXPECT_EQ(*e.run(be(std::bit_cast<uint64_t>(1.5e10), 8), schema(SchemaType::kDouble)),
            R"({"topicName":"t","key":"k","payload":15000000000})");
  // A float is widened to double first.
  EXPECT_EQ(*e.run(be(std::bit_cast<uint32_t>(0.1f), 4), schema(SchemaType::kFloat)),
            R"({"topicName":"t","key":"k","payload":0.10000000149011612})");
}

TEST(ExpandValue, ValuesThatDoNotDecodeAreErrorsNamingTheTopic) {
  Expand e;
  const auto r = e.run(be(1, 3), schema(SchemaType::kInt32));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kMalformedInput);
  EXPECT_EQ(r.error().message,
            "message on t (published at 0): cannot expand its value: INT32 value of 3 bytes (a INT32 value has 4 "
            "bytes)");
  const auto bad_json = e.run("{\"a\":}", schema(SchemaType::kJson, "{}"));
  ASSERT_FALSE(bad_json.ok());
  EXPECT_NE(bad_json.error().message.find("JSON: unexpected character 0x7d at offset 5"), std::string::npos)
      << bad_json.error().message;
}

TEST(ExpandValue, NoDeeperThanJacksonWrites) {
  Expand e;
  const auto json = schema(SchemaType::kJson, "{}");
  EXPECT_TRUE(e.run(std::string(999, '[') + std::string(999, ']'), json).ok());
  const auto r = e.run(std::string(1000, '[') + std::string(1000, ']'), json);  // Jackson reads it, cannot write it
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("nests deeper than the 999 levels Jackson writes"), std::string::npos);
  Expand flat({.include_non_nulls = true, .flatten = true});  // flattening has no such limit
  EXPECT_TRUE(flat.run(std::string(1000, '[') + std::string(1000, ']'), json).ok());
}

using pk::testing::avro_bytes;
using pk::testing::avro_long;

TEST(ExpandValue, AvroRecord) {
  Expand e;
  const auto avro = schema(SchemaType::kAvro, R"({"type":"record","name":"R","fields":[
      {"name":"e","type":{"type":"enum","name":"E","symbols":["X","Y"]}},
      {"name":"b","type":"bytes"},
      {"name":"m","type":{"type":"map","values":"long"}},
      {"name":"u","type":["null","string","int"]},
      {"name":"d","type":{"type":"bytes","logicalType":"decimal","precision":5,"scale":2}},
      {"name":"a","type":{"type":"array","items":"boolean"}}]})");
  std::string p = avro_long(1) + avro_bytes("\x01\x02");
  p += avro_long(2) + avro_bytes("b") + avro_long(-1) + avro_bytes("a") + avro_long(3) + avro_long(0);
  p += avro_long(2) + avro_long(42);  // the int branch, written as String.valueOf by the string branch first
  p += avro_bytes("\x30\x39");        // 12345 -> 123.45
  p += avro_long(-2) + avro_long(2) + std::string("\x01\x00", 2) + avro_long(0);  // a block with its byte size
  // Map {b, a} in a HashMap(2): grows to 4 buckets on the second put, a (97) in 1, b (98) in 2.
  EXPECT_EQ(e.value(p, avro), R"({"e":"Y","b":"AQI=","m":{"a":3,"b":-1},"u":"42","d":123.45,"a":[true,false]})");
}

TEST(ExpandValue, KeyValueInlineAndSeparated) {
  Expand e;
  const auto rec_k = R"({"type":"record","name":"K","fields":[{"name":"id","type":"int"}]})";
  const std::string defs = be(std::string_view(rec_k).size(), 4) + rec_k + be(0, 4);
  const std::vector<Property> props = {
      {"key.schema.type", "AVRO"}, {"value.schema.type", "STRING"}, {"kv.encoding.type", "INLINE"}};
  const auto inline_kv = schema(SchemaType::kKeyValue, defs, props);
  const std::string payload = be(1, 4) + avro_long(7) + be(2, 4) + "hi";
  EXPECT_EQ(e.value(payload, inline_kv), R"({"value":"hi","key":{"id":7}})");
  EXPECT_EQ(e.value(be(1, 4) + avro_long(7) + be(0xFFFFFFFF, 4), inline_kv), R"({"key":{"id":7}})");
  EXPECT_FALSE(e.run(be(5, 4) + "ab", inline_kv).ok());

  const std::vector<Property> separated_props = {
      {"key.schema.type", "AVRO"}, {"value.schema.type", "STRING"}, {"kv.encoding.type", "SEPARATED"}};
  const auto separated = schema(SchemaType::kKeyValue, defs, separated_props);
  e.m.key = "Dg==";  // avro int 7
  e.m.key_is_base64 = true;
  EXPECT_EQ(e.value("hi", separated), R"({"value":"hi","key":{"id":7}})");
  e.m.key.reset();
  EXPECT_EQ(e.value("hi", separated), R"({"value":"hi"})");
}

TEST(RecordEncoder, FormatNamesAndDispatch) {
  EXPECT_EQ(*parse_message_format("FULL_MESSAGE_IN_FB"), MessageFormat::kFullMessageInFb);
  const auto bad = parse_message_format("full_message_in_json");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("\"full_message_in_json\""), std::string::npos);
  InputMessage m;
  m.payload = "raw";
  std::string out;
  RecordEncoder raw({MessageFormat::kOnlyRawPayload});
  ASSERT_TRUE(raw.encode(m, out).ok());
  EXPECT_EQ(out, "raw");
  RecordEncoder json({MessageFormat::kFullMessageInJson});
  ASSERT_TRUE(json.encode(m, out).ok());
  EXPECT_EQ(out, R"(raw{"payloadBase64":"cmF3","properties":{}})");
}

}  // namespace
}  // namespace pk::formats
