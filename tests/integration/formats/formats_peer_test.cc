// The record formats against the real Java connector: each case is a message (metadata bytes as the broker sends
// them, payload, topic schema) given both to the Java connector's KinesisSink.write() through the Java client's
// own MessageImpl (java/FormatsPeer.java) and to our encoders through the InputMessage the sink builds; the
// partition key and the record bytes must be equal in every format, except where the Java connector fails or
// writes something broken (the documented differences below, each asserted as such).
#include <bit>
#include <charconv>
#include <cmath>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "common/base64.h"
#include "formats/java_string.h"
#include "formats/json_text.h"
#include "formats/partition_key.h"
#include "formats/record_encoder.h"
#include "formats/topic_schema.h"
#include "peer_runner.h"
#include "pulsar/proto/pulsar_wire.pb.h"
#include "support/avro_binary.h"

namespace pk::formats {
namespace {

namespace pb = pk::pulsar::pb;
using pk::testing::from_hex;
using pk::testing::to_hex;
using testing::PeerAnswers;

constexpr const char* kTopic = "persistent://public/default/peer-in-partition-3";

struct SchemaSpec {
  std::string type;  // Java SchemaType name
  std::string definition;
  std::vector<std::pair<std::string, std::string>> properties;
};

struct PeerCase {
  std::string id;
  std::string topic = kTopic;
  pb::MessageMetadata md;
  std::optional<pb::SingleMessageMetadata> single;  // set: the message came in a batch
  std::string payload;
  std::optional<SchemaSpec> schema;
};

pb::MessageMetadata base_metadata() {
  pb::MessageMetadata md;
  md.set_producer_name("peer-producer");
  md.set_sequence_id(41);
  md.set_publish_time(1700000000123);
  return md;
}

template <typename Md>
void add_property(Md& md, std::string key, std::string value) {
  auto* kv = md.add_properties();
  kv->set_key(std::move(key));
  kv->set_value(std::move(value));
}

// ---- Avro binary, for the AVRO cases ----------------------------------------------------------------------------
using pk::testing::avro_bytes;
using pk::testing::avro_long;
std::string avro_float(float f) {
  const auto bits = std::bit_cast<uint32_t>(f);
  std::string out;
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>(bits >> (8 * i)));
  return out;
}
std::string avro_double(double d) {
  const auto bits = std::bit_cast<uint64_t>(d);
  std::string out;
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>(bits >> (8 * i)));
  return out;
}
std::string be_bytes(uint64_t v, int n) {
  std::string out;
  for (int i = n - 1; i >= 0; --i) out.push_back(static_cast<char>(v >> (8 * i)));
  return out;
}
std::string kv_inline(std::optional<std::string> key, std::optional<std::string> value) {
  std::string out;
  out += key ? be_bytes(key->size(), 4) + *key : be_bytes(0xFFFFFFFF, 4);
  out += value ? be_bytes(value->size(), 4) + *value : be_bytes(0xFFFFFFFF, 4);
  return out;
}
SchemaSpec kv_schema(const SchemaSpec& key, const SchemaSpec& value, const std::string& encoding) {
  SchemaSpec s;
  s.type = "KEY_VALUE";
  s.definition =
      be_bytes(key.definition.size(), 4) + key.definition + be_bytes(value.definition.size(), 4) + value.definition;
  s.properties = {{"key.schema.name", "k"},      {"key.schema.type", key.type},     {"key.schema.properties", "{}"},
                  {"value.schema.name", "v"},    {"value.schema.type", value.type}, {"value.schema.properties", "{}"},
                  {"kv.encoding.type", encoding}};
  return s;
}

const char* kRecordSchema = R"({
  "type": "record", "name": "Rec", "namespace": "peer",
  "fields": [
    {"name": "i", "type": "int"}, {"name": "l", "type": "long"}, {"name": "f", "type": "float"},
    {"name": "d", "type": "double"}, {"name": "b", "type": "boolean"}, {"name": "s", "type": "string"},
    {"name": "by", "type": "bytes"}, {"name": "fx", "type": {"type": "fixed", "name": "Four", "size": 4}},
    {"name": "e", "type": {"type": "enum", "name": "Color", "symbols": ["RED", "GREEN", "BLUE"]}},
    {"name": "arr", "type": {"type": "array", "items": "int"}},
    {"name": "m", "type": {"type": "map", "values": "int"}},
    {"name": "u", "type": ["null", "string"]}, {"name": "un", "type": ["null", "string"]},
    {"name": "inner", "type": {"type": "record", "name": "Inner", "fields": [
      {"name": "x", "type": "int"}, {"name": "next", "type": ["null", "Inner"]}]}},
    {"name": "day", "type": {"type": "int", "logicalType": "date"}},
    {"name": "ts", "type": {"type": "long", "logicalType": "timestamp-millis"}},
    {"name": "id", "type": {"type": "string", "logicalType": "uuid"}},
    {"name": "ctl", "type": "string"}
  ]})";

