#pragma once
// Kinesis hash keys: unsigned 128-bit integers that place a record on a shard. A partition key maps to
// MD5(partition key) read as a big-endian integer; an ExplicitHashKey is the same integer in decimal. Shards
// own inclusive ranges [StartingHashKey, EndingHashKey], also decimal on the wire. Pure value type.

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace pk::kinesis {

__extension__ using uint128 = unsigned __int128;

class HashKey {
 public:
  constexpr HashKey() = default;
  constexpr explicit HashKey(uint128 value) : value_(value) {}
  static constexpr HashKey from_parts(uint64_t high, uint64_t low) {
    return HashKey((static_cast<uint128>(high) << 64) | low);
  }
  static constexpr HashKey max() { return HashKey(~static_cast<uint128>(0)); }

  // Parses a decimal string of 1 to 39 digits no greater than 2^128 - 1; `what` names the field in errors.
  static Result<HashKey> parse(std::string_view decimal, std::string_view what = "hash key");
  // MD5 of the partition key's bytes, read as a big-endian 128-bit integer: where Kinesis puts the record.
  static HashKey of_partition_key(std::string_view partition_key);

  constexpr uint128 value() const { return value_; }
  constexpr uint64_t high() const { return static_cast<uint64_t>(value_ >> 64); }
  constexpr uint64_t low() const { return static_cast<uint64_t>(value_); }

  std::string to_string() const;  // decimal, no leading zeros
  // Writes the decimal form to `out` (room for kMaxDigits) and returns the number of characters.
  size_t write_decimal(char* out) const;
  static constexpr size_t kMaxDigits = 39;
  // The number of characters write_decimal writes.
  size_t decimal_size() const;

  friend constexpr auto operator<=>(const HashKey&, const HashKey&) = default;
  friend constexpr bool operator==(const HashKey&, const HashKey&) = default;

 private:
  uint128 value_ = 0;
};

// An inclusive range of hash keys, as a shard owns it.
struct HashKeyRange {
  HashKey starting;
  HashKey ending;

  constexpr bool contains(HashKey key) const { return starting <= key && key <= ending; }
  friend constexpr bool operator==(const HashKeyRange&, const HashKeyRange&) = default;
};

}  // namespace pk::kinesis
