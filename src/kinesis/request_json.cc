#include "kinesis/request_json.h"

#include <fmt/format.h>

namespace pk::kinesis {

std::string epoch_seconds_text(Timestamp t) {
  const int64_t ms = t.time_since_epoch().count();
  const int64_t seconds = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
  return fmt::format("{}.{:03}", seconds, ms - seconds * 1000);
}

Status write_stream(JsonWriter& w, std::string_view operation, const StreamRef& stream) {
  if (!stream.arn.empty()) {
    w.string("StreamARN", stream.arn.str());
  } else if (!stream.name.empty()) {
    w.string("StreamName", stream.name.str());
  } else {
    return make_error(ErrorCode::kInvalidArgument,
                      fmt::format("{}: neither StreamName nor StreamARN given", operation));
  }
  return ok_status();
}

Status write_starting_position(JsonWriter& w, std::string_view operation, const StartingPosition& position,
                               std::string_view type_key, std::string_view sequence_key) {
  w.string(type_key, to_string(position.type));
  switch (position.type) {
    case ShardIteratorType::kAtSequenceNumber:
    case ShardIteratorType::kAfterSequenceNumber:
      if (position.sequence_number.empty()) {
        return make_error(ErrorCode::kInvalidArgument,
                          fmt::format("{}: {} needs a {}", operation, to_string(position.type), sequence_key));
      }
      w.string(sequence_key, position.sequence_number.str());
      break;
    case ShardIteratorType::kAtTimestamp:
      w.number_text("Timestamp", epoch_seconds_text(position.timestamp));
      break;
    case ShardIteratorType::kTrimHorizon:
    case ShardIteratorType::kLatest:
      break;
  }
  return ok_status();
}

}  // namespace pk::kinesis
