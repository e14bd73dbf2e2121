#pragma once
// Pulsar service URLs: `pulsar://host:port`, `pulsar+ssl://host:port`, several hosts separated by commas
// (`pulsar://h1:6650,h2:6650`), IPv6 literals in brackets. The port defaults to 6650 (plain) / 6651 (TLS).
// The same parser reads the broker URLs that LOOKUP answers carry. Pure functions; no I/O.

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "net/byte_stream.h"

namespace pk::pulsar {

inline constexpr uint16_t kDefaultPort = 6650;
inline constexpr uint16_t kDefaultTlsPort = 6651;

struct ServiceUrl {
  bool tls = false;
  std::vector<net::Endpoint> hosts;  // at least one

  // "pulsar[+ssl]://h1:p1,h2:p2"
  std::string to_string() const;
  // The URL of one host ("pulsar://h1:p1"): the key under which connections to it are pooled.
  std::string host_url(size_t i) const;
};

// Errors (kInvalidArgument) name the URL and what is wrong with it.
Result<ServiceUrl> parse_service_url(std::string_view url);

// A URL that names exactly one broker (as in LOOKUP answers).
Result<net::Endpoint> parse_broker_url(std::string_view url, bool* tls = nullptr);

}  // namespace pk::pulsar