std::string record_payload() {
  std::string p;
  p += avro_long(-123456);                                                         // i
  p += avro_long(9007199254740993);                                                // l
  p += avro_float(1.5f);                                                           // f
  p += avro_double(0.1);                                                           // d
  p += std::string(1, '\x01');                                                     // b
  p += avro_bytes("h\xc3\xa9llo \"q\" <a&b>");                                     // s
  p += avro_bytes(std::string("\x00\xff\x10", 3));                                 // by
  p += std::string("\x01\x02\x03\x04", 4);                                         // fx
  p += avro_long(2);                                                               // e = BLUE
  p += avro_long(3) + avro_long(1) + avro_long(-2) + avro_long(3) + avro_long(0);  // arr
  // m: one block of 5 entries (HashMap(5) of Utf8 keys), the non-ASCII keys hash on signed bytes.
  p += avro_long(5);
  for (const char* k : {"a", "zz", "\xc3\xa9", "\xf0\x9f\x98\x80", "b"}) p += avro_bytes(k) + avro_long(7);
  p += avro_long(0);
  p += avro_long(1) + avro_bytes("u1");                            // u: string branch
  p += avro_long(0);                                               // un: null
  p += avro_long(5) + avro_long(1) + avro_long(6) + avro_long(0);  // inner {x:5, next:{x:6, next:null}}
  p += avro_long(19000);                                           // day
  p += avro_long(1700000000123);                                   // ts
  p += avro_bytes("123e4567-e89b-12d3-a456-426614174000");         // id
  p += avro_bytes(std::string("tab\there\x01", 10));               // ctl
  return p;
}

