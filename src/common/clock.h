#pragma once
// An injectable clock: production code asks a Clock for the time so that tests can fix or advance it
// (SigV4 dates, lease expiry, credential refresh, TTLs). SystemClock is the real one.

#include <chrono>
#include <cstdint>

namespace pk {

class Clock {
 public:
  virtual ~Clock() = default;
  // Wall-clock time (for timestamps sent to peers).
  virtual std::chrono::system_clock::time_point now() const = 0;
  // Monotonic time (for timeouts and intervals).
  virtual std::chrono::steady_clock::time_point steady_now() const = 0;

  int64_t now_millis() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(now().time_since_epoch()).count();
  }
};

class SystemClock final : public Clock {
 public:
  std::chrono::system_clock::time_point now() const override { return std::chrono::system_clock::now(); }
  std::chrono::steady_clock::time_point steady_now() const override { return std::chrono::steady_clock::now(); }
  // A process-wide instance for code that is not handed a clock.
  static const Clock& instance();
};

// A clock that only moves when told to. Not thread-safe: tests drive it from one thread.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(std::chrono::system_clock::time_point start = std::chrono::system_clock::time_point{})
      : wall_(start) {}
  std::chrono::system_clock::time_point now() const override { return wall_; }
  std::chrono::steady_clock::time_point steady_now() const override { return steady_; }
  void advance(std::chrono::nanoseconds d) {
    wall_ += std::chrono::duration_cast<std::chrono::system_clock::duration>(d);
    steady_ += d;
  }
  void set(std::chrono::system_clock::time_point t) { wall_ = t; }

 private:
  std::chrono::system_clock::time_point wall_;
  std::chrono::steady_clock::time_point steady_{};
};

}  // namespace pk
