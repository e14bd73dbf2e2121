#pragma once
// The rate limit of repeated log lines: the same line (same logger, level, pipeline and shape of the text: numbers
// do not count, so "message 12:3 not delivered" repeats "message 12:4 not delivered", but shard ids do) is written at
// most once per window; the repeats in between are counted, and the count goes out with the next line written.
//
//   LogRateLimit limit(std::chrono::seconds(10));
//   if (auto suppressed = limit.admit(key, now)) write(line, *suppressed);   // else: left out
//
// Keeps at most `max_keys` lines in memory (forgetting those whose window is over first; beyond that, new lines
// are written unlimited). Pure state over explicit time; owned by the log output, used under its lock.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace pk::app {

// The text with every run of digits as one '#', except in shard ids ("shardId-000000000001" stays): what makes two
// lines "the same" for the limit.
std::string line_shape(std::string_view text);

class LogRateLimit {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;

  explicit LogRateLimit(std::chrono::milliseconds window = std::chrono::seconds(10), size_t max_keys = 4096);

  // nullopt: leave the line out (written less than `window` ago). Else write it, with the number of its repeats
  // left out since it was last written.
  std::optional<uint64_t> admit(std::string_view key, TimePoint now);
  size_t tracked() const { return seen_.size(); }

 private:
  struct Seen {
    TimePoint written;
    uint64_t suppressed = 0;
  };
  void forget_old(TimePoint now);

  std::chrono::milliseconds window_;
  size_t max_keys_;
  std::unordered_map<std::string, Seen> seen_;
};

}  // namespace pk::app
