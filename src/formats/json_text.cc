#include "formats/json_text.h"

#include <array>
#include <charconv>
#include <cmath>
#include <cstring>

#include "formats/java_string.h"

namespace pk::formats {
namespace {

constexpr char kLowerHex[] = "0123456789abcdef";
constexpr char kUpperHex[] = "0123456789ABCDEF";

// Per byte: 0 = copy, 1 = escape (control, quote, backslash), 2 = maybe U+2028/2029 (0xE2, Gson only).
struct EscapeTable {
  std::array<uint8_t, 256> gson{};
  std::array<uint8_t, 256> jackson{};
  constexpr EscapeTable() {
    for (int c = 0; c < 0x20; ++c) gson[c] = jackson[c] = 1;
    gson['"'] = jackson['"'] = 1;
    gson['\\'] = jackson['\\'] = 1;
    gson[0xE2] = 2;
  }
};
constexpr EscapeTable kEscape;

inline const char* short_escape(unsigned char c) {
  switch (c) {
    case '"':
      return "\\\"";
    case '\\':
      return "\\\\";
    case '\t':
      return "\\t";
    case '\b':
      return "\\b";
    case '\n':
      return "\\n";
    case '\r':
      return "\\r";
    case '\f':
      return "\\f";
    default:
      return nullptr;
  }
}

template <bool kGson>
void append_escaped_clean(std::string_view s, std::string& out) {
  const auto& table = kGson ? kEscape.gson : kEscape.jackson;
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  size_t run = 0;
  for (size_t i = 0; i < n; ++i) {
    const uint8_t kind = table[p[i]];
    if (kind == 0) continue;
    if (kind == 2) {
      if (i + 2 < n && p[i + 1] == 0x80 && (p[i + 2] == 0xA8 || p[i + 2] == 0xA9)) {
        out.append(s.data() + run, i - run);
        out.append(p[i + 2] == 0xA8 ? "\\u2028" : "\\u2029");
        i += 2;
        run = i + 1;
      }
      continue;
    }
    out.append(s.data() + run, i - run);
    run = i + 1;
    if (const char* e = short_escape(p[i])) {
      out.append(e);
    } else {
      const char* hex = kGson ? kLowerHex : kUpperHex;
      const char u[6] = {'\\', 'u', '0', '0', hex[p[i] >> 4], hex[p[i] & 15]};
      out.append(u, 6);
    }
  }
  out.append(s.data() + run, n - run);
}

template <bool kGson>
void append_escaped(std::string_view s, std::string& out) {
  if (is_java_clean_utf8(s)) {
    append_escaped_clean<kGson>(s, out);
    return;
  }
  std::string normalized;
  append_java_normalized(s, normalized);
  append_escaped_clean<kGson>(normalized, out);
}

// Digits and decimal exponent of a finite non-zero value in scientific form ("d.ddde+XX" from to_chars).
struct SciDigits {
  char digits[32];
  int count = 0;
  int exponent = 0;
};

SciDigits parse_sci(const char* first, const char* last) {
  SciDigits d;
  const char* p = first;
  if (*p == '-') ++p;
  for (; p < last && *p != 'e'; ++p) {
    if (*p != '.') d.digits[d.count++] = *p;
  }
  if (p < last) std::from_chars(p + (p[1] == '+' ? 2 : 1), last, d.exponent);
  while (d.count > 1 && d.digits[d.count - 1] == '0') --d.count;
  return d;
}

template <typename T>
SciDigits java_digits(T v) {
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
  SciDigits shortest = parse_sci(buf, r.ptr);
  if (shortest.count == 1) {
    // Java considers two-digit decimals too when the shortest has one digit, and takes the closest that still
    // rounds to the value (4.9E-324, not 5.0E-324).
    char two[64];
    auto r2 = std::to_chars(two, two + sizeof two, v, std::chars_format::scientific, 1);
    T back{};
    std::from_chars(two, r2.ptr, back);
    if (back == v) return parse_sci(two, r2.ptr);
  }
  return shortest;
}

void append_java_digits(const SciDigits& d, bool negative, std::string& out) {
  if (negative) out.push_back('-');
  const int e = d.exponent;
  if (e >= -3 && e < 7) {
    if (e >= 0) {
      for (int i = 0; i <= e; ++i) out.push_back(i < d.count ? d.digits[i] : '0');
      out.push_back('.');
      if (d.count > e + 1) {
        out.append(d.digits + e + 1, static_cast<size_t>(d.count - e - 1));
      } else {
        out.push_back('0');
      }
    } else {
      out.append("0.");
      out.append(static_cast<size_t>(-e - 1), '0');
      out.append(d.digits, static_cast<size_t>(d.count));
    }
    return;
  }
  out.push_back(d.digits[0]);
  out.push_back('.');
  if (d.count > 1) {
    out.append(d.digits + 1, static_cast<size_t>(d.count - 1));
  } else {
    out.push_back('0');
  }
  out.push_back('E');
  char exp[16];
  auto r = std::to_chars(exp, exp + sizeof exp, e);
  out.append(exp, r.ptr);
}

template <typename T>
void append_java_floating(T v, std::string& out) {
  if (std::isnan(v)) {
    out.append("NaN");
  } else if (std::isinf(v)) {
    out.append(v < 0 ? "-Infinity" : "Infinity");
  } else if (v == 0) {
    out.append(std::signbit(v) ? "-0.0" : "0.0");
  } else {
    append_java_digits(java_digits(v), v < 0, out);
  }
}

}  // namespace

void append_gson_string(std::string_view utf8, std::string& out) {
  out.push_back('"');
  append_escaped<true>(utf8, out);
  out.push_back('"');
}

void append_jackson_string(std::string_view utf8, std::string& out) {
  out.push_back('"');
  append_escaped<false>(utf8, out);
  out.push_back('"');
}

void append_jackson_escaped(std::string_view utf8, std::string& out) {
  append_escaped<false>(utf8, out);
}

void append_java_double(double v, std::string& out) {
  append_java_floating(v, out);
}

void append_java_float(float v, std::string& out) {
  append_java_floating(v, out);
}

void append_big_decimal(const Decimal& d, std::string& out) {
  const auto n = static_cast<int64_t>(d.digits.size());
  const int64_t adjusted = -d.scale + (n - 1);
  if (d.negative && d.digits != "0") out.push_back('-');
  if (d.scale == 0) {
    out.append(d.digits);
    return;
  }
  if (d.scale > 0 && adjusted >= -6) {
    if (n > d.scale) {
      out.append(d.digits, 0, static_cast<size_t>(n - d.scale));
      out.push_back('.');
      out.append(d.digits, static_cast<size_t>(n - d.scale), std::string::npos);
    } else {
      out.append("0.");
      out.append(static_cast<size_t>(d.scale - n), '0');
      out.append(d.digits);
    }
    return;
  }
  out.push_back(d.digits[0]);
  if (n > 1) {
    out.push_back('.');
    out.append(d.digits, 1, std::string::npos);
  }
  out.push_back('E');
  if (adjusted >= 0) out.push_back('+');
  char exp[24];
  auto r = std::to_chars(exp, exp + sizeof exp, adjusted);
  out.append(exp, r.ptr);
}

void strip_trailing_zeros(Decimal& d) {
  if (d.digits == "0") {
    d.negative = false;
    d.scale = 0;
    return;
  }
  size_t end = d.digits.size();
  while (end > 1 && d.digits[end - 1] == '0') --end;
  d.scale -= static_cast<int64_t>(d.digits.size() - end);
  d.digits.resize(end);
}

Decimal decimal_of_double(double v) {
  std::string text;
  append_java_double(v, text);
  Decimal d;
  size_t i = 0;
  if (text[0] == '-') {
    d.negative = true;
    i = 1;
  }
  std::string digits;
  int64_t scale = 0;
  bool after_point = false;
  for (; i < text.size() && text[i] != 'E'; ++i) {
    if (text[i] == '.') {
      after_point = true;
      continue;
    }
    digits.push_back(text[i]);
    if (after_point) ++scale;
  }
  if (i < text.size()) {
    int e = 0;
    std::from_chars(text.data() + i + 1, text.data() + text.size(), e);
    scale -= e;
  }
  size_t lead = 0;
  while (lead + 1 < digits.size() && digits[lead] == '0') ++lead;
  d.digits = digits.substr(lead);
  d.scale = scale;
  if (d.digits == "0") d.negative = false;
  return d;
}

bool same_value(const Decimal& a, const Decimal& b) {
  Decimal x = a;
  Decimal y = b;
  strip_trailing_zeros(x);
  strip_trailing_zeros(y);
  return x.negative == y.negative && x.digits == y.digits && x.scale == y.scale;
}

double decimal_to_double(const Decimal& d) {
  std::string text;
  if (d.negative) text.push_back('-');
  text.append(d.digits);
  text.push_back('e');
  text.append(std::to_string(-d.scale));
  double v = 0;
  auto r = std::from_chars(text.data(), text.data() + text.size(), v);
  if (r.ec == std::errc::result_out_of_range) {
    // from_chars leaves v unchanged on range errors: decide between 0 and infinity by the magnitude.
    const int64_t magnitude = static_cast<int64_t>(d.digits.size()) - d.scale;
    v = magnitude > 0 ? HUGE_VAL : 0.0;
    if (d.negative) v = -v;
  }
  return v;
}

}  // namespace pk::formats
