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

std::string instant_text(kinesis::Timestamp t) {
  using namespace std::chrono;
  const auto days = floor<std::chrono::days>(t);
  const year_month_day date{days};
  const hh_mm_ss<milliseconds> time{t - days};
  const auto ms = time.subseconds().count();
  std::string out = fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", static_cast<int>(date.year()),
                                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                                time.hours().count(), time.minutes().count(), time.seconds().count());
  if (ms != 0) fmt::format_to(std::back_inserter(out), ".{:03}", ms);
  out += 'Z';
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
