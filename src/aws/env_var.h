#pragma once
// Reading environment variables (credential providers read theirs at each get(), so tests may change them).

#include <cstdlib>
#include <string>

namespace pk::aws {

// The variable's value; empty when unset.
inline std::string env_var(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr ? std::string(v) : std::string();
}

}  // namespace pk::aws
