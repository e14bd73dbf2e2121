#pragma once
// The encryption context's maps in the Java client's order: keys by name and each key's metadata are HashMaps
// filled by putIfAbsent in metadata order (Collectors.toMap without a merge function; Java throws on a duplicate
// name, we keep the last value).

#include <string_view>
#include <vector>

#include "formats/input_message.h"
#include "formats/property_order.h"

namespace pk::formats {

// "NONE", "LZ4", "ZLIB", "ZSTD", "SNAPPY" (CompressionType.name()).
std::string_view compression_name(CompressionType type);

// The keys of `ctx` in iteration order, into scratch.entries (indexes into ctx.keys).
const std::vector<OrderedEntry>& encryption_key_order(const EncryptionContextView& ctx, OrderScratch& scratch);

// The metadata of one key in iteration order, into scratch.nested (indexes into key.metadata).
const std::vector<OrderedEntry>& key_metadata_order(const EncryptionKeyView& key, OrderScratch& scratch);

}  // namespace pk::formats
