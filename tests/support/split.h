#pragma once
// Splits test input lines into fields.

#include <string>
#include <string_view>
#include <vector>

namespace pk::testing {

// The parts of `s` between separators (n separators give n + 1 parts).
inline std::vector<std::string> split(std::string_view s, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  for (;;) {
    const size_t at = s.find(sep, start);
    out.emplace_back(s.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
    if (at == std::string_view::npos) return out;
    start = at + 1;
  }
}

}  // namespace pk::testing
