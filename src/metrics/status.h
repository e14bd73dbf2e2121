#pragma once
// The status model: what a pipeline reports (PipelineReport: cumulative counters and current values, published
// about once a second) and what `/status` serves (ProcessStatus: the same with rates per second, recent errors and
// times), with the JSON serializer of the latter. The status page reads exactly this JSON.
//
// /status schema (times are milliseconds since the Unix epoch; *_per_s are rates over the board's window; a lag
// field is null when the pipeline does not know it):
// {
//   "version": "0.1.0", "started_at": 1700000000000, "now": 1700000012345,
//   "pipelines": [{
//     "name": "orders-sink", "kind": "sink" | "source",
//     "state": "starting" | "running" | "draining" | "stopped" | "failed",
//     "started_at": 1700000000100, "updated_at": 1700000012000,
//     "counters": {"records_in", "records_out", "bytes_in", "bytes_out", "failures", "retries", "throttles"},
//     "rates": {"records_in_per_s", "records_out_per_s", "bytes_in_per_s", "bytes_out_per_s", "failures_per_s"},
//     "in_flight": {"messages", "bytes"},
//     "lag": {"backlog_messages": n|null, "millis_behind_latest": n|null, "checkpoint_lag_records": n|null},
//     "shards": [{"id", "records_per_s", "bytes_per_s", "records", "bytes", "millis_behind_latest": n|null,
//                 "lease_owner": "worker-1"|null, "throttles"}],
//     "topics": [{"name", "records_per_s", "records"}],
//     "recent_errors": [{"time", "message", "count"}]   // newest first; count: repeats folded into this entry
//   }]
// }
// Sink: records_in = Pulsar messages received, records_out = user records Kinesis accepted, bytes_out = bytes
// put, shards = where records went, topics = where messages came from. Source: records_in / bytes_in = user
// records read from Kinesis, records_out / bytes_out = messages Pulsar confirmed, topics = destination topics.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pk::metrics {

enum class PipelineKind { kSink, kSource };
enum class PipelineState { kStarting, kRunning, kDraining, kStopped, kFailed };

std::string_view to_string(PipelineKind kind);
std::string_view to_string(PipelineState state);

struct PipelineCounters {
  uint64_t records_in = 0;
  uint64_t records_out = 0;
  uint64_t bytes_in = 0;
  uint64_t bytes_out = 0;
  uint64_t failures = 0;
  uint64_t retries = 0;
  uint64_t throttles = 0;
};

struct PipelineLag {
  std::optional<int64_t> backlog_messages = {};        // sink: the subscription's backlog in Pulsar
  std::optional<int64_t> millis_behind_latest = {};    // source: the largest of its shards
  std::optional<int64_t> checkpoint_lag_records = {};  // source: read and not yet checkpointed, all shards
};

// ---- What a pipeline publishes (cumulative counters; the board computes the rates)

struct ShardReport {
  std::string id = {};
  uint64_t records = 0;  // sink: user records put to the shard; source: user records read from it
  uint64_t bytes = 0;
  uint64_t throttles = 0;
  std::optional<int64_t> millis_behind_latest = {};  // source
  std::optional<std::string> lease_owner = {};       // source: the worker holding the lease
};

struct TopicReport {
  std::string name = {};
  uint64_t records = 0;  // sink: messages received from it; source: messages published to it
};

struct PipelineReport {
  PipelineState state = PipelineState::kRunning;
  PipelineCounters counters = {};
  uint64_t in_flight_messages = 0;
  uint64_t in_flight_bytes = 0;
  PipelineLag lag = {};
  std::vector<ShardReport> shards = {};
  std::vector<TopicReport> topics = {};
};

// ---- What /status serves

struct PipelineRates {
  double records_in_per_s = 0;
  double records_out_per_s = 0;
  double bytes_in_per_s = 0;
  double bytes_out_per_s = 0;
  double failures_per_s = 0;
};

struct ShardStatus {
  std::string id = {};
  double records_per_s = 0;
  double bytes_per_s = 0;
  uint64_t records = 0;
  uint64_t bytes = 0;
  std::optional<int64_t> millis_behind_latest = {};
  std::optional<std::string> lease_owner = {};
  uint64_t throttles = 0;
};

struct TopicStatus {
  std::string name = {};
  double records_per_s = 0;
  uint64_t records = 0;
};

struct ErrorStatus {
  int64_t time = 0;  // ms since the epoch, of the latest occurrence
  std::string message = {};
  uint64_t count = 1;  // occurrences folded into this entry (the same message in a row)
};

struct PipelineStatus {
  std::string name = {};
  PipelineKind kind = PipelineKind::kSink;
  PipelineState state = PipelineState::kStarting;
  int64_t started_at = 0;
  int64_t updated_at = 0;  // 0 until the first report
  PipelineCounters counters = {};
  PipelineRates rates = {};
  uint64_t in_flight_messages = 0;
  uint64_t in_flight_bytes = 0;
  PipelineLag lag = {};
  std::vector<ShardStatus> shards = {};
  std::vector<TopicStatus> topics = {};
  std::vector<ErrorStatus> recent_errors = {};  // newest first
};

struct ProcessStatus {
  std::string version = {};
  int64_t started_at = 0;
  int64_t now = 0;
  std::vector<PipelineStatus> pipelines = {};
};

// What /readyz answers: 200 with {"ready": true, "reason": ...} or 503 with {"ready": false, "reason": ...}.
struct Readiness {
  bool ready = false;
  std::string reason = {};  // why not ready, or what makes it ready ("2 pipelines running")
};

// The /status document (schema above). Strings are escaped; bytes that are not UTF-8 become U+FFFD; rates that
// are not finite are written as 0.
std::string to_json(const ProcessStatus& status);
std::string to_json(const Readiness& readiness);

}  // namespace pk::metrics
