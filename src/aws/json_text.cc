#include "aws/json_text.h"

#include <cstdint>
#include <cstring>

#include <fmt/format.h>

#include "common/byte_scan.h"

namespace pk::aws {
namespace {

constexpr char kHex[] = "0123456789abcdef";

// Escaped size of each ASCII byte: 1, 2 for the short escapes, 6 for \u00XX.
struct AsciiEscapes {
  unsigned char size[128]{};
  char short_form[128]{};
  constexpr AsciiEscapes() {
    for (int c = 0; c < 128; ++c) size[c] = c < 0x20 ? 6 : 1;
    const auto shorten = [this](char c, char e) {
      size[static_cast<unsigned char>(c)] = 2;
      short_form[static_cast<unsigned char>(c)] = e;
    };
    shorten('"', '"');
    shorten('\\', '\\');
    shorten('\b', 'b');
    shorten('\f', 'f');
    shorten('\n', 'n');
    shorten('\r', 'r');
    shorten('\t', 't');
  }
};
constexpr AsciiEscapes kAscii;

}  // namespace

size_t utf8_sequence_length(std::string_view s, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[i + k]); };
  const auto is_continuation = [&](size_t k) { return (byte(k) & 0xC0) == 0x80; };
  const unsigned char c = byte(0);
  const size_t left = s.size() - i;
  if (c >= 0xC2 && c <= 0xDF) return left >= 2 && is_continuation(1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (left < 3 || !is_continuation(1) || !is_continuation(2)) return 0;
    if (c == 0xE0 && byte(1) < 0xA0) return 0;   // overlong
    if (c == 0xED && byte(1) >= 0xA0) return 0;  // UTF-16 surrogate
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (left < 4 || !is_continuation(1) || !is_continuation(2) || !is_continuation(3)) return 0;
    if (c == 0xF0 && byte(1) < 0x90) return 0;   // overlong
    if (c == 0xF4 && byte(1) >= 0x90) return 0;  // above U+10FFFF
    return 4;
  }
  return 0;
}

Result<JsonStringInfo> inspect_json_string(std::string_view s, std::string_view what) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  JsonStringInfo info;
  // The leading run of printable ASCII (each one byte, escaped or not), found 16 bytes at a time.
  size_t i = static_cast<size_t>(byte_scan::find_non_plain_ascii(s.data(), s.data() + n) - s.data());
  info.escaped_size += i;
  info.code_points += i;
  while (i < n) {
    const unsigned char c = p[i];
    if (c < 0x80) {
      info.escaped_size += kAscii.size[c];
      ++i;
    } else {
      const size_t len = utf8_sequence_length(s, i);
      if (len == 0) {
        if (what.empty()) return make_error(ErrorCode::kInvalidArgument, fmt::format("invalid UTF-8 at byte {}", i));
        return make_error(ErrorCode::kInvalidArgument, fmt::format("{}: invalid UTF-8 at byte {}", what, i));
      }
      info.escaped_size += len;
      i += len;
    }
    ++info.code_points;
  }
  return info;
}

char* write_json_escaped(std::string_view s, char* out) {
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c >= 0x80 || kAscii.size[c] == 1) {
      *out++ = ch;
    } else if (kAscii.size[c] == 2) {
      *out++ = '\\';
      *out++ = kAscii.short_form[c];
    } else {
      std::memcpy(out, "\\u00", 4);
      out[4] = kHex[c >> 4];
      out[5] = kHex[c & 15];
      out += 6;
    }
  }
  return out;
}

}  // namespace pk::aws
