#pragma once
// Reads a JSON payload the way the Java connector's Pulsar client does for a JSON schema: the bytes are decoded
// as UTF-8 with replacement (new String(bytes, UTF_8)) and read by Jackson into a tree: strict JSON (no comments,
// no NaN, no leading zeros), at most 1000 levels deep, duplicate keys keep their first place and last value,
// integers kept exact, other numbers as BigDecimal with trailing zeros stripped (USE_BIG_DECIMAL_FOR_FLOATS), the
// first value only (anything after it is ignored, except that a top-level number must be followed by whitespace),
// and an empty payload giving a MissingNode. Also reads Avro schema definitions.

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"
#include "formats/value_tree.h"

namespace pk::formats {

inline constexpr int kMaxJsonDepth = 1000;  // Jackson's StreamReadConstraints default

// Parses `bytes` into `tree`; returns the root node. `scratch` holds the normalized text of bytes that are not
// valid UTF-8.
Result<uint32_t> parse_json_value(std::string_view bytes, ValueTree& tree, std::string& scratch);

}  // namespace pk::formats
