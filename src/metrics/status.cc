#include "metrics/status.h"

#include <cmath>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "metrics/text_format.h"

namespace pk::metrics {
namespace {

using JsonOut = rapidjson::Writer<rapidjson::StringBuffer>;

// Writes status documents; strings go through a UTF-8 repair first, so the document is always valid JSON.
class StatusWriter {
 public:
  explicit StatusWriter(JsonOut& out) : out_(out) {}

  void key(std::string_view k) { out_.Key(k.data(), static_cast<rapidjson::SizeType>(k.size())); }
  void string(std::string_view s) {
    if (is_valid_utf8(s)) {
      out_.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
      return;
    }
    scratch_.clear();
    append_valid_utf8(scratch_, s);
    out_.String(scratch_.data(), static_cast<rapidjson::SizeType>(scratch_.size()));
  }
  void member(std::string_view k, std::string_view s) {
    key(k);
    string(s);
  }
  void member(std::string_view k, uint64_t v) {
    key(k);
    out_.Uint64(v);
  }
  void member(std::string_view k, int64_t v) {
    key(k);
    out_.Int64(v);
  }
  void member(std::string_view k, double v) {
    key(k);
    out_.Double(std::isfinite(v) ? v : 0.0);
  }
  void nullable(std::string_view k, const std::optional<int64_t>& v) {
    key(k);
    if (v) {
      out_.Int64(*v);
    } else {
      out_.Null();
    }
  }
  void nullable(std::string_view k, const std::optional<std::string>& v) {
    key(k);
    if (v) {
      string(*v);
    } else {
      out_.Null();
    }
  }
  template <typename F>
  void object(std::string_view k, F body) {
    key(k);
    out_.StartObject();
    body();
    out_.EndObject();
  }
  template <typename T, typename F>
  void array(std::string_view k, const std::vector<T>& items, F each) {
    key(k);
    out_.StartArray();
    for (const T& item : items) {
      out_.StartObject();
      each(item);
      out_.EndObject();
    }
    out_.EndArray();
  }

  void pipeline(const PipelineStatus& p);

 private:
  JsonOut& out_;
  std::string scratch_;
};

void StatusWriter::pipeline(const PipelineStatus& p) {
  member("name", p.name);
  member("kind", to_string(p.kind));
  member("state", to_string(p.state));
  member("started_at", p.started_at);
  member("updated_at", p.updated_at);
  object("counters", [&] {
    member("records_in", p.counters.records_in);
    member("records_out", p.counters.records_out);
    member("bytes_in", p.counters.bytes_in);
    member("bytes_out", p.counters.bytes_out);
    member("failures", p.counters.failures);
    member("retries", p.counters.retries);
    member("throttles", p.counters.throttles);
  });
  object("rates", [&] {
    member("records_in_per_s", p.rates.records_in_per_s);
    member("records_out_per_s", p.rates.records_out_per_s);
    member("bytes_in_per_s", p.rates.bytes_in_per_s);
    member("bytes_out_per_s", p.rates.bytes_out_per_s);
    member("failures_per_s", p.rates.failures_per_s);
  });
  object("in_flight", [&] {
    member("messages", p.in_flight_messages);
    member("bytes", p.in_flight_bytes);
  });
  object("lag", [&] {
    nullable("backlog_messages", p.lag.backlog_messages);
    nullable("millis_behind_latest", p.lag.millis_behind_latest);
    nullable("checkpoint_lag_records", p.lag.checkpoint_lag_records);
  });
  array("shards", p.shards, [&](const ShardStatus& s) {
    member("id", s.id);
    member("records_per_s", s.records_per_s);
    member("bytes_per_s", s.bytes_per_s);
    member("records", s.records);
    member("bytes", s.bytes);
    nullable("millis_behind_latest", s.millis_behind_latest);
    nullable("lease_owner", s.lease_owner);
    member("throttles", s.throttles);
  });
  array("topics", p.topics, [&](const TopicStatus& t) {
    member("name", t.name);
    member("records_per_s", t.records_per_s);
    member("records", t.records);
  });
  array("recent_errors", p.recent_errors, [&](const ErrorStatus& e) {
    member("time", e.time);
    member("message", e.message);
    member("count", e.count);
  });
}

}  // namespace

std::string_view to_string(PipelineKind kind) {
  return kind == PipelineKind::kSink ? "sink" : "source";
}

std::string_view to_string(PipelineState state) {
  switch (state) {
    case PipelineState::kStarting:
      return "starting";
    case PipelineState::kRunning:
      return "running";
    case PipelineState::kDraining:
      return "draining";
    case PipelineState::kStopped:
      return "stopped";
    case PipelineState::kFailed:
      return "failed";
  }
  return "unknown";
}

std::string to_json(const ProcessStatus& status) {
  rapidjson::StringBuffer buffer;
  JsonOut out(buffer);
  StatusWriter w(out);
  out.StartObject();
  w.member("version", status.version);
  w.member("started_at", status.started_at);
  w.member("now", status.now);
  w.key("pipelines");
  out.StartArray();
  for (const PipelineStatus& p : status.pipelines) {
    out.StartObject();
    w.pipeline(p);
    out.EndObject();
  }
  out.EndArray();
  out.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

std::string to_json(const Readiness& readiness) {
  rapidjson::StringBuffer buffer;
  JsonOut out(buffer);
  StatusWriter w(out);
  out.StartObject();
  w.key("ready");
  out.Bool(readiness.ready);
  w.member("reason", readiness.reason);
  out.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace pk::metrics
