#include "config/start_at_time.h"

#include <array>
#include <cctype>
#include <string>

#include <fmt/format.h>

#include "common/text.h"

namespace pk::config {
namespace {

constexpr std::string_view kFormats =
    "epoch milliseconds, ISO-8601 (2024-01-01T00:00:00Z) or RFC-1123 (Mon, 01 Jan 2024 00:00:00 GMT)";

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

bool is_leap(int64_t y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

unsigned days_in_month(int64_t y, unsigned m) {
  static constexpr std::array<unsigned, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : kDays[m - 1];
}

// A cursor over the text with the small readers the two grammars need.
class Cursor {
 public:
  explicit Cursor(std::string_view s) : s_(s) {}
  bool done() const { return i_ == s_.size(); }
  char peek() const { return done() ? '\0' : s_[i_]; }
  bool take(char c) {
    if (peek() != c) return false;
    ++i_;
    return true;
  }
  // Exactly `n` digits (or between `n` and `max_n`).
  bool digits(size_t n, int64_t& out, size_t max_n = 0) {
    if (max_n == 0) max_n = n;
    size_t k = 0;
    int64_t v = 0;
    while (k < max_n && i_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i_])) != 0) {
      v = v * 10 + (s_[i_] - '0');
      ++i_;
      ++k;
    }
    if (k < n) return false;
    out = v;
    return true;
  }
  std::string_view word() {
    const size_t start = i_;
    while (i_ < s_.size() && std::isalpha(static_cast<unsigned char>(s_[i_])) != 0) ++i_;
    return s_.substr(start, i_ - start);
  }
  void skip_spaces() {
    while (peek() == ' ') ++i_;
  }
  std::string_view rest() const { return s_.substr(i_); }

 private:
  std::string_view s_;
  size_t i_ = 0;
};

Error bad(std::string_view text, std::string_view what) {
  return make_error(ErrorCode::kInvalidArgument,
                    fmt::format("\"{}\" is not a time: {} (allowed: {})", text, what, kFormats));
}

struct Fields {
  int64_t year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, millis = 0;
  int64_t offset_minutes = 0;
};

Result<int64_t> to_epoch_ms(std::string_view text, const Fields& f) {
  if (f.month < 1 || f.month > 12) return bad(text, fmt::format("month {} out of range", f.month));
  if (f.day < 1 || f.day > days_in_month(f.year, static_cast<unsigned>(f.month))) {
    return bad(text, fmt::format("day {} out of range for the month", f.day));
  }
  if (f.hour > 23 || f.minute > 59 || f.second > 59) return bad(text, "time of day out of range");
  if (f.offset_minutes < -18 * 60 || f.offset_minutes > 18 * 60) return bad(text, "offset out of range");
  const int64_t days = days_from_civil(f.year, static_cast<unsigned>(f.month), static_cast<unsigned>(f.day));
  const int64_t seconds = days * 86400 + f.hour * 3600 + f.minute * 60 + f.second - f.offset_minutes * 60;
  return seconds * 1000 + f.millis;
}

// Z, +HH:MM, +HHMM, +HH (ISO) and, for RFC-1123, the names GMT, UT, UTC.
bool parse_offset(Cursor& c, int64_t& minutes, bool names) {
  minutes = 0;
  if (c.take('Z') || c.take('z')) return true;
  if (names) {
    const std::string_view w = c.word();
    if (w == "GMT" || w == "UT" || w == "UTC") return true;
    if (!w.empty()) return false;
  }
  int sign = 0;
  if (c.take('+')) {
    sign = 1;
  } else if (c.take('-')) {
    sign = -1;
  } else {
    return false;
  }
  int64_t h = 0;
  int64_t m = 0;
  if (!c.digits(2, h)) return false;
  if (c.take(':')) {
    if (!c.digits(2, m)) return false;
  } else if (!c.done()) {
    if (!c.digits(2, m)) return false;
  }
  if (m > 59) return false;
  minutes = sign * (h * 60 + m);
  return true;
}

