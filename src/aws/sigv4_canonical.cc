#include "aws/sigv4_canonical.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace pk::aws {
namespace {

constexpr std::array<bool, 256> make_unreserved() {
  std::array<bool, 256> t{};
  for (int c = 'A'; c <= 'Z'; ++c) t[c] = true;
  for (int c = 'a'; c <= 'z'; ++c) t[c] = true;
  for (int c = '0'; c <= '9'; ++c) t[c] = true;
  t['-'] = t['.'] = t['_'] = t['~'] = true;
  return t;
}
constexpr auto kUnreserved = make_unreserved();

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// Headers that intermediaries or our own HTTP layer may add, drop or rewrite after signing.
constexpr std::array<std::string_view, 6> kUnsignedHeaders = {"authorization", "user-agent",        "expect",
                                                              "connection",    "transfer-encoding", "x-amzn-trace-id"};

}  // namespace

void uri_encode_append(std::string_view in, bool keep_slash, std::string& out) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (char ch : in) {
    const auto c = static_cast<uint8_t>(ch);
    if (kUnreserved[c] || (keep_slash && c == '/')) {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xf]);
    }
  }
}

std::string uri_encode(std::string_view in, bool keep_slash) {
  std::string out;
  out.reserve(in.size() + in.size() / 2);
  uri_encode_append(in, keep_slash, out);
  return out;
}

std::string percent_decode(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '%' && i + 2 < in.size()) {
      const int hi = hex_value(in[i + 1]);
      const int lo = hex_value(in[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(in[i]);
  }
  return out;
}

std::string normalize_path(std::string_view path) {
  std::vector<std::string_view> segments;
  bool trailing_slash = false;
  size_t pos = 0;
  while (pos <= path.size()) {
    size_t end = path.find('/', pos);
    if (end == std::string_view::npos) end = path.size();
    const std::string_view seg = path.substr(pos, end - pos);
    const bool last = end == path.size();
    if (seg == "..") {
      if (!segments.empty()) segments.pop_back();
      trailing_slash = last;
    } else if (seg == ".") {
      trailing_slash = last;
    } else if (seg.empty()) {
      trailing_slash = last;
    } else {
      segments.push_back(seg);
      trailing_slash = false;
    }
    pos = end + 1;
  }
  std::string out = "/";
  for (size_t i = 0; i < segments.size(); ++i) {
    if (i > 0) out.push_back('/');
    out.append(segments[i]);
  }
  if (trailing_slash && !segments.empty()) out.push_back('/');
  return out;
}

std::string canonical_uri(std::string_view path, bool normalize) {
  if (path.empty()) return "/";
  if (normalize) return uri_encode(normalize_path(path), true);
  return uri_encode(path, true);
}

std::string canonical_query(std::string_view raw_query, const std::vector<std::pair<std::string, std::string>>& extra) {
  std::vector<std::pair<std::string, std::string>> params;
  size_t pos = 0;
  while (pos < raw_query.size()) {
    size_t end = raw_query.find('&', pos);
    if (end == std::string_view::npos) end = raw_query.size();
    const std::string_view item = raw_query.substr(pos, end - pos);
    if (!item.empty()) {
      const size_t eq = item.find('=');
      const std::string_view key = item.substr(0, eq);
      const std::string_view value = eq == std::string_view::npos ? std::string_view{} : item.substr(eq + 1);
      params.emplace_back(uri_encode(percent_decode(key)), uri_encode(percent_decode(value)));
    }
    pos = end + 1;
  }
  for (const auto& [k, v] : extra) params.emplace_back(uri_encode(k), uri_encode(v));
  std::sort(params.begin(), params.end());
  std::string out;
  for (const auto& [k, v] : params) {
    if (!out.empty()) out.push_back('&');
    out += k;
    out.push_back('=');
    out += v;
  }
  return out;
}

CanonicalHeaders canonical_headers(const std::vector<http::Header>& headers) {
  struct Entry {
    std::string name;
    std::string value;
  };
  std::vector<Entry> entries;
  entries.reserve(headers.size());
  for (const auto& h : headers) {
    std::string name;
    name.reserve(h.name.size());
    for (char c : h.name) name.push_back(lower(c));
    if (std::find(kUnsignedHeaders.begin(), kUnsignedHeaders.end(), name) != kUnsignedHeaders.end()) continue;
    // Trim and collapse whitespace runs (folded continuation lines included) to one space.
    std::string value;
    value.reserve(h.value.size());
    bool pending_space = false;
    for (char c : h.value) {
      if (is_space(c)) {
        pending_space = !value.empty();
        continue;
      }
      if (pending_space) value.push_back(' ');
      pending_space = false;
      value.push_back(c);
    }
    auto same = std::find_if(entries.begin(), entries.end(), [&](const Entry& e) { return e.name == name; });
    if (same != entries.end()) {
      same->value.push_back(',');
      same->value += value;
    } else {
      entries.push_back(Entry{std::move(name), std::move(value)});
    }
  }
  std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) { return a.name < b.name; });
  CanonicalHeaders out;
  for (const auto& e : entries) {
    out.lines += e.name;
    out.lines.push_back(':');
    out.lines += e.value;
    out.lines.push_back('\n');
    if (!out.signed_headers.empty()) out.signed_headers.push_back(';');
    out.signed_headers += e.name;
  }
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

std::string_view find_header(const std::vector<http::Header>& headers, std::string_view name) {
  for (const auto& h : headers) {
    if (iequals(h.name, name)) return h.value;
  }
  return {};
}

void remove_header(std::vector<http::Header>& headers, std::string_view name) {
  std::erase_if(headers, [&](const http::Header& h) { return iequals(h.name, name); });
}

}  // namespace pk::aws
