#include "common/backoff.h"

#include <algorithm>

namespace pk {

Backoff::Backoff(Millis initial, Millis max, uint64_t seed)
    : initial_(std::max(initial, Millis(1))), max_(std::max(max, initial_)), rng_(seed) {}

Backoff::Millis Backoff::ceiling() const {
  // Doubling stops well before overflow: 2^30 * initial exceeds any sane cap.
  const int shift = std::min(attempt_, 30);
  const auto raw = initial_.count() * (int64_t{1} << shift);
  return Millis(std::min<int64_t>(raw, max_.count()));
}

Backoff::Millis Backoff::next() {
  const int64_t hi = ceiling().count();
  const int64_t lo = std::min(hi, std::max<int64_t>(1, initial_.count() / 2));
  ++attempt_;
  std::uniform_int_distribution<int64_t> dist(lo, hi);
  return Millis(dist(rng_));
}

}  // namespace pk
