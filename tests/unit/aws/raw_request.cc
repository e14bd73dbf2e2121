#include "raw_request.h"

#include <string>

namespace pk::aws::testing {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

}  // namespace

Result<http::Request> parse_raw_request(std::string_view text) {
  http::Request req;
  size_t pos = 0;
  auto next_line = [&](std::string_view& line) {
    if (pos > text.size()) return false;
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    line = text.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    pos = end + 1;
    return true;
  };
  std::string_view line;
  if (!next_line(line)) return make_error(ErrorCode::kMalformedInput, "empty request");
  const size_t first = line.find(' ');
  const size_t last = line.rfind(' ');
  if (first == std::string_view::npos || last == first) {
    return make_error(ErrorCode::kMalformedInput, "bad request line: " + std::string(line));
  }
  req.method = std::string(line.substr(0, first));
  req.target = std::string(line.substr(first + 1, last - first - 1));
  while (next_line(line)) {
    if (line.empty()) break;
    if (line.front() == ' ' || line.front() == '\t') {
      if (req.headers.empty()) return make_error(ErrorCode::kMalformedInput, "continuation line before any header");
      req.headers.back().value += ' ';
      req.headers.back().value += trim(line);
      continue;
    }
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) {
      return make_error(ErrorCode::kMalformedInput, "header line without ':': " + std::string(line));
    }
    req.headers.push_back(http::Header{std::string(line.substr(0, colon)), std::string(trim(line.substr(colon + 1)))});
  }
  if (pos < text.size()) req.body = std::string(text.substr(pos));
  return req;
}

}  // namespace pk::aws::testing
