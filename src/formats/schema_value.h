#pragma once
// Decodes a message value by its topic schema into the value the Java connector serializes for
// FULL_MESSAGE_IN_JSON_EXPAND_VALUE (docs/formats.md): no schema or BYTES -> bytes; STRING -> text; BOOLEAN and
// the INT types -> numbers (big-endian, sizes checked as Pulsar's schemas do); FLOAT/DOUBLE -> Java floating
// point; DATE/TIMESTAMP -> epoch milliseconds; TIME -> "HH:mm:ss" (UTC); INSTANT and LOCAL_* -> ISO-8601 text
// (Java cannot write those: it has no java.time module); JSON -> the JSON tree; AVRO -> avro_decode.h;
// KEY_VALUE -> {"value": ..., "key": ...} (the HashMap order of those two keys), INLINE or SEPARATED.

#include <string>
#include <string_view>

#include "common/result.h"
#include "formats/avro_decode.h"
#include "formats/input_message.h"
#include "formats/topic_schema.h"
#include "formats/value_tree.h"

namespace pk::formats {

struct SchemaValueScratch {
  avro::DecodeScratch avro;
  std::string text;
  std::string key_bytes;
};

// The value of `message` (its payload, and for a SEPARATED KEY_VALUE schema its key) as a node of `tree`.
Result<uint32_t> decode_schema_value(const InputMessage& message, ValueTree& tree, SchemaValueScratch& scratch);

}  // namespace pk::formats
