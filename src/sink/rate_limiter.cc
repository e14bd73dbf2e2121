#include "sink/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace pk::sink {

namespace {
constexpr double kMinFactor = 0.1;
constexpr double kRecoveryStep = 0.1;
constexpr auto kRecoveryPeriod = std::chrono::seconds(1);
}  // namespace

ShardRateLimiter::ShardRateLimiter(double percent, TimePoint now)
    : percent_(percent), last_refill_(now), last_throttle_(now), last_recovery_(now) {
  records_ = kRecordsPerSecond * percent_ / 100.0;
  bytes_ = kBytesPerSecond * percent_ / 100.0;
}

void ShardRateLimiter::refill(TimePoint now) {
  if (now <= last_refill_) return;
  // Recover from throttling one step per quiet second.
  while (factor_ < 1.0 && now - last_recovery_ >= kRecoveryPeriod) {
    last_recovery_ += kRecoveryPeriod;
    if (last_recovery_ - last_throttle_ >= kRecoveryPeriod) factor_ = std::min(1.0, factor_ + kRecoveryStep);
  }
  if (factor_ >= 1.0) last_recovery_ = now;
  const double seconds = std::chrono::duration<double>(now - last_refill_).count();
  const double scale = percent_ / 100.0 * factor_;
  records_ = std::min(kRecordsPerSecond * scale, records_ + seconds * kRecordsPerSecond * scale);
  bytes_ = std::min(kBytesPerSecond * scale, bytes_ + seconds * kBytesPerSecond * scale);
  last_refill_ = now;
}

bool ShardRateLimiter::try_take(size_t bytes, TimePoint now) {
  if (unlimited()) return true;
  refill(now);
  const double scale = percent_ / 100.0 * factor_;
  const double bytes_needed = std::min(static_cast<double>(bytes), kBytesPerSecond * scale);
  if (records_ < 1.0 || bytes_ < bytes_needed) return false;
  records_ -= 1.0;
  bytes_ -= static_cast<double>(bytes);  // may go negative for an entry bigger than the bucket: it waits longer
  return true;
}

ShardRateLimiter::TimePoint ShardRateLimiter::ready_at(size_t bytes, TimePoint now) {
  if (unlimited()) return now;
  refill(now);
  const double scale = percent_ / 100.0 * factor_;
  const double bytes_needed = std::min(static_cast<double>(bytes), kBytesPerSecond * scale);
  const double record_wait = records_ >= 1.0 ? 0 : (1.0 - records_) / (kRecordsPerSecond * scale);
  const double byte_wait = bytes_ >= bytes_needed ? 0 : (bytes_needed - bytes_) / (kBytesPerSecond * scale);
  const double wait = std::max(record_wait, byte_wait);
  return now + std::chrono::microseconds(static_cast<int64_t>(std::ceil(wait * 1e6)));
}

void ShardRateLimiter::on_throttled(TimePoint now) {
  if (unlimited()) return;
  refill(now);
  factor_ = std::max(kMinFactor, factor_ / 2);
  records_ = 0;
  bytes_ = 0;
  last_throttle_ = now;
  last_recovery_ = now;
}

}  // namespace pk::sink