std::vector<PeerCase> make_cases() {
  std::vector<PeerCase> cases;
  auto add = [&](std::string id) -> PeerCase& {
    cases.emplace_back();
    cases.back().id = std::move(id);
    cases.back().md = base_metadata();
    return cases.back();
  };

  {  // plain: key, three properties, Gson's escapes, HTML characters left alone
    auto& c = add("plain");
    c.md.set_partition_key("order-17");
    add_property(c.md, "trace", "a<b>&c='d'/e");
    add_property(c.md, "ctl", std::string("x\x01\"\\\t\n\r\b\f\x1f\x7f", 12));
    add_property(c.md, "ls", "line\xe2\x80\xa8sep\xe2\x80\xa9");
    c.payload = "hello, world";
  }
  {
    auto& c = add("no-key-no-properties");
    c.payload = std::string("\x00\x01\x02\xff", 4);
  }
  {
    auto& c = add("empty-key");
    c.md.set_partition_key("");
    c.payload = "x";
  }
  {
    auto& c = add("long-key");
    c.md.set_partition_key(std::string(300, 'k'));
    c.payload = "x";
  }
  {  // 254 ASCII, then an emoji (2 UTF-16 units) at 254-255, then more: the cut at 255 splits the pair
    auto& c = add("emoji-key-split");
    c.md.set_partition_key(std::string(254, 'e') + "\xf0\x9f\x98\x80" + "tail");
    c.payload = "x";
  }
  {  // exactly 256 UTF-16 units: kept whole
    auto& c = add("emoji-key-256");
    std::string key;
    for (int i = 0; i < 128; ++i) key += "\xf0\x9f\x8e\x89";
    c.md.set_partition_key(key);
    c.payload = "x";
  }
  {
    auto& c = add("bytes-key");
    c.md.set_partition_key("AAEC/w==");
    c.md.set_partition_key_b64_encoded(true);
    c.payload = "x";
  }
  {  // 20 properties: the merge-filled HashMap resizes on the 14th
    auto& c = add("twenty-properties");
    c.md.set_partition_key("k");
    for (int i = 0; i < 20; ++i) add_property(c.md, fmt::format("prop-{}", i * 7), fmt::format("v{}", i));
    c.payload = "p";
  }
  {  // 14 properties exactly, in a batch (TreeMap) and not
    for (bool batched : {false, true}) {
      auto& c = add(batched ? "fourteen-batched" : "fourteen");
      pb::SingleMessageMetadata single;
      for (int i = 0; i < 14; ++i) {
        const auto k = fmt::format("key{}", 13 - i);
        if (batched) {
          add_property(single, k, "v");
        } else {
          add_property(c.md, k, "v");
        }
      }
      c.payload = "p";
      if (batched) {
        single.set_payload_size(1);
        c.md.set_num_messages_in_batch(1);
        c.single = single;
      }
    }
  }
  {  // keys of equal String.hashCode ("Aa" and "BB" hash alike): one bucket grows until the table has 64
     // buckets and the bucket becomes a red-black tree (merge here, put in EXPAND_VALUE)
    auto& c = add("colliding-hashes");
    int n = 0;
    for (int bits = 0; bits < 16 && n < 12; ++bits, ++n) {
      std::string k;
      for (int b = 0; b < 4; ++b) k += (bits >> b) & 1 ? "BB" : "Aa";
      add_property(c.md, k, fmt::format("{}", n));
    }
    add_property(c.md, "other", "x");
    c.payload = "p";
  }
  {
    auto& c = add("duplicate-keys");
    add_property(c.md, "a", "1");
    add_property(c.md, "b", "2");
    add_property(c.md, "a", "3");
    add_property(c.md, "a", "4");
    c.payload = "p";
  }
  {
    auto& c = add("duplicate-keys-batched");
    pb::SingleMessageMetadata single;
    add_property(single, "a", "1");
    add_property(single, "b", "2");
    add_property(single, "a", "3");
    single.set_payload_size(1);
    single.set_partition_key("batched-key");
    single.set_event_time(1700000000999);
    c.md.set_num_messages_in_batch(3);
    c.single = single;
    c.payload = "p";
  }
  {  // UTF-16 order puts a supplementary character (surrogates D800-DFFF) before U+E000..U+FFFF
    auto& c = add("treemap-utf16-order");
    pb::SingleMessageMetadata single;
    for (const char* k : {"\xef\xbf\xbd", "\xf0\x9f\x98\x80", "\xee\x80\x80", "a", "\xc3\xa4", "Z", ""}) {
      add_property(single, k, k);
    }
    single.set_payload_size(1);
    c.md.set_num_messages_in_batch(1);
    c.single = single;
    c.payload = "p";
  }
  {
    auto& c = add("same-keys-not-batched");
    for (const char* k : {"\xef\xbf\xbd", "\xf0\x9f\x98\x80", "\xee\x80\x80", "a", "\xc3\xa4", "Z", ""}) {
      add_property(c.md, k, k);
    }
    c.payload = "p";
  }
  {  // bytes that are not UTF-8: Java reads U+FFFD for each bad sequence
    auto& c = add("invalid-utf8");
    c.md.set_partition_key("key-\xff-\xed\xa0\x80-\xe2\x82");
    add_property(c.md, "bad\xc0\xaf", "v\xf0\x9f\x98");
    add_property(c.md, "ok", "\xed\xbf\xbf!");
    c.payload = "p";
  }
  {
    auto& c = add("event-time");
    c.md.set_partition_key("k");
    c.md.set_event_time(1690000000000);
    add_property(c.md, "a", "b");
    c.payload = "p";
  }
  auto add_key = [](pb::MessageMetadata& md, std::string name, std::string value,
                    std::vector<std::pair<std::string, std::string>> meta) {
    auto* k = md.add_encryption_keys();
    k->set_key(std::move(name));
    k->set_value(std::move(value));
    for (auto& [mk, mv] : meta) {
      auto* kv = k->add_metadata();
      kv->set_key(mk);
      kv->set_value(mv);
    }
  };
  {
    auto& c = add("encrypted");
    c.md.set_partition_key("enc");
    add_property(c.md, "p", "v");
    add_key(c.md, "key-b", std::string("\x01\x02\x03", 3), {{"version", "2"}, {"ckms", "c2"}});
    add_key(c.md, "key-a", "secret", {});
    c.md.set_encryption_param(std::string("\x09\x08\x07\x06", 4));
    c.md.set_encryption_algo("RSA-AES/GCM");
    c.md.set_compression(pb::LZ4);
    c.md.set_uncompressed_size(1234);
    c.md.set_num_messages_in_batch(5);
    c.payload = std::string("\xde\xad\xbe\xef", 4);
  }
  {  // no algorithm: the Java FB writer throws; no batch size; ZSTD has no FB value
    auto& c = add("encrypted-no-algo");
    add_key(c.md, "only", "k", {{"m", "1"}});
    c.md.set_encryption_param("param");
    c.md.set_compression(pb::ZSTD);
    c.md.set_uncompressed_size(3000000000u);
    c.payload = "cipher";
  }
  {
    auto& c = add("encrypted-zlib-many-keys");
    for (int i = 0; i < 14; ++i) add_key(c.md, fmt::format("k{}", i), fmt::format("v{}", i), {});
    c.md.set_encryption_param("p");
    c.md.set_encryption_algo("algo");
    c.md.set_compression(pb::ZLIB);
    c.md.set_num_messages_in_batch(1);
    c.payload = "cipher";
  }

  // ---- FULL_MESSAGE_IN_JSON_EXPAND_VALUE: values by schema ----------------------------------------------------
  const std::string version(8, '\0');
  auto add_schema = [&](std::string id, SchemaSpec schema, std::string payload) -> PeerCase& {
    auto& c = add(std::move(id));
    c.md.set_schema_version(version);
    c.md.set_partition_key("sk");
    add_property(c.md, "p", "1");
    c.schema = std::move(schema);
    c.payload = std::move(payload);
    return c;
  };
  const SchemaSpec json{"JSON", R"({"type":"record","name":"J","fields":[]})", {}};
  add_schema("json-object", json,
             R"( {"b":1,"a":[1,2.50,-0.0,1e5,100.0,12345678901234567890,-0,0.000001,1.5e-7,-3],)"
             R"("s":"x\u00e9\ud83d\ude00\ud800\/ \"q\"","n":null,"t":true,"f":false,"o":{},"e":[],"a":"dup",)"
             R"("deep":{"x":{"y":[{"z":"w"}]}}} trailing)");
  add_schema("json-numbers", json,
             "[1,2.50,-0.0,1e5,100.0,12345678901234567890,-0,0.000001,1.5e-7,-3,1E-7,0.0,1e-400,123.456e3,"
             "-9223372036854775808,3.14159265358979323846264338327950288]");
  add_schema("json-empty", json, "  \n");
  add_schema("json-deep-999", json, std::string(999, '[') + std::string(999, ']'));
  add_schema("json-deep-1000", json, std::string(1000, '[') + std::string(1000, ']'));
  add_schema("json-array-root", json, "[1,\"two\",{\"3\":3}]");
  add_schema("json-number-root", json, "123 ");
  add_schema("json-number-glued", json, "123x");
  add_schema("json-broken", json, "{\"a\":}");
  add_schema("json-flatten-keys", json,
             R"({"a.b":1,"a":{"b":2,"c":[1,{"d":[]}]},"":{"y":3},"y":4,"q\"k":{"z":"w"},"[x]":{"k":"v"},)"
             R"("f":1.5,"g":1e10,"h":0.0001,"big":123456789012345678901234567890.5,"i":7})");
  add_schema("json-invalid-utf8", json, "{\"k\xff\":\"v\xed\xa0\x80\"}");
  add_schema("json-control-chars", json, "{\"c\":\"a\\u0001b\\u001f\"}");

  const SchemaSpec avro{"AVRO", kRecordSchema, {}};
  add_schema("avro-record", avro, record_payload());
  add_schema("avro-truncated", avro, record_payload().substr(0, 20));
  add_schema("avro-decimal",
             {"AVRO",
              R"({"type":"record","name":"D","fields":[{"name":"amount","type":{"type":"bytes",)"
              R"("logicalType":"decimal","precision":9,"scale":2}}]})",
              {}},
             avro_bytes(std::string("\xff\x85", 2)));  // -123 -> -1.23
  add_schema("avro-union-mismatch",
             {"AVRO",
              R"({"type":"record","name":"U","fields":[{"name":"u","type":["null","string","int"]},)"
              R"({"name":"v","type":["null","string","double"]}]})",
              {}},
             avro_long(2) + avro_long(5) + avro_long(2) + avro_double(2.5));
  {
    std::string p = avro_long(16);
    for (int i = 0; i < 16; ++i) p += avro_bytes(fmt::format("key{}", i * 3)) + avro_long(i);
    p += avro_long(0);
    add_schema(
        "avro-map-resize",
        {"AVRO", R"({"type":"record","name":"M","fields":[{"name":"m","type":{"type":"map","values":"int"}}]})", {}},
        p);
  }
  {
    std::string p = avro_long(4);
    for (const char* k : {"\xc3\xa9t\xc3\xa9", "zeta", "\xc3\xbc", "alpha"}) p += avro_bytes(k) + avro_long(1);
    p += avro_long(0);
    add_schema("avro-map-java-string",
               {"AVRO",
                R"({"type":"record","name":"S","fields":[{"name":"m","type":{"type":"map","values":"int",)"
                R"("avro.java.string":"String"}}]})",
                {}},
               p);
  }
  add_schema("string", {"STRING", "", {}}, "h\xc3\xa9llo \xf0\x9f\x98\x80 \x01");
  add_schema("boolean", {"BOOLEAN", "", {}}, std::string(1, '\x01'));
  add_schema("int8", {"INT8", "", {}}, std::string(1, '\xfe'));
  add_schema("int16", {"INT16", "", {}}, be_bytes(0x8001, 2));
  add_schema("int32", {"INT32", "", {}}, be_bytes(0xFFFFFF85, 4));
  add_schema("int32-wrong-size", {"INT32", "", {}}, be_bytes(1, 3));
  add_schema("int64", {"INT64", "", {}}, be_bytes(1700000000123, 8));
  add_schema("float", {"FLOAT", "", {}}, be_bytes(std::bit_cast<uint32_t>(0.1f), 4));
  add_schema("double", {"DOUBLE", "", {}}, be_bytes(std::bit_cast<uint64_t>(1e-5), 8));
  add_schema("double-large", {"DOUBLE", "", {}}, be_bytes(std::bit_cast<uint64_t>(1.5e10), 8));
  add_schema("bytes", {"BYTES", "", {}}, std::string("\x00\x01\xfe", 3));
  add_schema("date", {"DATE", "", {}}, be_bytes(1700000000123, 8));
  add_schema("timestamp", {"TIMESTAMP", "", {}}, be_bytes(1700000000123, 8));
  add_schema("time", {"TIME", "", {}}, be_bytes(3723000, 8));
  add_schema("instant", {"INSTANT", "", {}}, be_bytes(1700000000, 8) + be_bytes(123000000, 4));
  add_schema("local-date", {"LOCAL_DATE", "", {}}, be_bytes(19000, 8));
  add_schema("no-schema", {"BYTES", "", {}}, "raw bytes");

  const SchemaSpec key_avro{"AVRO", R"({"type":"record","name":"K","fields":[{"name":"id","type":"int"}]})", {}};
  const SchemaSpec value_avro{
      "AVRO",
      R"({"type":"record","name":"V","fields":[{"name":"name","type":"string"},{"name":"n","type":"long"}]})",
      {}};
  const std::string key_datum = avro_long(42);
  const std::string value_datum = avro_bytes("alice") + avro_long(-7);
  add_schema("kv-inline-avro", kv_schema(key_avro, value_avro, "INLINE"), kv_inline(key_datum, value_datum));
  add_schema("kv-inline-null-value", kv_schema(key_avro, value_avro, "INLINE"), kv_inline(key_datum, std::nullopt));
  add_schema("kv-inline-json-value", kv_schema(key_avro, json, "INLINE"), kv_inline(key_datum, R"({"x":[1,2]})"));
  {
    auto& c = add_schema("kv-separated-avro", kv_schema(key_avro, value_avro, "SEPARATED"), value_datum);
    c.md.set_partition_key(base64_encode(key_datum));
    c.md.set_partition_key_b64_encoded(true);
  }
  {
    auto& c = add_schema("kv-separated-no-key", kv_schema(key_avro, value_avro, "SEPARATED"), value_datum);
    c.md.clear_partition_key();
  }
  add_schema("kv-inline-strings", kv_schema({"STRING", "", {}}, {"STRING", "", {}}, "INLINE"), kv_inline("k", "v"));
  // Random property sets (seeded): many keys of equal hash ("Aa" and "BB" spell the same String.hashCode), so
  // buckets overflow, tables resize and bins become trees; duplicates; non-ASCII; batched or not.
  std::mt19937 rng(20261203);
  std::vector<std::string> pool;
  for (int len = 1; len <= 4; ++len) {
    for (int bits = 0; bits < (1 << len); ++bits) {
      std::string k;
      for (int b = 0; b < len; ++b) k += (bits >> b) & 1 ? "BB" : "Aa";
      pool.push_back(k);
    }
  }
  for (const char* k : {"x", "y", "key", "\xc3\xa9", "\xf0\x9f\x98\x80", "\xee\x80\x80", "trace-id", "Z", "", "a.b"}) {
    pool.emplace_back(k);
  }
  for (int i = 0; i < 40; ++i) {
    auto& c = add(fmt::format("random-{}", i));
    const bool batched = rng() % 3 == 0;
    pb::SingleMessageMetadata single;
    const int n = static_cast<int>(rng() % 70);
    for (int j = 0; j < n; ++j) {
      std::string k = rng() % 4 == 0 ? fmt::format("p{}", rng() % 100) : pool[rng() % pool.size()];
      std::string v = fmt::format("v{}", j);
      if (batched) {
        add_property(single, std::move(k), std::move(v));
      } else {
        add_property(c.md, std::move(k), std::move(v));
      }
    }
    if (rng() % 2) c.md.set_partition_key(pool[rng() % pool.size()]);
    c.payload = fmt::format("payload {}", i);
    if (batched) {
      single.set_payload_size(static_cast<int>(c.payload.size()));
      c.md.set_num_messages_in_batch(2);
      c.single = single;
    }
  }
  return cases;
}

