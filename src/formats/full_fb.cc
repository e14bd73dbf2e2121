#include "formats/full_fb.h"

#include "formats/encryption_order.h"
#include "formats/fb_builder.h"
#include "formats/java_string.h"

namespace pk::formats {
namespace {

// Field numbers of message.fbs.
enum MessageField { kMessageEncryptionCtx = 0, kMessageProperties = 1, kMessagePayload = 2 };
enum KeyValueField { kKeyValueKey = 0, kKeyValueValue = 1 };
enum EncryptionKeyField { kEncKeyKey = 0, kEncKeyValue = 1, kEncKeyMetadata = 2 };
enum EncryptionCtxField {
  kCtxKeys = 0,
  kCtxParam = 1,
  kCtxAlgo = 2,
  kCtxCompressionType = 3,
  kCtxUncompressedMessageSize = 4,
  kCtxBatchSize = 5,
  kCtxIsBatchMessage = 6,
};

uint32_t java_string(FbBuilder& fb, std::string_view bytes, std::string& text) {
  if (is_java_clean_utf8(bytes)) return fb.create_string(bytes);
  text.clear();
  append_java_normalized(bytes, text);
  return fb.create_string(text);
}

// KeyValue.createKeyValue(builder, createString(key), createString(value)): the value field is added first.
uint32_t key_value(FbBuilder& fb, std::string_view key, std::string_view value, std::string& text) {
  const uint32_t k = java_string(fb, key, text);
  const uint32_t v = java_string(fb, value, text);
  fb.start_object(2);
  fb.add_offset_field(kKeyValueValue, v);
  fb.add_offset_field(kKeyValueKey, k);
  return fb.end_object();
}

int8_t fb_compression(CompressionType t) {
  switch (t) {
    case CompressionType::kLz4:
      return 1;
    case CompressionType::kZlib:
      return 2;
    default:
      return 0;  // ZSTD and SNAPPY have no value in the schema
  }
}

uint32_t encryption_ctx(FbBuilder& fb, const EncryptionContextView& ctx, FbScratch& s) {
  const auto& keys = encryption_key_order(ctx, s.order);  // s.order.entries; the metadata uses s.order.nested
  s.key_offsets.clear();
  for (const auto& e : keys) {
    const EncryptionKeyView& key = ctx.keys[e.value];
    const uint32_t name = java_string(fb, ctx.keys[e.key].name, s.text);
    const uint32_t value = fb.create_byte_vector(key.value);
    uint32_t metadata = 0;
    if (!key.metadata.empty()) {
      s.offsets.clear();
      for (const auto& m : key_metadata_order(key, s.order)) {
        s.offsets.push_back(key_value(fb, key.metadata[m.key].first, key.metadata[m.value].second, s.text));
      }
      metadata = fb.create_offset_vector(s.offsets.data(), s.offsets.size());
    }
    fb.start_object(3);
    fb.add_offset_field(kEncKeyKey, name);
    fb.add_offset_field(kEncKeyValue, value);
    fb.add_offset_field(kEncKeyMetadata, metadata);
    s.key_offsets.push_back(fb.end_object());
  }
  const uint32_t keys_vector = fb.create_offset_vector(s.key_offsets.data(), s.key_offsets.size());
  const uint32_t param = fb.create_byte_vector(ctx.param);
  const uint32_t algo = ctx.algorithm ? java_string(fb, *ctx.algorithm, s.text) : 0;
  fb.start_object(7);
  fb.add_int_field(kCtxBatchSize, ctx.batch_size.value_or(1), 0);
  fb.add_int_field(kCtxUncompressedMessageSize, static_cast<int32_t>(ctx.uncompressed_size), 0);
  fb.add_offset_field(kCtxAlgo, algo);
  fb.add_offset_field(kCtxParam, param);
  fb.add_offset_field(kCtxKeys, keys_vector);
  fb.add_bool_field(kCtxIsBatchMessage, ctx.batch_size.has_value(), false);
  fb.add_byte_field(kCtxCompressionType, fb_compression(ctx.compression), 0);
  return fb.end_object();
}

// Room for the whole buffer with every alignment pad, so the builder does not grow on the way.
size_t capacity_hint(const InputMessage& m) {
  size_t n = 64 + m.payload.size();
  for (const auto& [k, v] : m.properties) n += k.size() + v.size() + 48;
  if (m.encryption) {
    const auto& ctx = *m.encryption;
    n += 96 + ctx.param.size() + (ctx.algorithm ? ctx.algorithm->size() : 0);
    for (const auto& key : ctx.keys) {
      n += 64 + key.name.size() + key.value.size();
      for (const auto& [k, v] : key.metadata) n += k.size() + v.size() + 48;
    }
  }
  return n;
}

}  // namespace

void append_full_fb(const InputMessage& message, FbScratch& scratch, std::string& out) {
  FbBuilder fb(out, capacity_hint(message));
  uint32_t properties = 0;
  if (!message.properties.empty()) {
    message_property_order(message, scratch.order, scratch.order.entries);
    scratch.offsets.clear();
    for (const auto& e : scratch.order.entries) {
      scratch.offsets.push_back(
          key_value(fb, message.properties[e.key].first, message.properties[e.value].second, scratch.text));
    }
    properties = fb.create_offset_vector(scratch.offsets.data(), scratch.offsets.size());
  }
  const uint32_t encryption = message.encryption ? encryption_ctx(fb, *message.encryption, scratch) : 0;
  const uint32_t payload = fb.create_byte_vector(message.payload);
  fb.start_object(3);
  fb.add_offset_field(kMessagePayload, payload);
  fb.add_offset_field(kMessageEncryptionCtx, encryption);
  fb.add_offset_field(kMessageProperties, properties);
  fb.finish(fb.end_object());
}

}  // namespace pk::formats
