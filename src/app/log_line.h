#pragma once
// One line of the daemon's log, as text for people or as a JSON object for log shippers, with the fields a line
// about a pipeline carries: the pipeline (from the loop that wrote it), and the shard and topic its message names.
//
//   text: 2024-05-01T10:00:00.123Z INFO  [sink] public/default/orders: subscribed to 1 topic(s) ...
//   json: {"time":"2024-05-01T10:00:00.123Z","level":"info","logger":"sink","pipeline":"public/default/orders",
//          "topic":"persistent://public/default/in","message":"public/default/orders: subscribed ..."}
//
// Pure functions.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace pk::app {

enum class LogFormat { kText, kJson };

struct LogLine {
  std::chrono::system_clock::time_point time = {};
  std::string_view level = {};     // trace, debug, info, warn, error, critical
  std::string_view logger = {};    // the module
  std::string_view pipeline = {};  // empty: the line is about no pipeline
  std::string_view message = {};
  uint64_t suppressed = 0;  // similar lines left out since this one was last written (rate limit)
};

// The shard ("shardId-000000000001") and topic ("persistent://tenant/ns/name") a message names; empty when none.
struct LineSubjects {
  std::string_view shard;
  std::string_view topic;
};
LineSubjects find_subjects(std::string_view message);

// Appends the line, ending in '\n'. Text adds "pipeline: " in front of the message unless it starts so already;
// JSON always has time, level, logger and message, the other fields only when known.
void append_log_line(std::string& out, const LogLine& line, LogFormat format);

// "2024-05-01T10:00:00.123Z" (UTC, milliseconds).
void append_utc_time(std::string& out, std::chrono::system_clock::time_point time);

}  // namespace pk::app