// Byte strings for Java's UTF-8 decoding (String.hashCode, length, getBytes): edge bytes mixed at random.
std::vector<std::string> text_cases() {
  std::vector<std::string> out = {"",         "plain",           "\xed\xa0\x80", "\xe0\xa0", "\xf0\x9f\x98",
                                  "\xc0\xaf", "\xf4\x90\x80\x80"};
  const unsigned char edge[] = {0x00, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf,
                                0xe0, 0xe1, 0xed, 0xee, 0xef, 0xf0, 0xf1, 0xf4, 0xf5, 0xf8, 0xfe, 0xff};
  std::mt19937 rng(7);
  for (int i = 0; i < 3000; ++i) {
    std::string s;
    const int n = 1 + static_cast<int>(rng() % 8);
    for (int j = 0; j < n; ++j) s.push_back(static_cast<char>(edge[rng() % std::size(edge)]));
    out.push_back(s);
  }
  return out;
}

std::vector<double> double_cases() {
  std::vector<double> out = {
      0.1,         1e-3,    9.999e-4, 1e7, 9999999.0, 1e21, 1e22, 1e23,  2e23, 5e-324, 1.7976931348623157e308,
      123456789.0, 1.0 / 3, 100.0,    0.3, 2.5e-7,    -1.5, 4.35, 0.001, 1e-5};
  std::mt19937_64 rng(11);
  for (int i = 0; i < 400; ++i) {
    double d;
    do {
      d = std::bit_cast<double>(rng());
    } while (!std::isfinite(d));
    out.push_back(d);
  }
  for (int i = 0; i < 200; ++i) out.push_back(static_cast<double>(rng() % 1000000) / 1000.0);
  return out;
}

