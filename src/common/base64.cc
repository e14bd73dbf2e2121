#include "common/base64.h"

#include <array>
#include <cstring>

#include <fmt/format.h>

namespace pk {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// Two output characters for each 12-bit group: halves the table lookups of the encoder.
struct PairTable {
  std::array<char, 4096 * 2> chars{};
  constexpr PairTable() {
    for (int i = 0; i < 4096; ++i) {
      chars[static_cast<size_t>(2 * i)] = kAlphabet[i >> 6];
      chars[static_cast<size_t>(2 * i + 1)] = kAlphabet[i & 63];
    }
  }
};
constexpr PairTable kPairs;

constexpr uint32_t kInvalid = 0x01000000u;  // above any 24-bit value

// Four tables that hold each character's 6 bits already shifted into place for its position in a quad,
// so that a quad decodes with four lookups and three ORs; any invalid character sets kInvalid.
struct DecodeTables {
  std::array<std::array<uint32_t, 256>, 4> t{};
  constexpr DecodeTables() {
    for (auto& row : t) row.fill(kInvalid);
    for (uint32_t i = 0; i < 64; ++i) {
      const auto c = static_cast<unsigned char>(kAlphabet[i]);
      t[0][c] = i << 18;
      t[1][c] = i << 12;
      t[2][c] = i << 6;
      t[3][c] = i;
    }
  }
};
constexpr DecodeTables kDecode;

inline void encode_triple(const unsigned char* in, char* out) {
  const uint32_t v = (uint32_t{in[0]} << 16) | (uint32_t{in[1]} << 8) | in[2];
  std::memcpy(out, &kPairs.chars[(v >> 12) * 2], 2);
  std::memcpy(out + 2, &kPairs.chars[(v & 0xFFF) * 2], 2);
}

Error bad_char(std::string_view in, size_t pos) {
  const auto c = static_cast<unsigned char>(in[pos]);
  return make_error(ErrorCode::kMalformedInput, fmt::format("base64: invalid character 0x{:02x} at offset {}", c, pos));
}

// Finds the first offending character of a quad that failed to decode.
Error quad_error(std::string_view in, size_t start) {
  for (size_t k = 0; k < 4; ++k) {
    if (kDecode.t[0][static_cast<unsigned char>(in[start + k])] == kInvalid) return bad_char(in, start + k);
  }
  return make_error(ErrorCode::kMalformedInput, fmt::format("base64: bad quad at offset {}", start));
}

}  // namespace

void base64_encode_to(std::string_view in, char* out) {
  const auto* p = reinterpret_cast<const unsigned char*>(in.data());
  size_t n = in.size();
  while (n >= 3) {
    encode_triple(p, out);
    p += 3;
    out += 4;
    n -= 3;
  }
  if (n == 1) {
    out[0] = kAlphabet[p[0] >> 2];
    out[1] = kAlphabet[(p[0] & 3) << 4];
    out[2] = '=';
    out[3] = '=';
  } else if (n == 2) {
    out[0] = kAlphabet[p[0] >> 2];
    out[1] = kAlphabet[((p[0] & 3) << 4) | (p[1] >> 4)];
    out[2] = kAlphabet[(p[1] & 15) << 2];
    out[3] = '=';
  }
}

void base64_append(std::string_view in, std::string& out) {
  const size_t old = out.size();
  out.resize(old + base64_encoded_size(in.size()));
  base64_encode_to(in, out.data() + old);
}

std::string base64_encode(std::string_view in) {
  std::string out;
  base64_append(in, out);
  return out;
}

Result<size_t> base64_decode_to(std::string_view in, char* out) {
  const size_t n = in.size();
  if (n % 4 != 0) {
    return make_error(ErrorCode::kMalformedInput, fmt::format("base64: length {} is not a multiple of 4", n));
  }
  if (n == 0) return size_t{0};
  const size_t last = n - 4;  // the last quad may carry padding
  const size_t decoded = base64_decode_leading_quads(in.substr(0, last), out);
  if (decoded != last) return quad_error(in, decoded);
  const int tail = base64_decode_final_quad(in.data() + last, out + decoded / 4 * 3);
  if (tail < 0) {
    // Not an alphabet character where one belongs, or (the quad being valid otherwise) bits set below the padding.
    const char* c = in.data() + last;
    const size_t pad = c[3] != '=' ? 0 : c[2] == '=' ? 2 : 1;
    for (size_t k = 0; k < 4 - pad; ++k) {
      if (kDecode.t[0][static_cast<unsigned char>(c[k])] == kInvalid) return bad_char(in, last + k);
    }
    return make_error(ErrorCode::kMalformedInput,
                      fmt::format("base64: non-zero bits before padding at offset {}", last));
  }
  return decoded / 4 * 3 + static_cast<size_t>(tail);
}

int base64_decode_final_quad(const char* quad, char* out) {
  const auto* c = reinterpret_cast<const unsigned char*>(quad);
  const int pad = c[3] != '=' ? 0 : c[2] == '=' ? 2 : 1;
  const uint32_t v = kDecode.t[0][c[0]] | kDecode.t[1][c[1]] | (pad >= 2 ? 0 : kDecode.t[2][c[2]]) |
                     (pad >= 1 ? 0 : kDecode.t[3][c[3]]);
  if (v >= kInvalid) return -1;
  // Non-canonical encodings (bits set below the padding) are rejected so that decode(encode(x)) is a bijection.
  if ((pad == 1 && (v & 0xFF) != 0) || (pad == 2 && (v & 0xFFFF) != 0)) return -1;
  out[0] = static_cast<char>(v >> 16);
  if (pad < 2) out[1] = static_cast<char>(v >> 8);
  if (pad < 1) out[2] = static_cast<char>(v);
  return 3 - pad;
}

size_t base64_decode_leading_quads(std::string_view in, char* out) {
  const auto* s = reinterpret_cast<const unsigned char*>(in.data());
  const size_t quads = in.size() / 4;
  size_t q = 0;
  for (; q < quads; ++q) {
    const unsigned char* c = s + q * 4;
    const uint32_t v = kDecode.t[0][c[0]] | kDecode.t[1][c[1]] | kDecode.t[2][c[2]] | kDecode.t[3][c[3]];
    if (v >= kInvalid) break;
    out[0] = static_cast<char>(v >> 16);
    out[1] = static_cast<char>(v >> 8);
    out[2] = static_cast<char>(v);
    out += 3;
  }
  return q * 4;
}

Status base64_decode_append(std::string_view in, std::string& out) {
  const size_t old = out.size();
  out.resize(old + base64_decoded_max_size(in.size()));
  auto written = base64_decode_to(in, out.data() + old);
  if (!written.ok()) {
    out.resize(old);
    return std::move(written).error();
  }
  out.resize(old + *written);
  return ok_status();
}

Result<std::string> base64_decode(std::string_view in) {
  std::string out;
  PK_TRY(base64_decode_append(in, out));
  return out;
}

}  // namespace pk
