#include "formats/json_text.h"

#include <array>
#include <charconv>
#include <cmath>
#include <cstring>

#include "common/byte_scan.h"
#include "formats/java_string.h"

namespace pk::formats {
namespace {

constexpr char kLowerHex[] = "0123456789abcdef";
constexpr char kUpperHex[] = "0123456789ABCDEF";

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

// Appends `s` escaped; returns false (and leaves `out` as it was) at the first sequence that is not clean UTF-8.
// Runs of plain ASCII are found 16 bytes at a time; each other byte is escaped, checked as UTF-8 or copied.
template <bool kGson>
bool append_escaped_clean(std::string_view s, std::string& out) {
  const size_t restore = out.size();
  const char* p = s.data();
  const char* const end = p + s.size();
  while (p < end) {
    const char* hit = byte_scan::find_non_plain_ascii(p, end);
    out.append(p, static_cast<size_t>(hit - p));
    if (hit == end) break;
    const auto c = static_cast<unsigned char>(*hit);
    if (c < 0x80) {
      p = hit + 1;
      if (c == 0x7f) {
        out.push_back('\x7f');
      } else if (const char* e = short_escape(c)) {
        out.append(e);
      } else {
        const char* hex = kGson ? kLowerHex : kUpperHex;
        const char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
        out.append(u, 6);
      }
      continue;
    }
    const int n = clean_utf8_sequence_length(std::string_view(hit, static_cast<size_t>(end - hit)));
    if (n == 0) {
      out.resize(restore);
      return false;
    }
    if (kGson && n == 3 && c == 0xE2 && static_cast<unsigned char>(hit[1]) == 0x80 &&
        (static_cast<unsigned char>(hit[2]) == 0xA8 || static_cast<unsigned char>(hit[2]) == 0xA9)) {
      out.append(static_cast<unsigned char>(hit[2]) == 0xA8 ? "\\u2028" : "\\u2029");
    } else {
      out.append(hit, static_cast<size_t>(n));
    }
    p = hit + n;
  }
  return true;
}

template <bool kGson>
void append_escaped(std::string_view s, std::string& out) {
  if (append_escaped_clean<kGson>(s, out)) return;
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

void append_java_long(int64_t v, std::string& out) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
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
