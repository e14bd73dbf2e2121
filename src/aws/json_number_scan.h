#pragma once
// A JSON number read in one pass: its grammar checked and, in the same pass, its decimal significand and
// exponent collected, so that a timestamp of epoch seconds (the AWS JSON protocol's form) becomes exact
// milliseconds without a second read of its characters. For the Kinesis GetRecords / SubscribeToShard scanner;
// inline, since every record has a timestamp.

#include <cstdint>
#include <optional>
#include <string_view>

#include "common/swar.h"

namespace pk::aws {

struct JsonNumber {
  std::string_view text;
  bool integral = true;  // no fraction and no exponent
  bool negative = false;
  // value = significand * 10^exponent, when `fits`: at most 18 significant digits and |exponent| <= 1000.
  uint64_t significand = 0;
  int exponent = 0;
  bool fits = true;
};

namespace detail {
inline bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
}  // namespace detail

// Reads a run of digits at `p` into `out`'s significand and returns its end. Eight bytes at a time: a word of eight
// digits is converted whole; a word with n < 8 leading digits is shifted so that they end it, the bytes shifted in
// (zero) counting as leading zeros. Byte by byte within the last 8 bytes of the input.
[[gnu::always_inline]] inline const char* scan_digit_run(const char* p, const char* end, JsonNumber& out, int& digits) {
  static constexpr uint64_t kPowersOf10[] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000};
  const char* start = p;
  while (end - p >= 8) {
    const uint64_t w = swar::load8(p);
    const uint64_t non_digits = swar::non_digit_bytes(w);
    if (non_digits == 0) {
      out.significand = out.significand * kPowersOf10[8] + swar::parse_8_digits(w);
      p += 8;
      continue;
    }
    const int n = __builtin_ctzll(non_digits) / 8;
    if (n != 0) {
      out.significand = out.significand * kPowersOf10[n] + swar::parse_8_digits(w << (64 - 8 * n));
      p += n;
    }
    digits += static_cast<int>(p - start);
    return p;
  }
  for (; p != end && detail::is_digit(*p); ++p)
    out.significand = out.significand * 10 + static_cast<uint64_t>(*p - '0');
  digits += static_cast<int>(p - start);
  return p;
}

// Reads the JSON number -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? at the start of [p, end) into `out`.
// Returns the end of the number, or nullptr when none starts at `p`.
[[gnu::always_inline]] inline const char* scan_json_number(const char* p, const char* end, JsonNumber& out) {
  using detail::is_digit;
  const char* start = p;
  out = JsonNumber{};
  int digits = 0;  // significant digits taken into the significand (a leading zero is not)
  if (p != end && *p == '-') {
    out.negative = true;
    ++p;
  }
  if (p == end || !is_digit(*p)) return nullptr;
  if (*p == '0') {
    ++p;
  } else {
    p = scan_digit_run(p, end, out, digits);
  }
  if (p != end && *p == '.') {
    out.integral = false;
    const char* first = ++p;
    p = scan_digit_run(p, end, out, digits);
    if (p == first) return nullptr;
    out.exponent -= static_cast<int>(p - first);
  }
  if (p != end && (*p == 'e' || *p == 'E')) {
    out.integral = false;
    ++p;
    bool negative_exponent = false;
    if (p != end && (*p == '+' || *p == '-')) negative_exponent = *p++ == '-';
    const char* first = p;
    int e = 0;
    for (; p != end && is_digit(*p); ++p) {
      if (e <= 1000) e = e * 10 + (*p - '0');
    }
    if (p == first) return nullptr;
    if (e > 1000) out.fits = false;
    out.exponent += negative_exponent ? -e : e;
  }
  if (digits > 18) out.fits = false;
  out.text = std::string_view(start, static_cast<size_t>(p - start));
  return p;
}

// The number, taken as epoch seconds, as an exact count of milliseconds, when its decimal value is a whole number
// of them below 2^50 (35,000 years): the AWS form 1.700000000123E9 and plain integers are. For such values the
// general reader's route (parse to double, times 1000, round) gives the same integer, since its error stays far
// below half a millisecond. Anything else: nullopt, and the caller takes that route.
inline std::optional<int64_t> exact_millis(const JsonNumber& n) {
  constexpr uint64_t kLimit = uint64_t{1} << 50;
  if (!n.fits) return std::nullopt;
  uint64_t v = n.significand;
  int scale = n.exponent + 3;  // seconds -> milliseconds
  while (scale < 0 && v != 0 && v % 10 == 0) {
    v /= 10;
    ++scale;
  }
  if (v == 0) return 0;
  if (scale < 0 || scale > 15) return std::nullopt;
  for (; scale > 0; --scale) {
    if (v >= kLimit) return std::nullopt;
    v *= 10;
  }
  if (v >= kLimit) return std::nullopt;
  return n.negative ? -static_cast<int64_t>(v) : static_cast<int64_t>(v);
}

}  // namespace pk::aws
