#include "formats/java_string.h"

#include <cstring>

namespace pk::formats {
namespace {

constexpr char16_t kReplacement = 0xFFFD;

inline bool not_continuation(int b) {
  return (b & 0xc0) != 0x80;
}

// The JDK's UTF-8 to UTF-16 decoder with replacement (java.lang.String's decodeUTF8_UTF16; also what
// CharsetDecoder with REPLACE produces): bytes are signed as in Java. `emit` receives each code unit.
template <typename Emit>
void decode_units(std::string_view in, Emit&& emit) {
  const auto* src = reinterpret_cast<const signed char*>(in.data());
  const int sl = static_cast<int>(in.size());
  int sp = 0;
  auto malformed3 = [&](int at) {
    const int b1 = src[at];
    const int b2 = src[at + 1];
    return ((b1 == static_cast<signed char>(0xe0) && (b2 & 0xe0) == 0x80) || not_continuation(b2)) ? 1 : 2;
  };
  auto malformed4 = [&](int at) {
    const int b1 = src[at] & 0xff;
    const int b2 = src[at + 1] & 0xff;
    if (b1 > 0xf4 || (b1 == 0xf0 && (b2 < 0x90 || b2 > 0xbf)) || (b1 == 0xf4 && (b2 & 0xf0) != 0x80) ||
        not_continuation(b2)) {
      return 1;
    }
    return not_continuation(src[at + 2]) ? 2 : 3;
  };
  while (sp < sl) {
    const int b1 = src[sp++];
    if (b1 >= 0) {
      emit(static_cast<char16_t>(b1));
    } else if ((b1 >> 5) == -2 && (b1 & 0x1e) != 0) {
      if (sp < sl) {
        const int b2 = src[sp++];
        if (not_continuation(b2)) {
          emit(kReplacement);
          --sp;
        } else {
          emit(static_cast<char16_t>(((b1 & 0x1f) << 6) | (b2 & 0x3f)));
        }
        continue;
      }
      emit(kReplacement);
      break;
    } else if ((b1 >> 4) == -2) {
      if (sp + 1 < sl) {
        const int b2 = src[sp++];
        const int b3 = src[sp++];
        const bool bad = (b1 == static_cast<signed char>(0xe0) && (b2 & 0xe0) == 0x80) || not_continuation(b2) ||
                         not_continuation(b3);
        if (bad) {
          emit(kReplacement);
          sp -= 3;
          sp += malformed3(sp);
        } else {
          const auto c = static_cast<char16_t>(((b1 & 0x0f) << 12) | ((b2 & 0x3f) << 6) | (b3 & 0x3f));
          emit(c >= 0xD800 && c <= 0xDFFF ? kReplacement : c);
        }
        continue;
      }
      if (sp < sl) {
        const int b2 = src[sp];
        if ((b1 == static_cast<signed char>(0xe0) && (b2 & 0xe0) == 0x80) || not_continuation(b2)) {
          emit(kReplacement);
          continue;
        }
      }
      emit(kReplacement);
      break;
    } else if ((b1 >> 3) == -2) {
      if (sp + 2 < sl) {
        const int b2 = src[sp++];
        const int b3 = src[sp++];
        const int b4 = src[sp++];
        const int uc = ((b1 & 0x07) << 18) | ((b2 & 0x3f) << 12) | ((b3 & 0x3f) << 6) | (b4 & 0x3f);
        if (not_continuation(b2) || not_continuation(b3) || not_continuation(b4) || uc < 0x10000 || uc > 0x10FFFF) {
          emit(kReplacement);
          sp -= 4;
          sp += malformed4(sp);
        } else {
          emit(static_cast<char16_t>(0xD800 + ((uc - 0x10000) >> 10)));
          emit(static_cast<char16_t>(0xDC00 + ((uc - 0x10000) & 0x3ff)));
        }
        continue;
      }
      const int u1 = b1 & 0xff;
      if (u1 > 0xf4) {
        emit(kReplacement);
        continue;
      }
      if (sp < sl) {
        const int b2 = src[sp] & 0xff;
        if ((u1 == 0xf0 && (b2 < 0x90 || b2 > 0xbf)) || (u1 == 0xf4 && (b2 & 0xf0) != 0x80) || not_continuation(b2)) {
          emit(kReplacement);
          continue;
        }
      }
      ++sp;
      emit(kReplacement);
      if (sp < sl && not_continuation(src[sp])) continue;
      break;
    } else {
      emit(kReplacement);
    }
  }
}

// Length of the well-formed UTF-8 sequence at `p` (1-4), or 0 when it is not one Java accepts unchanged.
inline int clean_sequence_length(const unsigned char* p, const unsigned char* end) {
  const unsigned c = p[0];
  if (c < 0x80) return 1;
  const auto left = end - p;
  if (c >= 0xC2 && c <= 0xDF) return (left >= 2 && (p[1] & 0xC0) == 0x80) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (left < 3 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80) return 0;
    if (c == 0xE0 && p[1] < 0xA0) return 0;   // overlong
    if (c == 0xED && p[1] >= 0xA0) return 0;  // surrogate
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (left < 4 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 || (p[3] & 0xC0) != 0x80) return 0;
    if (c == 0xF0 && p[1] < 0x90) return 0;   // overlong
    if (c == 0xF4 && p[1] >= 0x90) return 0;  // above U+10FFFF
    return 4;
  }
  return 0;
}

inline uint64_t load8(const unsigned char* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

// Code point of a clean sequence of length n at p.
inline uint32_t code_point(const unsigned char* p, int n) {
  switch (n) {
    case 1:
      return p[0];
    case 2:
      return ((p[0] & 0x1Fu) << 6) | (p[1] & 0x3Fu);
    case 3:
      return ((p[0] & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu);
    default:
      return ((p[0] & 0x07u) << 18) | ((p[1] & 0x3Fu) << 12) | ((p[2] & 0x3Fu) << 6) | (p[3] & 0x3Fu);
  }
}

// Sort key of a code point in UTF-16 code unit order: a supplementary character compares by its surrogates.
inline uint32_t utf16_order_key(uint32_t cp) {
  if (cp < 0x10000) return cp << 16;
  const uint32_t v = cp - 0x10000;
  return ((0xD800 + (v >> 10)) << 16) | (0xDC00 + (v & 0x3FF));
}

}  // namespace

int clean_utf8_sequence_length(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  return clean_sequence_length(p, p + s.size());
}

bool is_java_clean_utf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  while (p < end) {
    while (end - p >= 8 && (load8(p) & 0x8080808080808080ull) == 0) p += 8;
    if (p == end) break;
    if (*p < 0x80) {
      ++p;
      continue;
    }
    const int n = clean_sequence_length(p, end);
    if (n == 0) return false;
    p += n;
  }
  return true;
}

void java_decode_utf8(std::string_view bytes, std::u16string& out) {
  decode_units(bytes, [&](char16_t u) { out.push_back(u); });
}

void java_encode_utf8(std::u16string_view units, std::string& out) {
  for (size_t i = 0; i < units.size(); ++i) {
    uint32_t c = units[i];
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
    } else if (c < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (c >> 6)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else if (c >= 0xD800 && c <= 0xDFFF) {
      if (c <= 0xDBFF && i + 1 < units.size() && units[i + 1] >= 0xDC00 && units[i + 1] <= 0xDFFF) {
        const uint32_t cp = 0x10000 + ((c - 0xD800) << 10) + (units[i + 1] - 0xDC00);
        ++i;
        out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
      } else {
        out.push_back('?');
      }
    } else {
      out.push_back(static_cast<char>(0xE0 | (c >> 12)));
      out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
  }
}

void append_java_normalized(std::string_view bytes, std::string& out) {
  if (is_java_clean_utf8(bytes)) {
    out.append(bytes);
    return;
  }
  // Decoding never yields a lone surrogate, so re-encoding unit by unit is exact: pairs are re-joined below.
  std::u16string units;
  java_decode_utf8(bytes, units);
  java_encode_utf8(units, out);
}

int32_t java_string_hash(std::string_view bytes) {
  uint32_t h = 0;
  size_t i = 0;
  for (; i < bytes.size() && static_cast<unsigned char>(bytes[i]) < 0x80; ++i) {
    h = 31 * h + static_cast<unsigned char>(bytes[i]);
  }
  // An ASCII byte ends any sequence, so the rest decodes on its own.
  decode_units(bytes.substr(i), [&](char16_t u) { h = 31 * h + u; });
  return static_cast<int32_t>(h);
}

int32_t avro_utf8_hash(std::string_view bytes) {
  uint32_t h = 0;
  for (char c : bytes) h = 31 * h + static_cast<uint32_t>(static_cast<int32_t>(static_cast<signed char>(c)));
  return static_cast<int32_t>(h);
}

int java_compare(std::string_view a, std::string_view b) {
  if (is_java_clean_utf8(a) && is_java_clean_utf8(b)) {
    const auto* pa = reinterpret_cast<const unsigned char*>(a.data());
    const auto* ea = pa + a.size();
    const auto* pb = reinterpret_cast<const unsigned char*>(b.data());
    const auto* eb = pb + b.size();
    while (pa < ea && pb < eb) {
      if (*pa < 0x80 && *pb < 0x80) {
        if (*pa != *pb) return *pa < *pb ? -1 : 1;
        ++pa;
        ++pb;
        continue;
      }
      const int na = clean_sequence_length(pa, ea);
      const int nb = clean_sequence_length(pb, eb);
      const uint32_t ka = utf16_order_key(code_point(pa, na));
      const uint32_t kb = utf16_order_key(code_point(pb, nb));
      if (ka != kb) {
        // Differing first units decide; equal first units (same high surrogate) fall to the second unit.
        return ka < kb ? -1 : 1;
      }
      pa += na;
      pb += nb;
    }
    if (pa == ea && pb == eb) return 0;
    return pa == ea ? -1 : 1;
  }
  std::u16string ua;
  std::u16string ub;
  java_decode_utf8(a, ua);
  java_decode_utf8(b, ub);
  const int c = ua.compare(ub);
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

size_t java_length(std::string_view bytes) {
  size_t n = 0;
  decode_units(bytes, [&](char16_t) { ++n; });
  return n;
}

}  // namespace pk::formats