std::vector<float> float_cases() {
  std::vector<float> out = {0.1f, 1e10f, 3.4028235e38f, 1.4e-45f, 1e-3f, 16777216.0f, 0.3f, 1.1f, 1e7f, 9999999.0f};
  std::mt19937 rng(13);
  for (int i = 0; i < 400; ++i) {
    float f;
    do {
      f = std::bit_cast<float>(static_cast<uint32_t>(rng()));
    } while (!std::isfinite(f));
    out.push_back(f);
  }
  return out;
}

std::string spec_line(const SchemaSpec& s) {
  std::string props;
  for (const auto& [k, v] : s.properties) props += (props.empty() ? "" : ",") + to_hex(k) + "=" + to_hex(v);
  return fmt::format("{}:{}:{}", s.type, to_hex(s.definition), props);
}

std::string cases_file(const std::vector<PeerCase>& cases) {
  std::string out;
  for (const auto& c : cases) {
    out += fmt::format("MSG\t{}\t{}\t{}\t{}\t{}\t{}\n", c.id, c.topic, to_hex(c.md.SerializeAsString()),
                       c.single ? to_hex(c.single->SerializeAsString()) : "-", to_hex(c.payload),
                       c.schema ? spec_line(*c.schema) : "-");
  }
  return out;
}

