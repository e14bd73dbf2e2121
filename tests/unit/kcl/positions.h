#pragma once
// Positions for the kcl unit tests: a sequence number (digits) with a sub-sequence number.

#include <string_view>

#include "kcl/extended_sequence_number.h"

namespace pk::kcl::test {

inline ExtendedSequenceNumber seq(std::string_view digits, int64_t sub = 0) {
  return ExtendedSequenceNumber::at(*kinesis::SequenceNumber::parse(digits), sub);
}

}  // namespace pk::kcl::test