Result<int64_t> parse_iso(std::string_view text) {
  Cursor c(text);
  Fields f;
  if (!c.digits(4, f.year) || !c.take('-') || !c.digits(2, f.month) || !c.take('-') || !c.digits(2, f.day)) {
    return bad(text, "expected a date YYYY-MM-DD");
  }
  if (c.done()) return to_epoch_ms(text, f);
  if (!c.take('T') && !c.take('t') && !c.take(' ')) return bad(text, "expected T between date and time");
  if (!c.digits(2, f.hour) || !c.take(':') || !c.digits(2, f.minute)) return bad(text, "expected a time HH:MM");
  if (c.take(':')) {
    if (!c.digits(2, f.second)) return bad(text, "expected seconds SS");
    if (c.take('.') || c.take(',')) {
      int64_t fraction = 0;
      const std::string_view before = c.rest();
      if (!c.digits(1, fraction, 9)) return bad(text, "expected a fraction of a second");
      const size_t n = before.size() - c.rest().size();
      // Milliseconds: the first three digits of the fraction.
      int64_t ms = fraction;
      for (size_t i = n; i > 3; --i) ms /= 10;
      for (size_t i = n; i < 3; ++i) ms *= 10;
      f.millis = ms;
    }
  }
  if (!c.done() && !parse_offset(c, f.offset_minutes, false)) return bad(text, "bad offset (Z, +HH:MM, +HHMM)");
  if (!c.done()) return bad(text, fmt::format("unexpected \"{}\"", c.rest()));
  return to_epoch_ms(text, f);
}

Result<int64_t> parse_rfc1123(std::string_view text) {
  static constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                               "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  static constexpr std::array<std::string_view, 7> kDays = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  Cursor c(text);
  Fields f;
  if (std::isalpha(static_cast<unsigned char>(c.peek())) != 0) {
    const std::string_view day = c.word();
    bool known = false;
    for (std::string_view d : kDays) known = known || d == day;
    if (!known || !c.take(',')) return bad(text, "expected a weekday such as \"Mon,\"");
    c.skip_spaces();
  }
  if (!c.digits(1, f.day, 2)) return bad(text, "expected the day of the month");
  c.skip_spaces();
  const std::string_view month = c.word();
  f.month = 0;
  for (size_t i = 0; i < kMonths.size(); ++i) {
    if (kMonths[i] == month) f.month = static_cast<int64_t>(i) + 1;
  }
  if (f.month == 0) return bad(text, fmt::format("unknown month \"{}\"", month));
  c.skip_spaces();
  if (!c.digits(4, f.year)) return bad(text, "expected a four-digit year");
  c.skip_spaces();
  if (!c.digits(2, f.hour) || !c.take(':') || !c.digits(2, f.minute)) return bad(text, "expected a time HH:MM");
  if (c.take(':') && !c.digits(2, f.second)) return bad(text, "expected seconds SS");
  c.skip_spaces();
  if (!parse_offset(c, f.offset_minutes, true) || !c.done()) return bad(text, "expected GMT or an offset +HHMM");
  return to_epoch_ms(text, f);
}

}  // namespace

Result<int64_t> parse_start_at_time(std::string_view raw) {
  const std::string_view text = trim_whitespace(raw);
  if (text.empty()) return bad(raw, "empty");
  bool all_digits = true;
  for (char ch : text) all_digits = all_digits && std::isdigit(static_cast<unsigned char>(ch)) != 0;
  if (all_digits) {
    if (text.size() > 15) return bad(text, "epoch milliseconds out of range");
    int64_t v = 0;
    for (char ch : text) v = v * 10 + (ch - '0');
    return v;
  }
  if (text.size() >= 10 && std::isdigit(static_cast<unsigned char>(text[0])) != 0 && text[4] == '-') {
    return parse_iso(text);
  }
  return parse_rfc1123(text);
}

std::string format_epoch_ms(int64_t epoch_ms) {
  int64_t days = epoch_ms >= 0 ? epoch_ms / 86400000 : (epoch_ms - 86399999) / 86400000;
  const int64_t ms_of_day = epoch_ms - days * 86400000;
  // civil_from_days (H. Hinnant).
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const auto doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", y + (m <= 2), m, d, ms_of_day / 3600000,
                     ms_of_day / 60000 % 60, ms_of_day / 1000 % 60, ms_of_day % 1000);
}

}  // namespace pk::config
