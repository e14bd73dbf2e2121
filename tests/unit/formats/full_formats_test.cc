// FULL_MESSAGE_IN_JSON and FULL_MESSAGE_IN_FB on golden bytes derived by hand from docs/formats.md (map orders
// from the String hash codes given in the comments), and FB output read back by the flatc-generated C++ reader.
#include <string>
#include <vector>

#include <flatbuffers/flatbuffers.h>
#include <gtest/gtest.h>

#include "formats/full_fb.h"
#include "formats/full_json.h"
#include "formats/message_generated.h"
#include "support/hex.h"

namespace pk::formats {
namespace {

namespace fbs = org::apache::pulsar::io::kinesis::fbs;

std::string json_of(const InputMessage& m) {
  OrderScratch scratch;
  std::string out = "prefix:";
  append_full_json(m, scratch, out);
  EXPECT_EQ(out.substr(0, 7), "prefix:");  // appends, never rewrites
  return out.substr(7);
}

std::string fb_of(const InputMessage& m) {
  FbScratch scratch;
  std::string out = "xy";
  append_full_fb(m, scratch, out);
  EXPECT_EQ(out.substr(0, 2), "xy");
  return out.substr(2);
}

const fbs::Message* read_fb(const std::string& bytes) {
  flatbuffers::Verifier verifier(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  EXPECT_TRUE(fbs::VerifyMessageBuffer(verifier));
  return fbs::GetMessage(bytes.data());
}

std::string str(const flatbuffers::String* s) {
  return s ? s->str() : "<absent>";
}
std::string bytes(const flatbuffers::Vector<int8_t>* v) {
  return v ? std::string(reinterpret_cast<const char*>(v->data()), v->size()) : "<absent>";
}

// "a" hashes to 97 (bucket 1 of 16), "b<>" to 96100 (spread: 96101, bucket 5).
TEST(FullJson, PayloadAndPropertiesWithGsonEscaping) {
  const std::vector<Property> props = {{"b<>", "x\x01\"\\\xe2\x80\xa8"}, {"a", "1"}};
  InputMessage m;
  m.payload = "hello";
  m.properties = props;
  EXPECT_EQ(json_of(m), R"({"payloadBase64":"aGVsbG8=","properties":{"a":"1","b<>":"x\u0001\"\\\u2028"}})");
}

TEST(FullJson, PropertiesAreAlwaysPresent) {
  const std::string payload("\x00\xff", 2);
  InputMessage m;
  m.payload = payload;
  EXPECT_EQ(json_of(m), R"({"payloadBase64":"AP8=","properties":{}})");
}

TEST(FullJson, BatchedMessagesSortTheirProperties) {
  const std::vector<Property> props = {{"b<>", "2"}, {"a", "1"}, {"\xf0\x9f\x98\x80", "3"}, {"\xee\x80\x80", "4"}};
  InputMessage m;
  m.properties = props;
  m.delivered_in_batch = true;
  EXPECT_EQ(json_of(m),
            "{\"payloadBase64\":\"\",\"properties\":{\"a\":\"1\",\"b<>\":\"2\",\"\xf0\x9f\x98\x80\":\"3\","
            "\"\xee\x80\x80\":\"4\"}}");
}

// Key names: "key-a" hashes to 101943411 (bucket 0), "key-b" to 101943412 (bucket 7); key-b's metadata: "ckms"
// 3055630 (bucket 0), "version" 351608024 (bucket 13).
struct EncryptedMessage {
  std::vector<Property> props = {{"p", "v"}};
  std::vector<Property> meta_b = {{"version", "2"}, {"ckms", "c2"}};
  std::vector<EncryptionKeyView> keys = {{"key-b", "\x01\x02\x03", meta_b}, {"key-a", "secret", {}}};
  EncryptionContextView ctx;
  InputMessage m;
  EncryptedMessage() {
    ctx.keys = keys;
    ctx.param = "\x09\x08\x07\x06";
    ctx.algorithm = "RSA-AES/GCM";
    ctx.compression = CompressionType::kLz4;
    ctx.uncompressed_size = 1234;
    ctx.batch_size = 5;
    m.payload = "\xde\xad\xbe\xef";
    m.properties = props;
    m.encryption = &ctx;
  }
};

TEST(FullJson, EncryptionContext) {
  EncryptedMessage e;
  EXPECT_EQ(json_of(e.m),
            R"({"payloadBase64":"3q2+7w==","properties":{"p":"v"},"encryptionCtx":{"keysMapBase64":{"key-a":)"
            R"("c2VjcmV0","key-b":"AQID"},"keysMetadataMap":{"key-b":{"ckms":"c2","version":"2"}},)"
            R"("encParamBase64":"CQgHBg==","algorithm":"RSA-AES/GCM","compressionType":"LZ4",)"
            R"("uncompressedMessageSize":1234,"batchSize":5}})");
}

TEST(FullJson, EncryptionContextWithoutAlgorithmOrBatchSize) {
  EncryptedMessage e;
  e.ctx.algorithm.reset();
  e.ctx.batch_size.reset();
  e.ctx.compression = CompressionType::kZstd;
  e.ctx.uncompressed_size = 3000000000u;  // a Java int: negative
  e.ctx.keys = {};
  EXPECT_EQ(json_of(e.m),
            R"({"payloadBase64":"3q2+7w==","properties":{"p":"v"},"encryptionCtx":{"keysMapBase64":{},)"
            R"("keysMetadataMap":{},"encParamBase64":"CQgHBg==","algorithm":null,"compressionType":"ZSTD",)"
            R"("uncompressedMessageSize":-1294967296}})");
}

// Worked through flatbuffers-java 1.9.0's builder by hand (offsets counted from the end of the buffer):
// payload vector [2]["hi"] padded to 4; Message table with only `payload`: vtable {10, 8, 0, 0, 4}; root offset.
TEST(FullFb, PayloadOnly) {
  InputMessage m;
  m.payload = "hi";
  const std::string fb = fb_of(m);
  EXPECT_EQ(pk::testing::to_hex(fb),
            "10000000"  // root: table at 16
            "0000"      // pad
            "0a00"
            "0800"
            "0000"
            "0000"
            "0400"      // vtable: size 10, table 8, encryptionCtx -, properties -, payload 4
            "0a000000"  // table: vtable at 16 - 10
            "04000000"  // payload -> 24
            "02000000"
            "6869"
            "0000");  // [2] "hi", pad
  const auto* msg = read_fb(fb);
  EXPECT_EQ(bytes(msg->payload()), "hi");
  EXPECT_EQ(msg->properties(), nullptr);
  EXPECT_EQ(msg->encryptionCtx(), nullptr);
}

// One property: strings "a" then "1" (each: length, bytes, zero, padded), the KeyValue table (value added before
// key), the properties vector, the payload, the Message table.
TEST(FullFb, OneProperty) {
  const std::vector<Property> props = {{"a", "1"}};
  InputMessage m;
  m.payload = "hi";
  m.properties = props;
  const std::string fb = fb_of(m);
  EXPECT_EQ(pk::testing::to_hex(fb),
            "10000000"
            "0000"
            "0a00"
            "0c00"
            "0000"
            "0400"
            "0800"  // Message vtable: table 12, properties 4, payload 8
            "0a000000"
            "10000000"
            "04000000"  // Message table: vtable, properties -> 36, payload -> 28
            "02000000"
            "6869"
            "0000"  // payload
            "01000000"
            "0c000000"  // properties vector [1] -> 52
            "0800"
            "0c00"
            "0400"
            "0800"  // KeyValue vtable: size 8, table 12, key 4, value 8
            "08000000"
            "10000000"
            "04000000"  // KeyValue table: vtable, key -> 72, value -> 64
            "01000000"
            "31"
            "0000"
            "00"  // "1"
            "01000000"
            "61"
            "0000"
            "00");  // "a"
  const auto* msg = read_fb(fb);
  ASSERT_NE(msg->properties(), nullptr);
  ASSERT_EQ(msg->properties()->size(), 1u);
  EXPECT_EQ(str(msg->properties()->Get(0)->key()), "a");
  EXPECT_EQ(str(msg->properties()->Get(0)->value()), "1");
}

TEST(FullFb, TablesShareIdenticalVtables) {
  const std::vector<Property> props = {{"a", "1"}, {"b", "22"}, {"c", "333"}};
  InputMessage m;
  m.properties = props;
  const std::string fb = fb_of(m);
  // One KeyValue vtable (08 00 0c 00 04 00 08 00) for three tables.
  const std::string kv_vtable("\x08\x00\x0c\x00\x04\x00\x08\x00", 8);
  size_t count = 0;
  for (size_t at = fb.find(kv_vtable); at != std::string::npos; at = fb.find(kv_vtable, at + 1)) ++count;
  EXPECT_EQ(count, 1u);
  const auto* msg = read_fb(fb);
  ASSERT_EQ(msg->properties()->size(), 3u);
  EXPECT_EQ(str(msg->properties()->Get(1)->key()), "b");
  EXPECT_EQ(str(msg->properties()->Get(2)->value()), "333");
  EXPECT_EQ(bytes(msg->payload()), "");
}

TEST(FullFb, EncryptionContextReadsBack) {
  EncryptedMessage e;
  const std::string fb = fb_of(e.m);
  const auto* msg = read_fb(fb);
  const auto* ctx = msg->encryptionCtx();
  ASSERT_NE(ctx, nullptr);
  ASSERT_EQ(ctx->keys()->size(), 2u);
  EXPECT_EQ(str(ctx->keys()->Get(0)->key()), "key-a");  // HashMap order, as in JSON
  EXPECT_EQ(bytes(ctx->keys()->Get(0)->value()), "secret");
  EXPECT_EQ(ctx->keys()->Get(0)->metadata(), nullptr);  // omitted when empty
  EXPECT_EQ(str(ctx->keys()->Get(1)->key()), "key-b");
  ASSERT_EQ(ctx->keys()->Get(1)->metadata()->size(), 2u);
  EXPECT_EQ(str(ctx->keys()->Get(1)->metadata()->Get(0)->key()), "ckms");
  EXPECT_EQ(bytes(ctx->param()), "\x09\x08\x07\x06");
  EXPECT_EQ(str(ctx->algo()), "RSA-AES/GCM");
  EXPECT_EQ(ctx->compressionType(), fbs::CompressionType_LZ4);
  EXPECT_EQ(ctx->uncompressedMessageSize(), 1234);
  EXPECT_EQ(ctx->batchSize(), 5);
  EXPECT_TRUE(ctx->isBatchMessage());
  EXPECT_EQ(bytes(msg->payload()), "\xde\xad\xbe\xef");
}

TEST(FullFb, MissingAlgorithmAndBatchSize) {
  EncryptedMessage e;
  e.ctx.algorithm.reset();  // the Java sink throws here; we leave `algo` out
  e.ctx.batch_size.reset();
  e.ctx.compression = CompressionType::kSnappy;  // no value in the schema: NONE
  const std::string fb = fb_of(e.m);
  const auto* ctx = read_fb(fb)->encryptionCtx();
  EXPECT_EQ(ctx->algo(), nullptr);
  EXPECT_EQ(ctx->batchSize(), 1);  // batch size or 1
  EXPECT_FALSE(ctx->isBatchMessage());
  EXPECT_EQ(ctx->compressionType(), fbs::CompressionType_NONE);
}

TEST(FullFb, LargePayloadAndManyPropertiesReadBack) {
  std::vector<std::string> storage;
  for (int i = 0; i < 300; ++i)
    storage.push_back("key-" + std::to_string(i) + std::string(static_cast<size_t>(i % 7), 'x'));
  std::vector<Property> props;
  for (const auto& s : storage) props.emplace_back(s, s);
  const std::string payload(100000, 'p');
  InputMessage m;
  m.payload = payload;
  m.properties = props;
  const std::string fb = fb_of(m);
  const auto* msg = read_fb(fb);
  EXPECT_EQ(msg->properties()->size(), 300u);
  EXPECT_EQ(msg->payload()->size(), 100000u);
}

}  // namespace
}  // namespace pk::formats
