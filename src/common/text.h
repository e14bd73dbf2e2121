#pragma once
// Small ASCII text helpers shared by the parsers of config-like text (profiles, endpoints, tokens, XML).

#include <string>
#include <string_view>

namespace pk {

// `s` without leading and trailing ASCII whitespace.
std::string_view trim_whitespace(std::string_view s);

// `s` with ASCII letters lower-cased (other bytes unchanged).
std::string ascii_lower(std::string_view s);

}  // namespace pk
