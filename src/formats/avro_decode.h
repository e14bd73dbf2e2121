#pragma once
// Decodes Avro binary data by a compiled schema into the value the Java connector's JsonConverter builds from the
// GenericRecord the Pulsar client reads (docs/formats.md): records field by field, enums as their symbol,
// bytes and fixed as binary (written as base64), maps in the order of the HashMap the Avro reader fills (keys
// hashed as org.apache.avro.util.Utf8, or as String when the map has "avro.java.string": "String"), a union by
// the first non-null branch of its schema (as Java does: a value of another branch is written as that branch's
// Java toString when the first branch is a string or enum), logical types as their underlying value except
// decimal, written as its exact number (Java fails there). Trailing bytes are ignored, as by the Java reader.

#include <string_view>
#include <vector>

#include "common/result.h"
#include "formats/avro_schema.h"
#include "formats/java_map_order.h"
#include "formats/value_tree.h"

namespace pk::formats::avro {

inline constexpr int kMaxDecodeDepth = 500;

// Reusable state of decode(): scratch for map ordering (one per encoder).
struct DecodeScratch {
  MapOrderScratch map;
  std::vector<std::string_view> keys;  // raw map keys of the maps being decoded (a stack)
  std::vector<uint32_t> values;
  std::vector<OrderedEntry> order;
  std::string text;
};

// Decodes one datum of `schema` from the front of `bytes` into `tree`; returns the value node.
Result<uint32_t> decode(const Schema& schema, std::string_view bytes, ValueTree& tree, DecodeScratch& scratch);

}  // namespace pk::formats::avro
