#include "formats/json_parse.h"

#include <cctype>
#include <charconv>

#include <fmt/format.h>

#include "formats/java_string.h"
#include "formats/json_text.h"

namespace pk::formats {
namespace {

class JacksonReader {
 public:
  JacksonReader(std::string_view text, ValueTree& tree)
      : begin_(text.data()), p_(text.data()), end_(p_ + text.size()), t_(tree) {}

  Result<uint32_t> root() {
    skip_ws();
    if (p_ == end_) return t_.add(ValueKind::kMissing);
    const bool number = *p_ == '-' || (*p_ >= '0' && *p_ <= '9');
    PK_ASSIGN_OR_RETURN(const uint32_t v, value(0));
    if (number && p_ < end_ && !is_ws(*p_)) return fail("expected space separating root-level values");
    return v;
  }

 private:
  static bool is_ws(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
  void skip_ws() {
    while (p_ < end_ && is_ws(*p_)) ++p_;
  }
  Error fail(std::string_view what) const {
    return make_error(ErrorCode::kMalformedInput,
                      fmt::format("JSON: {} at offset {}", what, static_cast<size_t>(p_ - begin_)));
  }

  Result<uint32_t> value(int depth) {
    if (p_ == end_) return fail("unexpected end of input");
    switch (*p_) {
      case '{':
        return object(depth + 1);
      case '[':
        return array(depth + 1);
      case '"': {
        ++p_;
        const size_t start = t_.text_start();
        PK_TRY(string_body());
        const uint32_t i = t_.add(ValueKind::kString);
        t_.node(i).text = t_.text_since(start);
        return i;
      }
      case 't':
        PK_TRY(literal("true"));
        return t_.add_bool(true);
      case 'f':
        PK_TRY(literal("false"));
        return t_.add_bool(false);
      case 'n':
        PK_TRY(literal("null"));
        return t_.add(ValueKind::kNull);
      default:
        if (*p_ == '-' || (*p_ >= '0' && *p_ <= '9')) return number();
        return fail(fmt::format("unexpected character 0x{:02x}", static_cast<unsigned char>(*p_)));
    }
  }

  Status literal(std::string_view word) {
    if (static_cast<size_t>(end_ - p_) < word.size() || std::string_view(p_, word.size()) != word) {
      return fail("unrecognized token");
    }
    p_ += word.size();
    if (p_ < end_) {
      const auto c = static_cast<unsigned char>(*p_);
      // Jackson rejects a token that runs on into identifier characters ("truex").
      if (std::isalnum(c) || c == '_' || c == '$' || c >= 0x80) return fail("unrecognized token");
    }
    return ok_status();
  }

  Result<uint32_t> object(int depth) {
    if (depth > kMaxJsonDepth) return fail("nesting deeper than 1000 levels");
    ++p_;
    const uint32_t obj = t_.add(ValueKind::kObject);
    skip_ws();
    if (p_ < end_ && *p_ == '}') {
      ++p_;
      return obj;
    }
    for (;;) {
      skip_ws();
      if (p_ == end_ || *p_ != '"') return fail("expected a field name");
      ++p_;
      const size_t key_start = t_.text_start();
      PK_TRY(string_body());
      const ValueTree::Text key = t_.text_since(key_start);
      skip_ws();
      if (p_ == end_ || *p_ != ':') return fail("expected ':'");
      ++p_;
      skip_ws();
      PK_ASSIGN_OR_RETURN(const uint32_t v, value(depth));
      t_.node(v).key = key;
      t_.push(obj, v);
      skip_ws();
      if (p_ == end_) return fail("unexpected end of input in an object");
      if (*p_ == ',') {
        ++p_;
        continue;
      }
      if (*p_ == '}') {
        ++p_;
        break;
      }
      return fail("expected ',' or '}'");
    }
    t_.dedupe_members(obj);
    return obj;
  }

  Result<uint32_t> array(int depth) {
    if (depth > kMaxJsonDepth) return fail("nesting deeper than 1000 levels");
    ++p_;
    const uint32_t arr = t_.add(ValueKind::kArray);
    skip_ws();
    if (p_ < end_ && *p_ == ']') {
      ++p_;
      return arr;
    }
    for (;;) {
      skip_ws();
      PK_ASSIGN_OR_RETURN(const uint32_t v, value(depth));
      t_.push(arr, v);
      skip_ws();
      if (p_ == end_) return fail("unexpected end of input in an array");
      if (*p_ == ',') {
        ++p_;
        continue;
      }
      if (*p_ == ']') {
        ++p_;
        return arr;
      }
      return fail("expected ',' or ']'");
    }
  }

  static int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }

