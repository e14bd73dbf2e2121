#include "kinesis/sequence_number.h"

#include <cstdint>
#include <cstring>

#include <fmt/format.h>

namespace pk::kinesis {
namespace {

// Eight characters at a time: the sequence number of every record is checked on the read hot path.
bool all_digits(std::string_view s) {
  size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    // Each byte is in '0'..'9' iff its high nibble is 3 and adding 6 does not carry out of its low nibble.
    if ((w & 0xF0F0F0F0F0F0F0F0ull) != 0x3030303030303030ull ||
        ((w + 0x0606060606060606ull) & 0xF0F0F0F0F0F0F0F0ull) != 0x3030303030303030ull) {
      return false;
    }
  }
  for (; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  return true;
}

}  // namespace

Result<SequenceNumber> SequenceNumber::parse(std::string_view digits, std::string_view what) {
  if (digits.empty()) return make_error(ErrorCode::kMalformedInput, fmt::format("{}: empty", what));
  if (digits.size() > kMaxDigits) {
    return make_error(ErrorCode::kMalformedInput,
                      fmt::format("{}: {} digits, more than {}", what, digits.size(), kMaxDigits));
  }
  if (!all_digits(digits)) {
    size_t i = 0;
    while (digits[i] >= '0' && digits[i] <= '9') ++i;
    return make_error(ErrorCode::kMalformedInput, fmt::format("{}: character {} is not a decimal digit", what, i));
  }
  return SequenceNumber(std::string(digits));
}

bool SequenceNumber::valid(std::string_view digits) {
  return !digits.empty() && digits.size() <= kMaxDigits && all_digits(digits);
}

std::optional<SequenceNumber> SequenceNumber::from_digits(std::string_view digits) {
  if (!valid(digits)) return std::nullopt;
  return SequenceNumber(std::string(digits));
}

std::strong_ordering compare_decimal(std::string_view a, std::string_view b) {
  const auto strip = [](std::string_view s) {
    const size_t first = s.find_first_not_of('0');
    return first == std::string_view::npos ? std::string_view{} : s.substr(first);
  };
  a = strip(a);
  b = strip(b);
  if (a.size() != b.size()) return a.size() <=> b.size();
  const int c = a.compare(b);
  return c < 0 ? std::strong_ordering::less : c > 0 ? std::strong_ordering::greater : std::strong_ordering::equal;
}

std::strong_ordering operator<=>(const SequenceNumber& a, const SequenceNumber& b) {
  if (a.empty() || b.empty()) return !a.empty() <=> !b.empty();
  return compare_decimal(a.digits_, b.digits_);
}

}  // namespace pk::kinesis
