#pragma once
// Avro binary encoding of test values (the zig-zag varints, length-prefixed bytes): for the tests that decode Avro.

#include <cstdint>
#include <string>
#include <string_view>

namespace pk::testing {

inline std::string avro_long(int64_t v) {
  uint64_t n = (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
  std::string out;
  while (n >= 0x80) {
    out.push_back(static_cast<char>((n & 0x7F) | 0x80));
    n >>= 7;
  }
  out.push_back(static_cast<char>(n));
  return out;
}

inline std::string avro_bytes(std::string_view s) {
  return avro_long(static_cast<int64_t>(s.size())) + std::string(s);
}

}  // namespace pk::testing