  // After the opening quote; appends the string's text, as String.getBytes(UTF_8) gives it, to the arena.
  Status string_body() {
    // Fast path: plain well-formed UTF-8 up to the closing quote, copied as it is.
    const char* q = p_;
    while (q < end_) {
      const auto c = static_cast<unsigned char>(*q);
      if (c == '"' || c == '\\' || c < 0x20) break;
      if (c < 0x80) {
        ++q;
        continue;
      }
      const int n = clean_utf8_sequence_length(std::string_view(q, static_cast<size_t>(end_ - q)));
      if (n == 0) break;
      q += n;
    }
    if (q < end_ && *q == '"') {
      t_.arena().append(p_, static_cast<size_t>(q - p_));
      p_ = q + 1;
      return ok_status();
    }
    return string_units();
  }

  // The general case: the string as the UTF-16 units Jackson's UTF-8 reader makes of it (escapes decoded; no check
  // for overlong forms or encoded surrogates), then encoded the way Java writes them (a lone surrogate as '?').
  Status string_units() {
    units_.clear();
    for (;;) {
      if (p_ == end_) return fail("unexpected end of input in a string");
      const auto c = static_cast<unsigned char>(*p_);
      if (c == '"') {
        ++p_;
        break;
      }
      if (c < 0x20) return fail("illegal unquoted control character in a string");
      if (c < 0x80 && c != '\\') {
        units_.push_back(c);
        ++p_;
        continue;
      }
      if (c == '\\') {
        PK_TRY(escape());
        continue;
      }
      PK_TRY(utf8_sequence(c));
    }
    java_encode_utf8(units_, t_.arena());
    return ok_status();
  }

  // The character of a one-letter escape (\n, \", ...), or -1.
  static int short_escape(char e) {
    constexpr std::string_view kFrom = "\"\\/bfnrt";
    constexpr std::string_view kTo = "\"\\/\b\f\n\r\t";
    const size_t at = kFrom.find(e);
    return at == std::string_view::npos ? -1 : kTo[at];
  }

  Status escape() {
    if (end_ - p_ < 2) return fail("unexpected end of input in an escape");
    const char e = p_[1];
    p_ += 2;
    if (const int unit = short_escape(e); unit >= 0) {
      units_.push_back(static_cast<char16_t>(unit));
      return ok_status();
    }
    switch (e) {
      case 'u': {
        if (end_ - p_ < 4) return fail("bad \\u escape");
        uint32_t unit = 0;
        for (int i = 0; i < 4; ++i) {
          const int h = hex_value(p_[i]);
          if (h < 0) return fail("bad \\u escape");
          unit = (unit << 4) | static_cast<uint32_t>(h);
        }
        p_ += 4;
        units_.push_back(static_cast<char16_t>(unit));
        return ok_status();
      }
      default:
        return fail("unrecognized character escape");
    }
  }

  // One multi-byte UTF-8 sequence as Jackson's UTF8StreamJsonParser reads it.
  Status utf8_sequence(unsigned lead) {
    int extra;
    uint32_t c;
    if ((lead & 0xE0) == 0xC0) {
      extra = 1;
      c = lead & 0x1F;
    } else if ((lead & 0xF0) == 0xE0) {
      extra = 2;
      c = lead & 0x0F;
    } else if ((lead & 0xF8) == 0xF0) {
      extra = 3;
      c = lead & 0x07;
    } else {
      return fail(fmt::format("invalid UTF-8 start byte 0x{:02x}", lead));
    }
    ++p_;
    for (int i = 0; i < extra; ++i) {
      if (p_ == end_) return fail("unexpected end of input in a UTF-8 sequence");
      const auto b = static_cast<unsigned char>(*p_);
      if ((b & 0xC0) != 0x80) return fail(fmt::format("invalid UTF-8 middle byte 0x{:02x}", b));
      c = (c << 6) | (b & 0x3F);
      ++p_;
    }
    if (extra < 3) {
      units_.push_back(static_cast<char16_t>(c));
    } else {
      c -= 0x10000;
      units_.push_back(static_cast<char16_t>(0xD800 | (c >> 10)));
      units_.push_back(static_cast<char16_t>(0xDC00 | (c & 0x3FF)));
    }
    return ok_status();
  }

