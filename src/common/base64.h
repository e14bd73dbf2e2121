#pragma once
// Standard base64 (RFC 4648 section 4, alphabet A-Z a-z 0-9 + /, '=' padding), the form AWS JSON
// protocols use for blobs and the JSON envelope uses for payloads. Pure functions over bytes.
// Decoding is strict: it rejects characters outside the alphabet, bad padding and bad lengths, and names
// the offset of the first bad character.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace pk {

constexpr size_t base64_encoded_size(size_t n) {
  return (n + 2) / 3 * 4;
}
// Upper bound of the decoded size of `n` base64 characters.
constexpr size_t base64_decoded_max_size(size_t n) {
  return n / 4 * 3 + 3;
}

// Writes exactly base64_encoded_size(in.size()) characters to `out`.
void base64_encode_to(std::string_view in, char* out);
// Appends the encoding of `in` to `out`.
void base64_append(std::string_view in, std::string& out);
std::string base64_encode(std::string_view in);

// Decodes into `out` (room for base64_decoded_max_size(in.size()) bytes); returns the bytes written.
Result<size_t> base64_decode_to(std::string_view in, char* out);
Result<std::string> base64_decode(std::string_view in);
// Appends the decoded bytes to `out`; on error `out` is left as it was.
Status base64_decode_append(std::string_view in, std::string& out);

}  // namespace pk
