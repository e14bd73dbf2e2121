#pragma once
// How many PutRecords requests may be in flight at once: maxConnections at most, fewer while Kinesis answers
// slowly or not at all. An endpoint that times out (or drops connections, or answers 5xx) is overloaded, and more
// requests at once only make every one of them slower, until they all time out and are retried together. So,
// as TCP does with its window: each such failure halves the limit (at most once per `cooldown`, so that one
// burst of failures of the requests that were already out counts once), and every `limit` successes add one back,
// up to the maximum. Failures of single records inside an answer (throttling of one shard) are the shard's rate
// limiter's business, not this one's. Pure: the caller passes the time. Owned by KinesisProducer, on its loop.

#include <algorithm>
#include <chrono>
#include <cstddef>

#include "common/result.h"

namespace pk::sink {

class ConcurrencyLimit {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;

  ConcurrencyLimit(size_t maximum, std::chrono::milliseconds cooldown)
      : maximum_(std::max<size_t>(maximum, 1)), limit_(maximum_), cooldown_(cooldown) {}

  size_t limit() const { return limit_; }
  size_t maximum() const { return maximum_; }

  // Whether an error of a whole request says the endpoint is overloaded (rather than the request being wrong).
  static bool means_overload(ErrorCode code) {
    return code == ErrorCode::kTimeout || code == ErrorCode::kUnavailable || code == ErrorCode::kIo ||
           code == ErrorCode::kThrottled;
  }

  // A request was answered. Returns true when the limit went down (the caller may log it).
  bool on_answer(bool overloaded, TimePoint now) {
    if (!overloaded) {
      if (limit_ < maximum_ && ++successes_ >= limit_) {
        ++limit_;
        successes_ = 0;
      }
      return false;
    }
    successes_ = 0;
    if (limit_ == 1 || (decreased_ && now < last_decrease_ + cooldown_)) return false;
    limit_ = std::max<size_t>(limit_ / 2, 1);
    last_decrease_ = now;
    decreased_ = true;
    return true;
  }

 private:
  size_t maximum_;
  size_t limit_;
  std::chrono::milliseconds cooldown_;
  size_t successes_ = 0;
  bool decreased_ = false;
  TimePoint last_decrease_{};
};

}  // namespace pk::sink