  Result<uint32_t> number() {
    const char* start = p_;
    bool negative = false;
    if (*p_ == '-') {
      negative = true;
      ++p_;
    }
    const char* int_start = p_;
    while (p_ < end_ && *p_ >= '0' && *p_ <= '9') ++p_;
    const std::string_view int_digits(int_start, static_cast<size_t>(p_ - int_start));
    if (int_digits.empty()) return fail("no digit after '-'");
    if (int_digits.size() > 1 && int_digits[0] == '0') return fail("leading zeroes not allowed");
    std::string_view frac;
    bool is_float = false;
    if (p_ < end_ && *p_ == '.') {
      ++p_;
      const char* f = p_;
      while (p_ < end_ && *p_ >= '0' && *p_ <= '9') ++p_;
      frac = std::string_view(f, static_cast<size_t>(p_ - f));
      if (frac.empty()) return fail("decimal point not followed by a digit");
      is_float = true;
    }
    int64_t exponent = 0;
    if (p_ < end_ && (*p_ == 'e' || *p_ == 'E')) {
      ++p_;
      bool exp_negative = false;
      if (p_ < end_ && (*p_ == '+' || *p_ == '-')) exp_negative = *p_++ == '-';
      const char* e = p_;
      while (p_ < end_ && *p_ >= '0' && *p_ <= '9') ++p_;
      if (p_ == e) return fail("exponent indicator not followed by a digit");
      if (p_ - e > 12) return fail("exponent out of range");
      std::from_chars(e, p_, exponent);
      if (exp_negative) exponent = -exponent;
      is_float = true;
    }
    if (p_ - start > 1000) return fail("number longer than 1000 characters");
    if (!is_float) {
      if (int_digits == "0") return t_.add_text(ValueKind::kInteger, "0");
      return t_.add_text(ValueKind::kInteger, std::string_view(start, static_cast<size_t>(p_ - start)));
    }
    Decimal d;
    d.digits.assign(int_digits);
    d.digits.append(frac);
    const size_t lead = d.digits.find_first_not_of('0');
    d.digits = lead == std::string::npos ? "0" : d.digits.substr(lead);
    d.scale = static_cast<int64_t>(frac.size()) - exponent;
    d.negative = negative;
    if (d.scale > INT32_MAX || d.scale < INT32_MIN) return fail("number out of BigDecimal range");
    strip_trailing_zeros(d);
    return t_.add_decimal(d.negative, d.digits, d.scale);
  }

  const char* begin_;
  const char* p_;
  const char* end_;
  ValueTree& t_;
  std::u16string units_;
};

}  // namespace

Result<uint32_t> parse_json_value(std::string_view bytes, ValueTree& tree) {
  // Jackson detects the encoding from the first bytes: a UTF-8 BOM is skipped; a zero byte among the first two
  // or a UTF-16/32 BOM means UTF-16 or UTF-32, which we do not read.
  if (bytes.starts_with("\xEF\xBB\xBF")) bytes.remove_prefix(3);
  if ((bytes.size() >= 2 && (bytes[0] == 0 || bytes[1] == 0)) || bytes.starts_with("\xFE\xFF") ||
      bytes.starts_with("\xFF\xFE")) {
    return make_error(ErrorCode::kUnsupported, "JSON: UTF-16 or UTF-32 text is not supported");
  }
  JacksonReader reader(bytes, tree);
  return reader.root();
}

}  // namespace pk::formats
