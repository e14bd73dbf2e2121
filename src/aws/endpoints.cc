#include "aws/endpoints.h"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "common/log.h"
#include "common/text.h"

namespace pk::aws {
namespace {

bool is_lower_alpha(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

bool is_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

Result<uint16_t> parse_port(std::string_view text, std::string_view whole) {
  if (!is_digits(text) || text.size() > 5) {
    return make_error(ErrorCode::kInvalidArgument, fmt::format("endpoint '{}': bad port '{}'", whole, text));
  }
  const int port = std::stoi(std::string(text));
  if (port < 1 || port > 65535) {
    return make_error(ErrorCode::kInvalidArgument, fmt::format("endpoint '{}': port {} out of range", whole, port));
  }
  return static_cast<uint16_t>(port);
}

}  // namespace

bool looks_like_region(std::string_view s) {
  // <area>[-gov|-iso|-isob|...]-<direction>-<number>: dash-separated, letters then a number at the end.
  size_t parts = 0;
  std::string_view rest = s;
  std::string_view last;
  while (true) {
    const size_t dash = rest.find('-');
    const std::string_view part = rest.substr(0, dash);
    ++parts;
    if (dash == std::string_view::npos) {
      last = part;
      break;
    }
    if (!is_lower_alpha(part)) return false;
    rest.remove_prefix(dash + 1);
  }
  return parts >= 3 && is_digits(last) && last.size() <= 2 && s.size() >= 2 && is_lower_alpha(s.substr(0, 2));
}

std::optional<std::string> region_from_host(std::string_view host) {
  size_t pos = 0;
  while (pos <= host.size()) {
    size_t dot = host.find('.', pos);
    if (dot == std::string_view::npos) dot = host.size();
    const std::string_view label = host.substr(pos, dot - pos);
    if (looks_like_region(label)) return std::string(label);
    pos = dot + 1;
  }
  return std::nullopt;
}

Result<http::Url> parse_endpoint_url(std::string_view text) {
  const std::string_view whole = trim_whitespace(text);
  if (whole.empty()) return make_error(ErrorCode::kInvalidArgument, "endpoint is empty");
  std::string_view rest = whole;
  http::Url url;
  url.scheme = "https";
  if (const size_t sep = rest.find("://"); sep != std::string_view::npos) {
    url.scheme = ascii_lower(rest.substr(0, sep));
    if (url.scheme != "http" && url.scheme != "https") {
      return make_error(ErrorCode::kInvalidArgument, fmt::format("endpoint '{}': scheme must be http or https", whole));
    }
    rest.remove_prefix(sep + 3);
  }
  const size_t slash = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, slash);
  url.path = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
  if (!url.path.empty() && url.path.front() == '?') url.path.insert(0, "/");
  if (authority.find('@') != std::string_view::npos) {
    return make_error(ErrorCode::kInvalidArgument,
                      "endpoint: user info (user:password@) is not allowed in an endpoint; use the credential options");
  }
  std::string_view port_text;
  bool has_port = false;
  if (!authority.empty() && authority.front() == '[') {
    const size_t close = authority.find(']');
    if (close == std::string_view::npos) {
      return make_error(ErrorCode::kInvalidArgument, fmt::format("endpoint '{}': unclosed '[' in host", whole));
    }
    url.host = ascii_lower(authority.substr(1, close - 1));
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') {
        return make_error(ErrorCode::kInvalidArgument, fmt::format("endpoint '{}': junk after ']'", whole));
      }
      has_port = true;
      port_text = after.substr(1);
    }
  } else {
    const size_t colon = authority.rfind(':');
    if (colon != std::string_view::npos) {
      has_port = true;
      port_text = authority.substr(colon + 1);
      authority = authority.substr(0, colon);
      if (authority.find(':') != std::string_view::npos) {
        return make_error(ErrorCode::kInvalidArgument,
                          fmt::format("endpoint '{}': an IPv6 host must be in brackets ([::1]:4567)", whole));
      }
    }
    url.host = ascii_lower(authority);
  }
  if (url.host.empty()) return make_error(ErrorCode::kInvalidArgument, fmt::format("endpoint '{}' has no host", whole));
  for (char c : url.host) {
    if (std::isspace(static_cast<unsigned char>(c)) || c == '/' || c == '\\') {
      return make_error(ErrorCode::kInvalidArgument, fmt::format("endpoint '{}': bad host", whole));
    }
  }
  if (has_port) {
    PK_ASSIGN_OR_RETURN(url.port, parse_port(port_text, whole));
  } else {
    url.port = url.is_tls() ? 443 : 80;
  }
  return url;
}

Result<ServiceEndpoint> resolve_endpoint(const EndpointConfig& config) {
  ServiceEndpoint out;
  out.signing_name = config.service;
  const std::string region = ascii_lower(trim_whitespace(config.region));
  if (!region.empty() && !std::all_of(region.begin(), region.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
      })) {
    return make_error(ErrorCode::kInvalidArgument, fmt::format("awsRegion '{}' is not a region name", region));
  }
  if (config.service.empty()) return make_error(ErrorCode::kInvalidArgument, "endpoint: no service name");
  if (trim_whitespace(config.endpoint).empty()) {
    if (region.empty()) {
      return make_error(ErrorCode::kInvalidArgument,
                        fmt::format("no region and no endpoint for {}: set awsRegion or the endpoint", config.service));
    }
    out.url.scheme = "https";
    out.url.host = fmt::format("{}.{}.amazonaws.com{}", config.service, region, region.starts_with("cn-") ? ".cn" : "");
    out.url.port = 443;
    out.url.path = "/";
    out.signing_region = region;
  } else {
    PK_ASSIGN_OR_RETURN(out.url, parse_endpoint_url(config.endpoint));
    if (!region.empty()) {
      out.signing_region = region;
    } else if (auto from_host = region_from_host(out.url.host)) {
      out.signing_region = *from_host;
    } else {
      out.signing_region = "us-east-1";
      out.region_defaulted = true;
      logger("aws")->warn("no region for {} endpoint {}: signing for us-east-1 (set awsRegion if that is wrong)",
                          config.service, out.url.host);
    }
  }
  if (config.port) {
    if (*config.port < 1 || *config.port > 65535) {
      return make_error(ErrorCode::kInvalidArgument,
                        fmt::format("{} port override {} is out of range 1-65535", config.service, *config.port));
    }
    out.url.port = static_cast<uint16_t>(*config.port);
  }
  return out;
}

}  // namespace pk::aws
