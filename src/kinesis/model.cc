#include "kinesis/model.h"

namespace pk::kinesis {

Record::Record(const RecordView& view)
    : RecordView(view), owner(view.storage != nullptr ? view.storage->shared_from_this() : nullptr) {}

SequenceNumber RecordView::sequence() const {
  return SequenceNumber::from_digits(sequence_number).value_or(SequenceNumber{});
}

std::string_view to_string(EncryptionType type) {
  return type == EncryptionType::kKms ? "KMS" : "NONE";
}

std::string_view to_string(StreamStatus status) {
  switch (status) {
    case StreamStatus::kCreating:
      return "CREATING";
    case StreamStatus::kDeleting:
      return "DELETING";
    case StreamStatus::kActive:
      return "ACTIVE";
    case StreamStatus::kUpdating:
      return "UPDATING";
    case StreamStatus::kUnknown:
      break;
  }
  return "UNKNOWN";
}

StreamStatus stream_status_from(std::string_view text) {
  if (text == "ACTIVE") return StreamStatus::kActive;
  if (text == "CREATING") return StreamStatus::kCreating;
  if (text == "UPDATING") return StreamStatus::kUpdating;
  if (text == "DELETING") return StreamStatus::kDeleting;
  return StreamStatus::kUnknown;
}

std::string_view to_string(ConsumerStatus status) {
  switch (status) {
    case ConsumerStatus::kCreating:
      return "CREATING";
    case ConsumerStatus::kDeleting:
      return "DELETING";
    case ConsumerStatus::kActive:
      return "ACTIVE";
    case ConsumerStatus::kUnknown:
      break;
  }
  return "UNKNOWN";
}

ConsumerStatus consumer_status_from(std::string_view text) {
  if (text == "ACTIVE") return ConsumerStatus::kActive;
  if (text == "CREATING") return ConsumerStatus::kCreating;
  if (text == "DELETING") return ConsumerStatus::kDeleting;
  return ConsumerStatus::kUnknown;
}

std::string_view to_string(ShardIteratorType type) {
  switch (type) {
    case ShardIteratorType::kAtSequenceNumber:
      return "AT_SEQUENCE_NUMBER";
    case ShardIteratorType::kAfterSequenceNumber:
      return "AFTER_SEQUENCE_NUMBER";
    case ShardIteratorType::kTrimHorizon:
      return "TRIM_HORIZON";
    case ShardIteratorType::kLatest:
      return "LATEST";
    case ShardIteratorType::kAtTimestamp:
      return "AT_TIMESTAMP";
  }
  return "LATEST";
}

std::string_view to_string(ShardFilterType type) {
  switch (type) {
    case ShardFilterType::kAtLatest:
      return "AT_LATEST";
    case ShardFilterType::kAtTrimHorizon:
      return "AT_TRIM_HORIZON";
    case ShardFilterType::kFromTrimHorizon:
      return "FROM_TRIM_HORIZON";
    case ShardFilterType::kAfterShardId:
      return "AFTER_SHARD_ID";
    case ShardFilterType::kAtTimestamp:
      return "AT_TIMESTAMP";
    case ShardFilterType::kFromTimestamp:
      return "FROM_TIMESTAMP";
  }
  return "AT_LATEST";
}

}  // namespace pk::kinesis
