#pragma once
// Eight bytes at a time in a uint64_t ("SIMD within a register"): the byte tests the text scanners share.

#include <cstdint>
#include <cstring>

namespace pk::swar {

constexpr uint64_t kOnes = 0x0101010101010101ull;
constexpr uint64_t kHighBits = 0x8080808080808080ull;

// Eight bytes from `p` (any alignment).
inline uint64_t load8(const char* p) {
  uint64_t w;
  std::memcpy(&w, p, 8);
  return w;
}

// `c` in every byte.
constexpr uint64_t broadcast(unsigned char c) {
  return kOnes * c;
}

// The high bit of each zero byte of `w` set; exact for the lowest zero byte (bytes above it may be marked too),
// so it answers "is any byte zero" and "where is the first one", nothing more. 0 when no byte is zero.
constexpr uint64_t zero_bytes(uint64_t w) {
  return (w - kOnes) & ~w & kHighBits;
}

// Whether any byte of `w` equals `c`.
constexpr bool has_byte(uint64_t w, unsigned char c) {
  return zero_bytes(w ^ broadcast(c)) != 0;
}

// Whether any byte of `w` is below `n` (n <= 128).
constexpr bool has_byte_below(uint64_t w, unsigned char n) {
  return ((w - broadcast(n)) & ~w & kHighBits) != 0;
}

// Whether any byte of `w` is above `n` (n <= 127).
constexpr bool has_byte_above(uint64_t w, unsigned char n) {
  return (((w + broadcast(127 - n)) | w) & kHighBits) != 0;
}

}  // namespace pk::swar