// The InputMessage the sink builds from a received message (pulsar::Message gives the same fields).
struct Adapted {
  std::vector<Property> properties;
  std::vector<std::vector<Property>> key_metadata;
  std::vector<EncryptionKeyView> keys;
  EncryptionContextView encryption;
  std::vector<Property> schema_properties;
  std::shared_ptr<const TopicSchema> schema;
  InputMessage message;
};

std::unique_ptr<Adapted> adapt(const PeerCase& c) {
  auto a = std::make_unique<Adapted>();
  InputMessage& m = a->message;
  m.topic = c.topic;
  m.payload = c.payload;
  m.publish_time = c.md.publish_time();
  if (c.single) {
    const auto& s = *c.single;
    for (const auto& kv : s.properties()) a->properties.emplace_back(kv.key(), kv.value());
    if (s.has_partition_key()) m.key = s.partition_key();
    m.key_is_base64 = s.partition_key_b64_encoded();
    m.event_time = s.has_event_time() ? s.event_time() : c.md.event_time();
    m.delivered_in_batch = true;
  } else {
    for (const auto& kv : c.md.properties()) a->properties.emplace_back(kv.key(), kv.value());
    if (c.md.has_partition_key()) m.key = c.md.partition_key();
    m.key_is_base64 = c.md.partition_key_b64_encoded();
    m.event_time = c.md.event_time();
  }
  m.properties = a->properties;
  if (c.md.encryption_keys_size() > 0) {
    a->key_metadata.resize(static_cast<size_t>(c.md.encryption_keys_size()));
    for (int i = 0; i < c.md.encryption_keys_size(); ++i) {
      const auto& k = c.md.encryption_keys(i);
      auto& meta = a->key_metadata[static_cast<size_t>(i)];
      for (const auto& kv : k.metadata()) meta.emplace_back(kv.key(), kv.value());
    }
    for (int i = 0; i < c.md.encryption_keys_size(); ++i) {
      const auto& k = c.md.encryption_keys(i);
      a->keys.push_back({k.key(), k.value(), a->key_metadata[static_cast<size_t>(i)]});
    }
    auto& e = a->encryption;
    e.keys = a->keys;
    e.param = c.md.encryption_param();
    if (c.md.has_encryption_algo()) e.algorithm = c.md.encryption_algo();
    e.compression = static_cast<CompressionType>(c.md.compression());
    e.uncompressed_size = c.md.uncompressed_size();
    if (c.md.has_num_messages_in_batch()) e.batch_size = c.md.num_messages_in_batch();
    m.encryption = &a->encryption;
  }
  if (c.schema) {
    for (const auto& [k, v] : c.schema->properties) a->schema_properties.emplace_back(k, v);
    auto type = schema_type_from_name(c.schema->type);
    EXPECT_TRUE(type.ok()) << c.id;
    auto compiled = TopicSchema::compile(*type, c.schema->definition, a->schema_properties);
    EXPECT_TRUE(compiled.ok()) << c.id << ": " << compiled.error().message;
    if (compiled.ok()) a->schema = *compiled;
    m.schema = a->schema.get();
  }
  return a;
}

struct Variant {
  const char* name;
  FormatOptions options;
};
const Variant kVariants[] = {
    {"RAW", {MessageFormat::kOnlyRawPayload, true, false}},
    {"JSON", {MessageFormat::kFullMessageInJson, true, false}},
    {"FB", {MessageFormat::kFullMessageInFb, true, false}},
    {"EXPAND", {MessageFormat::kFullMessageInJsonExpandValue, true, false}},
    {"EXPAND_NULLS", {MessageFormat::kFullMessageInJsonExpandValue, false, false}},
    {"EXPAND_FLAT", {MessageFormat::kFullMessageInJsonExpandValue, true, true}},
    {"EXPAND_FLAT_NULLS", {MessageFormat::kFullMessageInJsonExpandValue, false, true}},
};

std::string all_cases() {
  // The JVM in use is part of the cases, so that answers cached from another JVM are not reused.
  const char* java_home = std::getenv("PK_PEER_JAVA_HOME");
  std::string out = fmt::format("# java home: {}\n", java_home ? java_home : "(default)");
  out += cases_file(make_cases());
  const auto texts = text_cases();
  for (size_t i = 0; i < texts.size(); ++i) out += fmt::format("TEXT\tt{}\t{}\n", i, to_hex(texts[i]));
  const auto doubles = double_cases();
  for (size_t i = 0; i < doubles.size(); ++i) {
    out += fmt::format("DOUBLE\td{}\t{:016x}\n", i, std::bit_cast<uint64_t>(doubles[i]));
  }
  const auto floats = float_cases();
  for (size_t i = 0; i < floats.size(); ++i) {
    out += fmt::format("FLOAT\tf{}\t{:08x}\n", i, std::bit_cast<uint32_t>(floats[i]));
  }
  return out;
}

