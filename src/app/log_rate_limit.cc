#include "app/log_rate_limit.h"

namespace pk::app {

LogRateLimit::LogRateLimit(std::chrono::milliseconds window, size_t max_keys) : window_(window), max_keys_(max_keys) {}

void LogRateLimit::forget_old(TimePoint now) {
  for (auto it = seen_.begin(); it != seen_.end();) {
    if (now - it->second.written >= window_) {
      it = seen_.erase(it);
    } else {
      ++it;
    }
  }
}

std::optional<uint64_t> LogRateLimit::admit(std::string_view key, TimePoint now) {
  auto it = seen_.find(std::string(key));
  if (it != seen_.end()) {
    if (now - it->second.written < window_) {
      ++it->second.suppressed;
      return std::nullopt;
    }
    const uint64_t suppressed = it->second.suppressed;
    it->second = Seen{now, 0};
    return suppressed;
  }
  if (seen_.size() >= max_keys_) forget_old(now);
  if (seen_.size() < max_keys_) seen_.emplace(std::string(key), Seen{now, 0});
  return uint64_t{0};
}

}  // namespace pk::app
