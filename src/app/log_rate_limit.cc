#include "app/log_rate_limit.h"

namespace pk::app {

std::string line_shape(std::string_view text) {
  constexpr std::string_view kShard = "shardId-";
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    if (text.substr(i, kShard.size()) == kShard) {
      size_t end = i + kShard.size();
      while (end < text.size() && text[end] >= '0' && text[end] <= '9') ++end;
      out.append(text.substr(i, end - i));
      i = end;
    } else if (text[i] >= '0' && text[i] <= '9') {
      out += '#';
      while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
    } else {
      out += text[i++];
    }
  }
  return out;
}

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
