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

  bool read_u_escape(const char* at, uint32_t& unit) const {
    if (end_ - at < 6 || at[0] != '\\' || at[1] != 'u') return false;
    unit = 0;
    for (int i = 2; i < 6; ++i) {
      const int h = hex_value(at[i]);
      if (h < 0) return false;
      unit = (unit << 4) | static_cast<uint32_t>(h);
    }
    return true;
  }

  static void put_utf8(uint32_t cp, std::string& out) {
    if (cp < 0x80) {
      out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }

  // After the opening quote; appends the decoded text (as Java's getBytes would give it) to the arena.
  Status string_body() {
    std::string& out = t_.arena();
    const char* run = p_;
    for (;;) {
      if (p_ == end_) return fail("unexpected end of input in a string");
      const auto c = static_cast<unsigned char>(*p_);
      if (c == '"') {
        out.append(run, static_cast<size_t>(p_ - run));
        ++p_;
        return ok_status();
      }
      if (c < 0x20) return fail("illegal unquoted control character in a string");
      if (c != '\\') {
        ++p_;
        continue;
      }
      out.append(run, static_cast<size_t>(p_ - run));
      if (end_ - p_ < 2) return fail("unexpected end of input in an escape");
      const char e = p_[1];
      p_ += 2;
      switch (e) {
        case '"':
        case '\\':
        case '/':
          out.push_back(e);
          break;
        case 'b':
          out.push_back('\b');
          break;
        case 'f':
          out.push_back('\f');
          break;
        case 'n':
          out.push_back('\n');
          break;
        case 'r':
          out.push_back('\r');
          break;
        case 't':
          out.push_back('\t');
          break;
        case 'u': {
          uint32_t unit = 0;
          if (!read_u_escape(p_ - 2, unit)) return fail("bad \\u escape");
          p_ += 4;
          uint32_t low = 0;
          if (unit >= 0xD800 && unit <= 0xDBFF && read_u_escape(p_, low) && low >= 0xDC00 && low <= 0xDFFF) {
            p_ += 6;
            put_utf8(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00), out);
          } else if (unit >= 0xD800 && unit <= 0xDFFF) {
            out.push_back('?');  // a lone surrogate: String.getBytes(UTF_8) writes '?'
          } else {
            put_utf8(unit, out);
          }
          break;
        }
        default:
          return fail("unrecognized character escape");
      }
      run = p_;
    }
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
};

}  // namespace

Result<uint32_t> parse_json_value(std::string_view bytes, ValueTree& tree, std::string& scratch) {
  std::string_view text = bytes;
  if (!is_java_clean_utf8(bytes)) {
    scratch.clear();
    append_java_normalized(bytes, scratch);
    text = scratch;
  }
  JacksonReader reader(text, tree);
  return reader.root();
}

}  // namespace pk::formats
