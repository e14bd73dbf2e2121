#pragma once
// Where the real test servers are: read from the environment that scripts/services/all exports.
// A missing variable fails the test with a message that says how to start the servers.

#include <cstdint>
#include <cstdlib>
#include <string>

#include <gtest/gtest.h>

namespace pk::testing {

inline std::string server_env(const char* name) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') {
    ADD_FAILURE() << name << " is not set: run integration tests under `scripts/services/all run -- ctest ...`"
                  << " (scripts/test does this)";
    return {};
  }
  return v;
}

struct HostPort {
  std::string host;
  uint16_t port = 0;
};

// "scheme://host:port[/...]" -> host, port.
inline HostPort host_port_of(const std::string& url) {
  HostPort hp;
  auto start = url.find("://");
  start = start == std::string::npos ? 0 : start + 3;
  const auto slash = url.find('/', start);
  const std::string authority = url.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
  const auto colon = authority.rfind(':');
  if (colon == std::string::npos) {
    ADD_FAILURE() << "no port in " << url;
    return hp;
  }
  hp.host = authority.substr(0, colon);
  hp.port = static_cast<uint16_t>(std::stoi(authority.substr(colon + 1)));
  return hp;
}

}  // namespace pk::testing
