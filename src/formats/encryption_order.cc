#include "formats/encryption_order.h"

namespace pk::formats {

std::string_view compression_name(CompressionType type) {
  switch (type) {
    case CompressionType::kNone:
      return "NONE";
    case CompressionType::kLz4:
      return "LZ4";
    case CompressionType::kZlib:
      return "ZLIB";
    case CompressionType::kZstd:
      return "ZSTD";
    case CompressionType::kSnappy:
      return "SNAPPY";
  }
  return "NONE";
}

const std::vector<OrderedEntry>& encryption_key_order(const EncryptionContextView& ctx, OrderScratch& scratch) {
  scratch.keys.clear();
  for (const auto& k : ctx.keys) scratch.keys.push_back(k.name);
  put_order(scratch.keys, scratch, scratch.entries);
  return scratch.entries;
}

const std::vector<OrderedEntry>& key_metadata_order(const EncryptionKeyView& key, OrderScratch& scratch) {
  scratch.keys.clear();
  for (const auto& m : key.metadata) scratch.keys.push_back(m.first);
  put_order(scratch.keys, scratch, scratch.nested);
  return scratch.nested;
}

}  // namespace pk::formats
