#pragma once
// Config values in milliseconds (the config model keeps them as int64_t) as durations.

#include <chrono>
#include <cstdint>

namespace pk::app {

inline std::chrono::milliseconds ms(int64_t value) {
  return std::chrono::milliseconds(value);
}

}  // namespace pk::app
