#pragma once
// Test helpers: writing expected wire bytes by hand as hex ("08 12 92 01 00") and showing bytes as hex.

#include <cstddef>
#include <string>
#include <string_view>

namespace pk::pulsar::proto::testing {

// "0a 02 70 6b" -> the 4 bytes. Spaces are ignored; anything else that is not hex aborts the test binary.
std::string hex_bytes(std::string_view hex);
// The bytes as lower-case hex pairs separated by spaces.
std::string to_hex(std::string_view bytes);

}  // namespace pk::pulsar::proto::testing
