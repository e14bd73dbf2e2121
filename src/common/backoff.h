#pragma once
// Exponential backoff with "full jitter" (delay drawn uniformly from [0, min(cap, initial * 2^attempt)]),
// with a floor of initial/2 so retries never spin. One instance per retried operation; not thread-safe.

#include <chrono>
#include <cstdint>
#include <random>

namespace pk {

class Backoff {
 public:
  using Millis = std::chrono::milliseconds;

  Backoff(Millis initial, Millis max, uint64_t seed = std::random_device{}());

  // The delay to wait before the next attempt; grows with each call.
  Millis next();
  // Back to the first delay (after a success).
  void reset() { attempt_ = 0; }
  int attempts() const { return attempt_; }
  // The upper bound of the delay the next call may return (no jitter).
  Millis ceiling() const;

 private:
  Millis initial_;
  Millis max_;
  int attempt_ = 0;
  std::mt19937_64 rng_;
};

}  // namespace pk
