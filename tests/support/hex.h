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

}  // namespace pk::testing
