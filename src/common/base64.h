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

// Decodes the leading whole quads of `in` that hold only alphabet characters (no padding), stopping before the
// first quad that holds anything else or at fewer than 4 characters left; writes 3 bytes per quad to `out` and
// returns the characters consumed (a multiple of 4). For a string whose end is not known yet: a scanner decodes
// while it looks for the end, then decodes what is left (the padded last quad, at most) with base64_decode_to.
size_t base64_decode_leading_quads(std::string_view in, char* out);
// Decodes the last quad of a base64 text, which may end in "=" or "==": returns the bytes written to `out` (1 to 3),
// or -1 when the quad is not valid (a character outside the alphabet, misplaced padding, bits set below it).
int base64_decode_final_quad(const char* quad, char* out);

}  // namespace pk
