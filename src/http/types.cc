#include "http/types.h"

#include <algorithm>
#include <array>
#include <charconv>

#include <fmt/format.h>

#include "common/log.h"

namespace pk::http {
namespace {

char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string_view first_value(const std::vector<Header>& headers, std::string_view name) {
  for (const auto& h : headers) {
    if (iequals(h.name, name)) return h.value;
  }
  return {};
}

Error bad_url(std::string_view text, std::string_view why) {
  return make_error(ErrorCode::kInvalidArgument, fmt::format("endpoint '{}': {}", text, why));
}

bool is_host_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_';
}

bool is_ipv6_char(char c) {
  return (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || (c >= '0' && c <= '9') || c == ':' || c == '.';
}

}  // namespace

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return lower(x) == lower(y); });
}

bool is_valid_header_name(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
    return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
  });
}

bool is_valid_header_value(std::string_view value) {
  return std::all_of(value.begin(), value.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u == '\t' || (u >= 0x20 && u != 0x7f);
  });
}

bool is_secret_header(std::string_view name) {
  static constexpr std::array<std::string_view, 6> kSecret = {
      "authorization", "proxy-authorization", "x-amz-security-token", "x-aws-ec2-metadata-token",
      "cookie",        "set-cookie"};
  return std::any_of(kSecret.begin(), kSecret.end(), [&](std::string_view s) { return iequals(s, name); });
}

std::string target_for_log(std::string_view target) {
  const auto query = target.find('?');
  if (query == std::string_view::npos) return std::string(target);
  std::string out(target.substr(0, query));
  out += "?...";
  return out;
}

std::string headers_for_log(const std::vector<Header>& headers) {
  std::string out;
  for (const auto& h : headers) {
    if (!out.empty()) out += ", ";
    out += h.name;
    out += ": ";
    out += is_secret_header(h.name) ? redact(h.value) : h.value;
  }
  return out;
}

std::string_view Request::header(std::string_view name) const {
  return first_value(headers, name);
}

void Request::set_header(std::string name, std::string value) {
  std::erase_if(headers, [&](const Header& h) { return iequals(h.name, name); });
  headers.push_back(Header{std::move(name), std::move(value)});
}

std::string_view Response::header(std::string_view name) const {
  return first_value(headers, name);
}

std::string Url::authority() const {
  // Built with appends: GCC 12 at -O3 warns (-Wrestrict, falsely) on "[" + host + "]".
  std::string out;
  const bool ipv6 = host.find(':') != std::string::npos;
  if (ipv6) out += '[';
  out += host;
  if (ipv6) out += ']';
  if (port != default_port()) {
    out += ':';
    out += std::to_string(port);
  }
  return out;
}

std::string Url::origin() const {
  return scheme + "://" + authority();
}

std::string Url::to_string() const {
  return origin() + path;
}

Result<Url> Url::parse(std::string_view text, std::string_view default_scheme) {
  Url url;
  std::string_view rest = text;
  while (!rest.empty() && (rest.front() == ' ' || rest.front() == '\t')) rest.remove_prefix(1);
  while (!rest.empty() && (rest.back() == ' ' || rest.back() == '\t')) rest.remove_suffix(1);
  if (rest.empty()) return bad_url(text, "empty");

  if (const auto sep = rest.find("://"); sep != std::string_view::npos) {
    for (char c : rest.substr(0, sep)) url.scheme.push_back(lower(c));
    rest.remove_prefix(sep + 3);
  } else {
    url.scheme = std::string(default_scheme);
  }
  if (url.scheme != "http" && url.scheme != "https") {
    return bad_url(text, fmt::format("unsupported scheme '{}' (use http or https)", url.scheme));
  }

  const auto path_start = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, path_start);
  std::string_view path = "/";  // also when there is only a fragment
  if (path_start != std::string_view::npos && rest[path_start] != '#') {
    path = rest.substr(path_start, rest.find('#', path_start) - path_start);
  }
  url.path.reserve(path.size() + 1);
  if (path.front() == '?') url.path.push_back('/');
  for (char c : path) url.path.push_back(c);  // not append(): GCC 12 -O3 warns falsely (-Wrestrict)
  if (authority.find('@') != std::string_view::npos) {
    return bad_url(text, "user information in endpoints is not supported (credentials belong in the config)");
  }

  std::string_view port_text;
  bool has_port = false;
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return bad_url(text, "IPv6 address without closing ']'");
    const std::string_view v6 = authority.substr(1, close - 1);
    if (v6.empty() || !std::all_of(v6.begin(), v6.end(), is_ipv6_char) || v6.find(':') == std::string_view::npos) {
      return bad_url(text, fmt::format("'{}' is not an IPv6 address", v6));
    }
    url.host = std::string(v6);
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return bad_url(text, "unexpected text after ']'");
      port_text = after.substr(1);
      has_port = true;
    }
  } else {
    const auto colon = authority.find(':');
    if (colon != std::string_view::npos && authority.find(':', colon + 1) != std::string_view::npos) {
      return bad_url(text, "IPv6 addresses must be written in brackets, e.g. [::1]:4567");
    }
    url.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) {
      port_text = authority.substr(colon + 1);
      has_port = true;
    }
    if (url.host.empty()) return bad_url(text, "no host");
    if (!std::all_of(url.host.begin(), url.host.end(), is_host_char)) {
      return bad_url(text, fmt::format("'{}' is not a valid host name", url.host));
    }
  }
  for (char& c : url.host) c = lower(c);

  if (has_port) {
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), value);
    if (port_text.empty() || ec != std::errc{} || end != port_text.data() + port_text.size() || value == 0 ||
        value > 65535) {
      return bad_url(text, fmt::format("'{}' is not a port (1-65535)", port_text));
    }
    url.port = static_cast<uint16_t>(value);
  } else {
    url.port = url.default_port();
  }
  return url;
}

}  // namespace pk::http
