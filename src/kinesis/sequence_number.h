#pragma once
// Kinesis sequence numbers: decimal strings of up to ~56 digits, too large for any machine integer. They are
// kept as text and compared as big integers (length first after leading zeros, then digit by digit).
// Pure value type.

#include <compare>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace pk::kinesis {

class SequenceNumber {
 public:
  SequenceNumber() = default;  // empty: "none"

  // Accepts 1 to kMaxDigits decimal digits; `what` names the field in errors.
  static Result<SequenceNumber> parse(std::string_view digits, std::string_view what = "sequence number");
  static constexpr size_t kMaxDigits = 128;
  // The same check without an error to build (the read hot path): nullopt when parse() would fail.
  static std::optional<SequenceNumber> from_digits(std::string_view digits);
  // Whether parse() would accept `digits`.
  static bool valid(std::string_view digits);

  const std::string& str() const { return digits_; }
  bool empty() const { return digits_.empty(); }

  // Numeric order; an empty sequence number sorts before every other one.
  friend std::strong_ordering operator<=>(const SequenceNumber& a, const SequenceNumber& b);
  friend bool operator==(const SequenceNumber& a, const SequenceNumber& b) { return (a <=> b) == 0; }

 private:
  explicit SequenceNumber(std::string digits) : digits_(std::move(digits)) {}
  std::string digits_;
};

// Numeric comparison of two strings of decimal digits (leading zeros ignored).
std::strong_ordering compare_decimal(std::string_view a, std::string_view b);

}  // namespace pk::kinesis