const PeerAnswers& answers() {
  static const PeerAnswers* cached = [] {
    auto r = testing::run_java_peer(all_cases());
    if (!r.ok()) {
      ADD_FAILURE() << r.error().message;
      return new PeerAnswers();
    }
    return new PeerAnswers(std::move(*r));
  }();
  return *cached;
}

struct Ours {
  bool ok = false;
  std::string key;
  std::string data;
  std::string error;
};

Ours encode(const PeerCase& c, const Variant& v) {
  auto a = adapt(c);
  RecordEncoder encoder(v.options);
  Ours o;
  std::string scratch;
  o.key = std::string(partition_key(a->message, scratch).key);
  const Status s = encoder.encode(a->message, o.data);
  o.ok = s.ok();
  if (!s.ok()) o.error = s.error().message;
  return o;
}

bool is_expand(std::string_view format) {
  return format.starts_with("EXPAND");
}
bool is_flat(std::string_view format) {
  return format.starts_with("EXPAND_FLAT");
}

TEST(FormatsPeer, JavaConnectorRanEveryCase) {
  const auto cases = make_cases();
  EXPECT_EQ(answers().size(),
            cases.size() * std::size(kVariants) + text_cases().size() + double_cases().size() + float_cases().size());
}

// Where the Java connector fails a message we format: (case, formats) and the exception it throws.
struct JavaFailure {
  const char* id;
  bool (*formats)(std::string_view);
  const char* exception;
};
bool only_fb(std::string_view f) {
  return f == "FB";
}
bool all_expand(std::string_view f) {
  return is_expand(f);
}
const JavaFailure kJavaFailures[] = {
    // FB with no encryption algorithm: createString(null).
    {"encrypted-no-algo", only_fb, "java.lang.NullPointerException"},
    // decimal: the Pulsar client's Avro reader gives a ByteBuffer, JsonConverter wants a BigDecimal.
    {"avro-decimal", all_expand, "java.lang.IllegalArgumentException: Invalid type for Decimal"},
    // INSTANT and LOCAL_DATE values: Jackson has no java.time module.
    {"instant", all_expand, "Java 8 date/time type `java.time.Instant` not supported by default"},
    {"local-date", all_expand, "Java 8 date/time type `java.time.LocalDate` not supported by default"},
    // KEY_VALUE of primitive components: Utils casts each component to GenericObject.
    {"kv-inline-strings", all_expand, "java.lang.ClassCastException"},
};

// Where both fail: the value does not decode (or, unflattened, nests deeper than Jackson writes).
bool plain_expand(std::string_view f) {
  return is_expand(f) && !is_flat(f);
}
const JavaFailure kBothFail[] = {
    {"json-number-glued", all_expand, "Expected space separating root-level values"},
    {"json-broken", all_expand, "expected a value"},
    {"json-invalid-utf8", all_expand, "Invalid UTF-8 start byte 0xff"},
    {"json-deep-1000", plain_expand, "Document nesting depth (1001) exceeds the maximum allowed (1000"},
    {"avro-truncated", all_expand, "java.io.EOFException"},
    {"int32-wrong-size", all_expand, "Size of data received by IntSchema is not 4"},
};

