#pragma once
// JSON string text for the AWS JSON protocol: strings checked to be valid UTF-8 and escaped per RFC 8259. Pure
// functions over bytes, fast enough for the hot request (PutRecords), whose builder sizes its output exactly first
// (inspect_json_string) and then writes into it (write_json_escaped); JsonWriter and the GetRecords scanner use
// them too.

#include <cstddef>
#include <string>
#include <string_view>

#include "common/result.h"

namespace pk::aws {

struct JsonStringInfo {
  size_t escaped_size = 0;  // bytes of the escaped text, without the quotes
  size_t code_points = 0;   // Unicode characters
};

// Checks that `s` is valid UTF-8 (no overlong forms, no surrogates, nothing above U+10FFFF) and measures its
// escaped form. The error (kInvalidArgument) names `what` (when not empty) and the byte offset of the first bad
// sequence.
Result<JsonStringInfo> inspect_json_string(std::string_view s, std::string_view what);

// The length of the well-formed UTF-8 sequence (no overlong forms, no surrogates, nothing above U+10FFFF) that
// starts with the non-ASCII byte s[i]; 0 when there is none. Shared with the GetRecords scanner.
size_t utf8_sequence_length(std::string_view s, size_t i);

// Writes the escaped text of `s` (validated by inspect_json_string) and returns the end of what it wrote.
char* write_json_escaped(std::string_view s, char* out);

}  // namespace pk::aws
