#include "metrics/text_format.h"

#include <cmath>

#include <fmt/format.h>

namespace pk::metrics {
namespace {

// The length of the well-formed UTF-8 sequence starting at s[i]; 0 when the bytes there are not one.
size_t text_format_utf8_length(std::string_view s, size_t i) {
  const auto lead = static_cast<unsigned char>(s[i]);
  if (lead < 0x80) return 1;
  // The lead byte gives the sequence's length, its own payload bits and the smallest code point of that length
  // (anything below is an overlong form).
  size_t length = 4;
  uint32_t code_point = lead & 0x07;
  uint32_t smallest = 0x10000;
  if ((lead & 0xE0) == 0xC0) {
    length = 2;
    code_point = lead & 0x1F;
    smallest = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3;
    code_point = lead & 0x0F;
    smallest = 0x800;
  } else if ((lead & 0xF8) != 0xF0) {
    return 0;  // a continuation byte or 0xF8..0xFF
  }
  if (s.size() - i < length) return 0;
  for (size_t k = 1; k < length; ++k) {
    const auto next = static_cast<unsigned char>(s[i + k]);
    if ((next & 0xC0) != 0x80) return 0;
    code_point = (code_point << 6) | (next & 0x3F);
  }
  const bool surrogate = code_point >= 0xD800 && code_point <= 0xDFFF;
  if (code_point < smallest || code_point > 0x10FFFF || surrogate) return 0;
  return length;
}

bool is_name_char(char c, bool first, bool colon_allowed) {
  const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  if (letter || (colon_allowed && c == ':')) return true;
  return !first && c >= '0' && c <= '9';
}

bool is_valid_name(std::string_view name, bool colon_allowed) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    if (!is_name_char(name[i], i == 0, colon_allowed)) return false;
  }
  return true;
}

// Appends text[i..] up to the next byte that must be escaped or replaced; returns where it stopped.
size_t append_valid_run(std::string& out, std::string_view text, size_t i, std::string_view special) {
  const size_t start = i;
  while (i < text.size() && special.find(text[i]) == std::string_view::npos) {
    const size_t length = text_format_utf8_length(text, i);
    if (length == 0) break;
    i += length;
  }
  out.append(text.substr(start, i - start));
  return i;
}

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD REPLACEMENT CHARACTER

}  // namespace

void append_escaped_help(std::string& out, std::string_view help) {
  for (char c : help) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
}

void append_valid_utf8(std::string& out, std::string_view text) {
  for (size_t i = append_valid_run(out, text, 0, {}); i < text.size(); i = append_valid_run(out, text, i + 1, {})) {
    out += kReplacement;
  }
}

bool is_valid_utf8(std::string_view text) {
  for (size_t i = 0; i < text.size();) {
    const size_t length = text_format_utf8_length(text, i);
    if (length == 0) return false;
    i += length;
  }
  return true;
}

void append_escaped_label_value(std::string& out, std::string_view value) {
  constexpr std::string_view kSpecial("\\\"\n", 3);
  for (size_t i = append_valid_run(out, value, 0, kSpecial); i < value.size();
       i = append_valid_run(out, value, i + 1, kSpecial)) {
    switch (value[i]) {
      case '\\':
        out += "\\\\";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        out += kReplacement;  // a byte that starts no well-formed sequence
    }
  }
}

void append_value(std::string& out, uint64_t value) {
  fmt::format_to(std::back_inserter(out), "{}", value);
}

void append_value(std::string& out, double value) {
  if (std::isnan(value)) {
    out += "NaN";
  } else if (std::isinf(value)) {
    out += value > 0 ? "+Inf" : "-Inf";
  } else {
    fmt::format_to(std::back_inserter(out), "{}", value);
  }
}

bool is_valid_metric_name(std::string_view name) {
  return is_valid_name(name, true);
}

bool is_valid_label_name(std::string_view name) {
  return is_valid_name(name, false) && !name.starts_with("__");
}

}  // namespace pk::metrics
