#pragma once
// The values behind one time series: Counter, Gauge and Histogram. A pipeline obtains a reference once (from its
// family, with its label values) and then updates it on its hot path: every update is one relaxed atomic
// operation (a histogram: three), no lookup and no lock. Any thread may update; a scrape reads them concurrently
// from the admin loop. Each cell sits on its own cache line, so that pipelines on different loops do not slow
// each other down through false sharing.
// Owned by their family (registry.h); references stay valid until the series is removed or the registry dies.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace pk::metrics {

// A value that only goes up (records, bytes, events). Integer: every counter of ours counts whole things.
class alignas(64) Counter {
 public:
  void inc(uint64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
  uint64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> value_{0};
};

// A value that goes up and down (in-flight messages, leases held, seconds behind).
class alignas(64) Gauge {
 public:
  void set(double v) { value_.store(v, std::memory_order_relaxed); }
  void add(double d) { value_.fetch_add(d, std::memory_order_relaxed); }
  void inc() { add(1); }
  void dec() { add(-1); }
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

// Observations counted into fixed buckets (upper bounds `le`, +Inf implicit), with their sum.
class alignas(64) Histogram {
 public:
  // `bounds` (increasing) must outlive the histogram: the family keeps them.
  explicit Histogram(std::span<const double> bounds);

  void observe(double v);
  template <typename Rep, typename Period>
  void observe(std::chrono::duration<Rep, Period> d) {
    observe(std::chrono::duration<double>(d).count());
  }

  struct Snapshot {
    std::vector<uint64_t> cumulative;  // one per bound, then +Inf (== count)
    double sum = 0;
    uint64_t count = 0;
  };
  // Buckets read one by one while writers go on: each is exact, together they are consistent enough for a
  // scrape (count is the +Inf bucket, so _count always equals the last bucket).
  Snapshot snapshot() const;
  std::span<const double> bounds() const { return bounds_; }

 private:
  std::span<const double> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> buckets_;  // bounds_.size() + 1, not cumulative
  std::atomic<double> sum_{0};
};

}  // namespace pk::metrics
