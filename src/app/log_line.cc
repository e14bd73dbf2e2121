#include "app/log_line.h"

#include <ctime>

#include <fmt/format.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "metrics/text_format.h"

namespace pk::app {

namespace {

bool is_shard_char(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '_';
}

bool ends_topic(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == ',' || c == ';' || c == ':' || c == ')' || c == '(' || c == '\'' ||
         c == '"' || c == '[' || c == ']' || c == '{' || c == '}';
}

std::string_view find_shard(std::string_view message) {
  constexpr std::string_view kPrefix = "shardId-";
  const size_t at = message.find(kPrefix);
  if (at == std::string_view::npos) return {};
  size_t end = at + kPrefix.size();
  while (end < message.size() && is_shard_char(message[end])) ++end;
  if (end == at + kPrefix.size()) return {};
  return message.substr(at, end - at);
}

std::string_view find_topic(std::string_view message) {
  constexpr std::string_view kScheme = "persistent://";
  const size_t at = message.find(kScheme);
  if (at == std::string_view::npos) return {};
  size_t begin = at;
  if (begin >= 4 && message.substr(begin - 4, 4) == "non-") begin -= 4;
  size_t end = at + kScheme.size();
  while (end < message.size() && !ends_topic(message[end])) ++end;
  while (end > at + kScheme.size() && message[end - 1] == '.') --end;  // the end of a sentence
  if (end == at + kScheme.size()) return {};
  return message.substr(begin, end - begin);
}

std::string_view text_level(std::string_view level) {
  if (level == "trace") return "TRACE";
  if (level == "debug") return "DEBUG";
  if (level == "info") return "INFO ";
  if (level == "warn" || level == "warning") return "WARN ";
  if (level == "error") return "ERROR";
  if (level == "critical") return "CRIT ";
  return level;
}

std::string_view json_level(std::string_view level) {
  return level == "warning" ? "warn" : level;
}

void append_text(std::string& out, const LogLine& line) {
  append_utc_time(out, line.time);
  out += ' ';
  out += text_level(line.level);
  out += " [";
  out += line.logger;
  out += "] ";
  const bool named = line.message.size() > line.pipeline.size() && line.message.starts_with(line.pipeline) &&
                     line.message[line.pipeline.size()] == ':';
  if (!line.pipeline.empty() && !named) {
    out += line.pipeline;
    out += ": ";
  }
  // One line per record: a message with line breaks keeps them visible but escaped.
  for (char c : line.message) {
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else {
      out += c;
    }
  }
  if (line.suppressed > 0) {
    fmt::format_to(std::back_inserter(out), " (+{} similar line{} suppressed)", line.suppressed,
                   line.suppressed == 1 ? "" : "s");
  }
  out += '\n';
}

void append_json(std::string& out, const LogLine& line) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> json(buffer);
  std::string scratch;
  auto member = [&](std::string_view key, std::string_view value) {
    json.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
    if (metrics::is_valid_utf8(value)) {
      json.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
    } else {
      scratch.clear();
      metrics::append_valid_utf8(scratch, value);
      json.String(scratch.data(), static_cast<rapidjson::SizeType>(scratch.size()));
    }
  };
  std::string time;
  append_utc_time(time, line.time);
  json.StartObject();
  member("time", time);
  member("level", json_level(line.level));
  member("logger", line.logger);
  if (!line.pipeline.empty()) member("pipeline", line.pipeline);
  const LineSubjects subjects = find_subjects(line.message);
  if (!subjects.topic.empty()) member("topic", subjects.topic);
  if (!subjects.shard.empty()) member("shard", subjects.shard);
  member("message", line.message);
  if (line.suppressed > 0) {
    json.Key("suppressed");
    json.Uint64(line.suppressed);
  }
  json.EndObject();
  out.append(buffer.GetString(), buffer.GetSize());
  out += '\n';
}

}  // namespace

LineSubjects find_subjects(std::string_view message) {
  return LineSubjects{.shard = find_shard(message), .topic = find_topic(message)};
}

void append_utc_time(std::string& out, std::chrono::system_clock::time_point time) {
  const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
  const std::time_t seconds = static_cast<std::time_t>(millis / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  fmt::format_to(std::back_inserter(out), "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", utc.tm_year + 1900,
                 utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, millis % 1000);
}

void append_log_line(std::string& out, const LogLine& line, LogFormat format) {
  if (format == LogFormat::kJson) {
    append_json(out, line);
  } else {
    append_text(out, line);
  }
}

}  // namespace pk::app
