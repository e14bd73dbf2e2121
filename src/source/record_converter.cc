#include "source/record_converter.h"

#include <chrono>

#include <fmt/format.h>

namespace pk::source {

Result<RecordProperties> RecordProperties::from_names(const std::vector<std::string>& names) {
  RecordProperties p;
  p.arrival_timestamp = p.encryption_type = p.partition_key = p.sequence_number = false;
  for (const auto& raw : names) {
    std::string_view name = raw;
    while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    if (name == "kinesis.arrival.timestamp") {
      p.arrival_timestamp = true;
    } else if (name == "kinesis.encryption.type") {
      p.encryption_type = true;
    } else if (name == "kinesis.partition.key") {
      p.partition_key = true;
    } else if (name == "kinesis.sequence.number") {
      p.sequence_number = true;
    } else if (name == "kinesis.shard.id") {
      p.shard_id = true;
    } else if (name == "kinesis.millis.behind.latest") {
      p.millis_behind_latest = true;
    } else if (!name.empty()) {
      return make_error(ErrorCode::kInvalidArgument,
                        fmt::format("kinesisRecordProperties: unknown property '{}'", name));
    }
  }
  return p;
}

namespace {

char* put_digits(char* out, unsigned value, int width) {
  for (int i = width - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  return out + width;
}

}  // namespace

void append_instant_text(kinesis::Timestamp t, std::string& out) {
  using namespace std::chrono;
  // Records of one batch mostly share their second: remember the last second's text.
  thread_local int64_t cached_second = INT64_MIN;
  thread_local char cached[19];
  const int64_t ms_total = t.time_since_epoch().count();
  const int64_t second = ms_total >= 0 ? ms_total / 1000 : (ms_total - 999) / 1000;
  const auto ms = static_cast<unsigned>(ms_total - second * 1000);
  if (second != cached_second) {
    const sys_seconds whole{seconds(second)};
    const auto days = floor<std::chrono::days>(whole);
    const year_month_day date{days};
    const hh_mm_ss<seconds> time{whole - days};
    char* p = put_digits(cached, static_cast<unsigned>(static_cast<int>(date.year())), 4);
    *p++ = '-';
    p = put_digits(p, static_cast<unsigned>(date.month()), 2);
    *p++ = '-';
    p = put_digits(p, static_cast<unsigned>(date.day()), 2);
    *p++ = 'T';
    p = put_digits(p, static_cast<unsigned>(time.hours().count()), 2);
    *p++ = ':';
    p = put_digits(p, static_cast<unsigned>(time.minutes().count()), 2);
    *p++ = ':';
    put_digits(p, static_cast<unsigned>(time.seconds().count()), 2);
    cached_second = second;
  }
  out.append(cached, sizeof(cached));
  if (ms != 0) {
    char fraction[4] = {'.'};
    put_digits(fraction + 1, ms, 3);
    out.append(fraction, 4);
  }
  out.push_back('Z');
}

std::string instant_text(kinesis::Timestamp t) {
  std::string out;
  append_instant_text(t, out);
  return out;
}

void to_message(const ConverterSettings& settings, const RecordParts& record, const kinesis::ShardId& shard,
                int64_t millis_behind_latest, pulsar::OutgoingMessage& out) {
  const kinesis::RecordView& parent = *record.parent;
  out.payload.assign(record.data);
  out.key = settings.key_mode == KeyMode::kShardId ? shard.str() : std::string(record.partition_key);
  out.event_time = static_cast<uint64_t>(parent.approximate_arrival.time_since_epoch().count());
  out.properties.clear();
  const RecordProperties& p = settings.properties;
  if (p.arrival_timestamp)
    out.properties.emplace_back("kinesis.arrival.timestamp", instant_text(parent.approximate_arrival));
  if (p.encryption_type)
    out.properties.emplace_back("kinesis.encryption.type", std::string(kinesis::to_string(parent.encryption_type)));
  if (p.partition_key) out.properties.emplace_back("kinesis.partition.key", std::string(record.partition_key));
  if (p.sequence_number) out.properties.emplace_back("kinesis.sequence.number", std::string(parent.sequence_number));
  if (p.shard_id) out.properties.emplace_back("kinesis.shard.id", shard.str());
  if (p.millis_behind_latest)
    out.properties.emplace_back("kinesis.millis.behind.latest", std::to_string(millis_behind_latest));
}

}  // namespace pk::source
