#pragma once
// Reads a JSON payload the way the Java connector's Pulsar client does for a JSON schema: Jackson reads the bytes
// (UTF-8; a start or middle byte that UTF-8 does not allow is an error, overlong forms and encoded surrogates are
// read as the characters they spell, a lone surrogate is later written as '?') into a tree: strict JSON (no comments,
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

// Parses `bytes` into `tree`; returns the root node.
Result<uint32_t> parse_json_value(std::string_view bytes, ValueTree& tree);

}  // namespace pk::formats
