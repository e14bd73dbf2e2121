#pragma once
// Finding the first byte of a class in [p, end): 16 bytes at a time with SSE2 (every x86-64 has it), 8 at a time
// with SWAR elsewhere and for the tail. Inline, since the strings a record carries are short enough for a call to
// cost more than the search. Each returns `end` when no byte of the class is there.

#include <cstdint>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "common/swar.h"

namespace pk::byte_scan {

namespace detail {

#if defined(__SSE2__)
// Runs 16-byte chunks through `mask_of` (a chunk -> movemask of the bytes that match) while 16 bytes are left.
template <typename MaskOf>
[[gnu::always_inline]] inline const char* sse2_first(const char*& p, const char* end, MaskOf mask_of) {
  for (; end - p >= 16; p += 16) {
    const int mask = mask_of(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
    if (mask != 0) return p + __builtin_ctz(static_cast<unsigned>(mask));
  }
  return nullptr;
}
#endif

// Eight bytes at a time while 8 are left, then byte by byte; `word_has` tests a word, `is` a byte.
template <typename WordHas, typename Is>
[[gnu::always_inline]] inline const char* swar_first(const char* p, const char* end, WordHas word_has, Is is) {
  while (end - p >= 8 && !word_has(swar::load8(p))) p += 8;
  while (p != end && !is(static_cast<unsigned char>(*p))) ++p;
  return p;
}

}  // namespace detail

// The first '"'.
[[gnu::always_inline]] inline const char* find_quote(const char* p, const char* end) {
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"');
  if (const char* hit = detail::sse2_first(
          p,
          end, [&](__m128i v) __attribute__((always_inline)) { return _mm_movemask_epi8(_mm_cmpeq_epi8(v, quote)); })) {
    return hit;
  }
#endif
  return detail::swar_first(
      p, end, [](uint64_t w) __attribute__((always_inline)) { return swar::has_byte(w, '"'); },
      [](unsigned char c) __attribute__((always_inline)) { return c == '"'; });
}

// The first byte that is not an ASCII digit.
[[gnu::always_inline]] inline const char* find_non_digit(const char* p, const char* end) {
#if defined(__SSE2__)
  // A byte is a digit when it lies in ['0', '9']: shifted down by '0' with wrap-around, it is at most 9.
  const __m128i zero = _mm_set1_epi8('0');
  const __m128i nine = _mm_set1_epi8(9);
  if (const char* hit = detail::sse2_first(
          p, end, [&](__m128i v) __attribute__((always_inline)) {
            const __m128i shifted = _mm_sub_epi8(v, zero);
            const __m128i digit = _mm_cmpeq_epi8(_mm_min_epu8(shifted, nine), shifted);
            return _mm_movemask_epi8(digit) ^ 0xFFFF;
          })) {
    return hit;
  }
#endif
  return detail::swar_first(
      p, end, [](uint64_t w) __attribute__((always_inline)) {
        return swar::has_byte_below(w, '0') || swar::has_byte_above(w, '9');
      },
      [](unsigned char c) __attribute__((always_inline)) { return c < '0' || c > '9'; });
}

// The first byte that is not printable ASCII JSON string content: a '"', a backslash, a control character, DEL or
// any byte of 0x80 and above. In a JSON string without escapes or non-ASCII text, that is its closing quote.
[[gnu::always_inline]] inline const char* find_non_plain_ascii(const char* p, const char* end) {
#if defined(__SSE2__)
  // Signed, bytes of 0x80 and above are negative, so one "less than 0x20" catches them with the control bytes.
  const __m128i space = _mm_set1_epi8(0x20);
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  const __m128i del = _mm_set1_epi8(0x7f);
  if (const char* hit = detail::sse2_first(
          p, end, [&](__m128i v) __attribute__((always_inline)) {
            const __m128i special = _mm_or_si128(_mm_or_si128(_mm_cmplt_epi8(v, space), _mm_cmpeq_epi8(v, quote)),
                                                 _mm_or_si128(_mm_cmpeq_epi8(v, backslash), _mm_cmpeq_epi8(v, del)));
            return _mm_movemask_epi8(special);
          })) {
    return hit;
  }
#endif
  return detail::swar_first(
      p, end, [](uint64_t w) __attribute__((always_inline)) {
        return swar::has_byte_below(w, 0x20) || swar::has_byte_above(w, 0x7e) || swar::has_byte(w, '"') ||
               swar::has_byte(w, '\\');
      },
      [](unsigned char c) __attribute__((always_inline)) { return c < 0x20 || c > 0x7e || c == '"' || c == '\\'; });
}

}  // namespace pk::byte_scan