TEST(FormatsPeer, EveryFormatMatchesTheJavaConnectorOrDiffersAsDocumented) {
  const auto cases = make_cases();
  int same = 0;
  int java_failures = 0;
  int both_fail = 0;
  int flat_differences = 0;
  int key_differences = 0;
  for (const auto& c : cases) {
    for (const auto& v : kVariants) {
      SCOPED_TRACE(fmt::format("case {} format {}", c.id, v.name));
      const auto it = answers().find({c.id, v.name});
      ASSERT_NE(it, answers().end());
      const auto& java = it->second;
      const Ours ours = encode(c, v);
      const JavaFailure* failure = nullptr;
      for (const auto& f : kJavaFailures) {
        if (c.id == f.id && f.formats(v.name)) failure = &f;
      }
      const JavaFailure* both = nullptr;
      for (const auto& f : kBothFail) {
        if (c.id == f.id && f.formats(v.name)) both = &f;
      }
      if (failure) {
        EXPECT_FALSE(java.ok) << "the Java connector no longer fails here: " << to_hex(java.data);
        EXPECT_NE(java.error.find(failure->exception), std::string::npos) << java.error;
        EXPECT_TRUE(ours.ok) << ours.error;
        ++java_failures;
        continue;
      }
      if (both) {
        EXPECT_FALSE(java.ok) << to_hex(java.data);
        EXPECT_NE(java.error.find(both->exception), std::string::npos) << java.error;
        EXPECT_FALSE(ours.ok) << ours.data;
        EXPECT_NE(ours.error.find(c.topic), std::string::npos) << ours.error;
        ++both_fail;
        continue;
      }
      EXPECT_TRUE(java.ok) << java.error;
      EXPECT_TRUE(ours.ok) << ours.error;
      if (!java.ok || !ours.ok) continue;
      if (c.single ? (c.single->has_partition_key() && c.single->partition_key().empty())
                   : (c.md.has_partition_key() && c.md.partition_key().empty())) {
        // KinesisSink passes "" to the KPL, which throws; we use the topic name.
        EXPECT_EQ(java.key, "");
        EXPECT_EQ(ours.key, c.topic);
        ++key_differences;
      } else {
        EXPECT_EQ(to_hex(ours.key), to_hex(java.key)) << "ours: " << ours.key << "\njava: " << java.key;
      }
      if (is_flat(v.name) && ours.data != java.data) {
        // json-flattener writes control characters other than \b \t \n \f \r raw (invalid JSON) and a BYTES
        // value as null: we escape them and write the bytes as base64. Apply exactly those two changes to the
        // Java record; the rest must be identical.
        std::string fixed;
        for (unsigned char ch : java.data) {
          if (ch < 0x20) {
            fixed += fmt::format("\\u{:04X}", ch);
          } else {
            fixed.push_back(static_cast<char>(ch));
          }
        }
        const bool bytes_value = !c.schema || c.schema->type == "BYTES";
        const std::string null_payload = "\"payload\":null";
        if (bytes_value && fixed.find(null_payload) != std::string::npos) {
          fixed.replace(fixed.find(null_payload), null_payload.size(),
                        "\"payload\":\"" + base64_encode(c.payload) + "\"");
        }
        EXPECT_NE(fixed, java.data) << "no documented difference here";
        EXPECT_EQ(ours.data, fixed) << "ours: " << ours.data << "\njava: " << java.data;
        ++flat_differences;
        continue;
      }
      EXPECT_EQ(ours.data, java.data) << "ours: " << ours.data << "\njava: " << java.data
                                      << "\nours hex: " << to_hex(ours.data) << "\njava hex: " << to_hex(java.data);
      ++same;
    }
  }
  const int total = static_cast<int>(cases.size() * std::size(kVariants));
  EXPECT_EQ(same + java_failures + both_fail + flat_differences, total);
  EXPECT_EQ(java_failures, 1 + 4 * 4);
  EXPECT_EQ(both_fail, 5 * 4 + 2);
  EXPECT_GE(key_differences, 7);  // the empty-key case, and random cases that drew the empty key
  std::printf(
      "%d of %d (case, format) pairs byte-identical; %d Java failures we format; %d both fail; "
      "%d flattened records where Java writes raw control characters or null bytes\n",
      same, total, java_failures, both_fail, flat_differences);
}

TEST(FormatsPeer, JavaStringDecodingOfAnyBytes) {
  const auto texts = text_cases();
  for (size_t i = 0; i < texts.size(); ++i) {
    const auto it = answers().find({fmt::format("t{}", i), "TEXT"});
    ASSERT_NE(it, answers().end());
    std::string normalized;
    append_java_normalized(texts[i], normalized);
    EXPECT_EQ(fmt::format("{}\t{}\t{}", to_hex(normalized), java_string_hash(texts[i]), java_length(texts[i])),
              it->second.data)
        << to_hex(texts[i]);
  }
}

// Our number text follows JDK 19 and later (Pulsar 4 images run Java 21): the shortest decimal that rounds to the
// value, the closest of those. The peer JVM may be JDK 17, whose Double/Float.toString sometimes gives more digits
// than needed or not the closest (JDK-4511638): there, its text must denote the same value and be no shorter. With
// PK_PEER_JAVA_HOME pointing at a JDK 19 or later, every value must match.
template <typename T>
void expect_java_number(const std::vector<T>& values, const char* prefix, const char* kind) {
  int older_jdk_longer = 0;
  for (size_t i = 0; i < values.size(); ++i) {
    const auto it = answers().find({fmt::format("{}{}", prefix, i), kind});
    ASSERT_NE(it, answers().end());
    const std::string& java = it->second.data;
    std::string ours;
    if constexpr (std::is_same_v<T, float>) {
      append_java_float(values[i], ours);
    } else {
      append_java_double(values[i], ours);
    }
    if (ours == java) continue;
    ++older_jdk_longer;
    T back{};
    std::string plain = java;
    if (const auto e = plain.find('E'); e != std::string::npos) plain[e] = 'e';
    std::from_chars(plain.data(), plain.data() + plain.size(), back);
    EXPECT_EQ(back, values[i]) << "ours " << ours << " java " << java;
    EXPECT_LE(ours.size(), java.size()) << "ours " << ours << " java " << java;
    EXPECT_EQ(ours.find('E') == std::string::npos, java.find('E') == std::string::npos) << ours << " " << java;
  }
  std::printf("%s: %zu values, %d where the peer JVM's text is longer (JDK < 19)\n", kind, values.size(),
              older_jdk_longer);
}

TEST(FormatsPeer, DoubleToString) {
  expect_java_number(double_cases(), "d", "DOUBLE");
}

TEST(FormatsPeer, FloatToString) {
  expect_java_number(float_cases(), "f", "FLOAT");
}

}  // namespace
}  // namespace pk::formats
