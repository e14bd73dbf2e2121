#pragma once
// Eight bytes at a time in a uint64_t ("SIMD within a register"): the byte tests the text scanners share.

#include <cstddef>
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

// Whether the `n` bytes at `a` and `b` are equal: a word at a time, the last word overlapping the one before. With
// `n` a constant (a token to match) it compiles to a few loads and compares, where a call to memcmp would not.
[[gnu::always_inline]] inline bool equal(const char* a, const char* b, size_t n) {
  if (n < 8) {
    if (n < 4) {
      for (size_t i = 0; i < n; ++i) {
        if (a[i] != b[i]) return false;
      }
      return true;
    }
    uint32_t x;
    uint32_t y;
    uint32_t x_last;
    uint32_t y_last;
    std::memcpy(&x, a, 4);
    std::memcpy(&y, b, 4);
    std::memcpy(&x_last, a + n - 4, 4);
    std::memcpy(&y_last, b + n - 4, 4);
    return ((x ^ y) | (x_last ^ y_last)) == 0;
  }
  uint64_t diff = 0;
  size_t i = 0;
  for (; i + 8 < n; i += 8) diff |= load8(a + i) ^ load8(b + i);
  diff |= load8(a + n - 8) ^ load8(b + n - 8);
  return diff == 0;
}

// The high bit of each byte of `w` that is not an ASCII digit; 0 when all eight are digits. A digit is 0x30..0x39:
// its high nibble is 3, and adding 6 leaves the high nibble 3 (a carry out of a non-digit byte only reaches a
// byte above it, whose own verdict it can change from digit to non-digit: the lowest non-digit is always exact).
constexpr uint64_t non_digit_bytes(uint64_t w) {
  const uint64_t t = ((w & 0xF0F0F0F0F0F0F0F0ull) | (((w + 0x0606060606060606ull) & 0xF0F0F0F0F0F0F0F0ull) >> 4)) ^
                     0x3333333333333333ull;
  // A byte of t is zero exactly when that byte of w is a digit; mark the others without carries between bytes.
  return (((t & 0x7F7F7F7F7F7F7F7Full) + 0x7F7F7F7F7F7F7F7Full) | t) & kHighBits;
}

// The value of the 8 ASCII digits of `w` (first digit in the lowest byte, as loaded from memory on a little-endian
// machine), by pairing: 8 digits -> 4 two-digit values -> 2 four-digit values -> 1.
constexpr uint32_t parse_8_digits(uint64_t w) {
  w = (w & 0x0F0F0F0F0F0F0F0Full) * (10 * 256 + 1) >> 8;
  w = (w & 0x00FF00FF00FF00FFull) * (100 * 65536 + 1) >> 16;
  return static_cast<uint32_t>((w & 0x0000FFFF0000FFFFull) * (10000 * 4294967296ull + 1) >> 32);
}

}  // namespace pk::swar
