#pragma once
// Test vectors written as hex ("a26161..."): the bytes they stand for. Shared by the tests of every module
// (include "support/hex.h").

#include <string>
#include <string_view>

namespace pk::testing {

// The bytes of `hex`, two digits per byte (an odd last digit is ignored).
inline std::string from_hex(std::string_view hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

// Two lower-case hex digits per byte.
inline std::string to_hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 15]);
  }
  return out;
}

}  // namespace pk::testing
