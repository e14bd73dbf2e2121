#pragma once
// The per-shard write limit of Kinesis (1000 records/s and 1 MiB/s per shard), scaled by the sink's `rateLimit`
// (percent; 150 by default, as the KPL: a little over the limit, since the buckets of several producers are not
// coordinated and the service tolerates short bursts). Two token buckets, records and bytes, each holding at most
// one second of its rate; an entry may go when both have enough tokens for it.
//
// It also adapts to throttling: a ProvisionedThroughputExceeded answer for the shard empties both buckets and
// halves the effective rate (down to 10% of the configured one); each second without a throttle gives back 10% of
// the configured rate. So a shard shared with other writers settles near what is left for us instead of being
// hammered with retries.
//
// Pure (times are passed in); one per shard lane; used on the producer's loop only.

#include <chrono>
#include <cstddef>
#include <cstdint>

namespace pk::sink {

class ShardRateLimiter {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;

  static constexpr double kRecordsPerSecond = 1000;
  static constexpr double kBytesPerSecond = 1024 * 1024;

  // `percent` of the shard limits; <= 0 means no limit.
  ShardRateLimiter(double percent, TimePoint now);

  // Whether an entry of `bytes` may be sent now; takes its tokens if so. An entry bigger than a full bucket is
  // allowed when the bucket is full (or it would never go).
  bool try_take(size_t bytes, TimePoint now);
  // When an entry of `bytes` could go, if nothing else takes tokens meanwhile (now when it can go now).
  TimePoint ready_at(size_t bytes, TimePoint now);
  // The shard answered with a throttling error.
  void on_throttled(TimePoint now);

  // The effective fraction of the configured rate (1 = configured; lower after throttling).
  double factor() const { return factor_; }
  bool unlimited() const { return percent_ <= 0; }

 private:
  void refill(TimePoint now);

  double percent_;
  double factor_ = 1.0;
  double records_ = 0;  // tokens
  double bytes_ = 0;
  TimePoint last_refill_;
  TimePoint last_throttle_;
  TimePoint last_recovery_;
};

}  // namespace pk::sink
