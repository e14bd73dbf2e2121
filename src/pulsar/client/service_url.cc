#include "pulsar/client/service_url.h"

#include <cctype>
#include <charconv>

#include <fmt/format.h>

namespace pk::pulsar {
namespace {

Error bad_url(std::string_view url, std::string_view why) {
  return make_error(ErrorCode::kInvalidArgument, fmt::format("Pulsar service URL '{}': {}", url, why));
}

bool valid_host_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
}

Result<net::Endpoint> parse_host_port(std::string_view url, std::string_view item, uint16_t default_port) {
  if (item.empty()) return bad_url(url, "empty host");
  net::Endpoint ep;
  std::string_view rest;
  if (item.front() == '[') {  // [v6]:port
    const auto close = item.find(']');
    if (close == std::string_view::npos) return bad_url(url, "unterminated '[' in an IPv6 address");
    ep.host = std::string(item.substr(1, close - 1));
    if (ep.host.empty()) return bad_url(url, "empty IPv6 address");
    for (char c : ep.host) {
      if (!(std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.')) {
        return bad_url(url, fmt::format("bad character '{}' in IPv6 address", c));
      }
    }
    rest = item.substr(close + 1);
  } else {
    const auto colon = item.find(':');
    ep.host = std::string(item.substr(0, colon));
    rest = colon == std::string_view::npos ? std::string_view{} : item.substr(colon);
    if (ep.host.empty()) return bad_url(url, "empty host");
    for (char c : ep.host) {
      if (!valid_host_char(c)) return bad_url(url, fmt::format("bad character '{}' in host '{}'", c, ep.host));
    }
  }
  if (rest.empty()) {
    ep.port = default_port;
    return ep;
  }
  if (rest.front() != ':') return bad_url(url, fmt::format("unexpected '{}' after the host", rest));
  rest.remove_prefix(1);
  unsigned port = 0;
  const auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), port);
  if (ec != std::errc{} || end != rest.data() + rest.size() || port == 0 || port > 65535) {
    return bad_url(url, fmt::format("bad port '{}'", rest));
  }
  ep.port = static_cast<uint16_t>(port);
  return ep;
}

}  // namespace

std::string ServiceUrl::host_url(size_t i) const {
  return fmt::format("{}{}", tls ? "pulsar+ssl://" : "pulsar://", hosts.at(i).to_string());
}

std::string ServiceUrl::to_string() const {
  std::string out = tls ? "pulsar+ssl://" : "pulsar://";
  for (size_t i = 0; i < hosts.size(); ++i) {
    if (i > 0) out += ',';
    out += hosts[i].to_string();
  }
  return out;
}

Result<ServiceUrl> parse_service_url(std::string_view url) {
  ServiceUrl out;
  const auto sep = url.find("://");
  if (sep == std::string_view::npos) return bad_url(url, "missing scheme (expected pulsar:// or pulsar+ssl://)");
  const std::string_view scheme = url.substr(0, sep);
  if (scheme == "pulsar") {
    out.tls = false;
  } else if (scheme == "pulsar+ssl") {
    out.tls = true;
  } else if (scheme == "http" || scheme == "https") {
    return bad_url(url, "HTTP lookup is not supported; use the binary protocol URL (pulsar:// or pulsar+ssl://)");
  } else {
    return bad_url(url, fmt::format("unknown scheme '{}' (expected pulsar or pulsar+ssl)", scheme));
  }
  std::string_view authority = url.substr(sep + 3);
  while (!authority.empty() && authority.back() == '/') authority.remove_suffix(1);  // "pulsar://h:1/" is common
  if (authority.find('/') != std::string_view::npos) return bad_url(url, "a service URL has no path");
  if (authority.find('@') != std::string_view::npos) return bad_url(url, "user info in the URL is not supported");
  if (authority.empty()) return bad_url(url, "no host");
  const uint16_t default_port = out.tls ? kDefaultTlsPort : kDefaultPort;
  size_t start = 0;
  while (start <= authority.size()) {
    const auto comma = authority.find(',', start);
    const auto item = authority.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    PK_ASSIGN_OR_RETURN(auto ep, parse_host_port(url, item, default_port));
    out.hosts.push_back(std::move(ep));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return out;
}

Result<net::Endpoint> parse_broker_url(std::string_view url, bool* tls) {
  PK_ASSIGN_OR_RETURN(auto parsed, parse_service_url(url));
  if (parsed.hosts.size() != 1) return bad_url(url, "a broker URL names exactly one host");
  if (tls != nullptr) *tls = parsed.tls;
  return std::move(parsed.hosts.front());
}

}  // namespace pk::pulsar
