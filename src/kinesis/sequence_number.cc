#include "kinesis/sequence_number.h"

#include <fmt/format.h>

namespace pk::kinesis {

Result<SequenceNumber> SequenceNumber::parse(std::string_view digits, std::string_view what) {
  if (digits.empty()) return make_error(ErrorCode::kMalformedInput, fmt::format("{}: empty", what));
  if (digits.size() > kMaxDigits) {
    return make_error(ErrorCode::kMalformedInput,
                      fmt::format("{}: {} digits, more than {}", what, digits.size(), kMaxDigits));
  }
  for (size_t i = 0; i < digits.size(); ++i) {
    if (digits[i] < '0' || digits[i] > '9') {
      return make_error(ErrorCode::kMalformedInput, fmt::format("{}: character {} is not a decimal digit", what, i));
    }
  }
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
