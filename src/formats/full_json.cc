#include "formats/full_json.h"

#include <charconv>

#include "common/base64.h"
#include "formats/encryption_order.h"
#include "formats/json_text.h"

namespace pk::formats {
namespace {

void append_base64_string(std::string_view bytes, std::string& out) {
  out.push_back('"');
  base64_append(bytes, out);
  out.push_back('"');
}

void append_encryption(const EncryptionContextView& ctx, OrderScratch& scratch, std::string& out) {
  out.append(",\"encryptionCtx\":{\"keysMapBase64\":{");
  const auto& keys = encryption_key_order(ctx, scratch);
  bool first = true;
  for (const auto& e : keys) {
    if (!first) out.push_back(',');
    first = false;
    append_gson_string(ctx.keys[e.key].name, out);
    out.push_back(':');
    append_base64_string(ctx.keys[e.value].value, out);
  }
  out.append("},\"keysMetadataMap\":{");
  first = true;
  for (const auto& e : keys) {
    const auto& key = ctx.keys[e.value];
    if (key.metadata.empty()) continue;
    if (!first) out.push_back(',');
    first = false;
    append_gson_string(ctx.keys[e.key].name, out);
    out.append(":{");
    bool first_meta = true;
    for (const auto& m : key_metadata_order(key, scratch)) {
      if (!first_meta) out.push_back(',');
      first_meta = false;
      append_gson_string(key.metadata[m.key].first, out);
      out.push_back(':');
      append_gson_string(key.metadata[m.value].second, out);
    }
    out.push_back('}');
  }
  out.append("},\"encParamBase64\":");
  append_base64_string(ctx.param, out);
  out.append(",\"algorithm\":");
  if (ctx.algorithm) {
    append_gson_string(*ctx.algorithm, out);
  } else {
    out.append("null");
  }
  out.append(",\"compressionType\":\"");
  out.append(compression_name(ctx.compression));
  out.append("\",\"uncompressedMessageSize\":");
  append_java_long(static_cast<int32_t>(ctx.uncompressed_size), out);
  if (ctx.batch_size) {
    out.append(",\"batchSize\":");
    append_java_long(*ctx.batch_size, out);
  }
  out.push_back('}');
}

}  // namespace

void append_full_json(const InputMessage& message, OrderScratch& scratch, std::string& out) {
  out.reserve(out.size() + 40 + base64_encoded_size(message.payload.size()) + message.properties.size() * 16);
  out.append("{\"payloadBase64\":");
  append_base64_string(message.payload, out);
  out.append(",\"properties\":{");
  message_property_order(message, scratch, scratch.entries);
  bool first = true;
  for (const auto& e : scratch.entries) {
    if (!first) out.push_back(',');
    first = false;
    append_gson_string(message.properties[e.key].first, out);
    out.push_back(':');
    append_gson_string(message.properties[e.value].second, out);
  }
  out.push_back('}');
  if (message.encryption) append_encryption(*message.encryption, scratch, out);
  out.push_back('}');
}

}  // namespace pk::formats
