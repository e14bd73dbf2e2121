#include "kinesis/hash_key.h"

#include <charconv>
#include <cstring>

#include <fmt/format.h>

#include "common/md5.h"

namespace pk::kinesis {
namespace {

constexpr uint64_t kTen19 = 10'000'000'000'000'000'000ull;  // the largest power of ten in 64 bits

constexpr char kDigitPairs[] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

// Writes `v` (< 10^19) as exactly 19 digits, zero padded, two digits per step.
void write19(uint64_t v, char* out) {
  for (int i = 17; i >= 1; i -= 2) {
    std::memcpy(out + i, &kDigitPairs[(v % 100) * 2], 2);
    v /= 100;
  }
  out[0] = static_cast<char>('0' + v);
}

// 10^0 .. 10^38.
struct Powers {
  uint128 p[39]{};
  constexpr Powers() {
    p[0] = 1;
    for (int i = 1; i < 39; ++i) p[i] = p[i - 1] * 10;
  }
};
constexpr Powers kPowers;

}  // namespace

Result<HashKey> HashKey::parse(std::string_view decimal, std::string_view what) {
  if (decimal.empty()) return make_error(ErrorCode::kInvalidArgument, fmt::format("{}: empty", what));
  if (decimal.size() > kMaxDigits) {
    return make_error(ErrorCode::kInvalidArgument, fmt::format("{}: {} digits, more than the {} of a 128-bit key", what,
                                                               decimal.size(), kMaxDigits));
  }
  uint128 v = 0;
  constexpr uint128 kMax = ~static_cast<uint128>(0);
  for (size_t i = 0; i < decimal.size(); ++i) {
    const char c = decimal[i];
    if (c < '0' || c > '9') {
      return make_error(ErrorCode::kInvalidArgument, fmt::format("{}: character {} is not a decimal digit", what, i));
    }
    const auto d = static_cast<unsigned>(c - '0');
    if (v > (kMax - d) / 10) {
      return make_error(ErrorCode::kInvalidArgument, fmt::format("{}: greater than 2^128 - 1", what));
    }
    v = v * 10 + d;
  }
  return HashKey(v);
}

HashKey HashKey::of_partition_key(std::string_view partition_key) {
  uint128 v = 0;
  for (uint8_t b : md5(partition_key)) v = (v << 8) | b;
  return HashKey(v);
}

size_t HashKey::write_decimal(char* out) const {
  if (high() == 0) return static_cast<size_t>(std::to_chars(out, out + kMaxDigits, low()).ptr - out);
  // Split into base-10^19 limbs so that each limb is printed with 64-bit arithmetic (one 128-bit division
  // per limb above the lowest).
  const uint128 ten19 = kTen19;
  const uint128 rest = value_ / ten19;
  const auto low_limb = static_cast<uint64_t>(value_ - rest * ten19);
  const uint128 top = rest / ten19;  // < 4 since 2^128 < 4 * 10^38
  const auto mid_limb = static_cast<uint64_t>(rest - top * ten19);
  char* p = out;
  if (top != 0) {
    *p++ = static_cast<char>('0' + static_cast<unsigned>(top));
    write19(mid_limb, p);
    p += 19;
  } else {
    p = std::to_chars(p, p + 20, mid_limb).ptr;
  }
  write19(low_limb, p);
  return static_cast<size_t>(p + 19 - out);
}

size_t HashKey::decimal_size() const {
  size_t digits = 1;
  while (digits < kMaxDigits && value_ >= kPowers.p[digits]) ++digits;
  return digits;
}

std::string HashKey::to_string() const {
  char buf[kMaxDigits];
  return std::string(buf, write_decimal(buf));
}

}  // namespace pk::kinesis
