#pragma once
// Bytes as lower-case hex: the text form in which the integration tests and their Python peers (boto3) exchange
// and compare binary data (record data, partition keys, DynamoDB B / S values) byte for byte.

#include <string>
#include <string_view>

namespace pk::aws::itest {

inline std::string to_hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const char c : bytes) {
    out += kDigits[static_cast<unsigned char>(c) >> 4];
    out += kDigits[static_cast<unsigned char>(c) & 0xf];
  }
  return out;
}

}  // namespace pk::aws::itest
