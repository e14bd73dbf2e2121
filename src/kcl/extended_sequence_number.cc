#include "kcl/extended_sequence_number.h"

#include <fmt/format.h>

namespace pk::kcl {
namespace {

// The KCL's order of the start sentinels below every sequence number: AT_TIMESTAMP -3, TRIM_HORIZON -2, LATEST -1.
int rank(Sentinel s) {
  switch (s) {
    case Sentinel::kAtTimestamp:
      return 0;
    case Sentinel::kTrimHorizon:
      return 1;
    case Sentinel::kLatest:
      return 2;
    case Sentinel::kNone:
      return 3;
    case Sentinel::kShardEnd:
      return 4;
  }
  return 3;
}

}  // namespace

std::string_view to_string(Sentinel sentinel) {
  switch (sentinel) {
    case Sentinel::kTrimHorizon:
      return "TRIM_HORIZON";
    case Sentinel::kLatest:
      return "LATEST";
    case Sentinel::kAtTimestamp:
      return "AT_TIMESTAMP";
    case Sentinel::kShardEnd:
      return "SHARD_END";
    case Sentinel::kNone:
      break;
  }
  return "";
}

ExtendedSequenceNumber ExtendedSequenceNumber::at(kinesis::SequenceNumber sequence, int64_t sub_sequence) {
  ExtendedSequenceNumber n(Sentinel::kNone);
  n.sequence_ = std::move(sequence);
  n.sub_sequence_ = sub_sequence;
  return n;
}

Result<ExtendedSequenceNumber> ExtendedSequenceNumber::parse(std::string_view text, int64_t sub_sequence,
                                                             std::string_view what) {
  if (sub_sequence < 0) {
    return make_error(ErrorCode::kMalformedInput,
                      fmt::format("{}: sub-sequence number {} is negative", what, sub_sequence));
  }
  for (Sentinel s : {Sentinel::kTrimHorizon, Sentinel::kLatest, Sentinel::kAtTimestamp, Sentinel::kShardEnd}) {
    if (text == kcl::to_string(s)) {
      ExtendedSequenceNumber n(s);
      n.sub_sequence_ = sub_sequence;
      return n;
    }
  }
  auto sequence = kinesis::SequenceNumber::parse(text, what);
  if (!sequence.ok()) {
    return make_error(ErrorCode::kMalformedInput,
                      fmt::format("{}: \"{}\" is neither a sequence number nor TRIM_HORIZON, LATEST, AT_TIMESTAMP or "
                                  "SHARD_END",
                                  what, text));
  }
  return at(std::move(*sequence), sub_sequence);
}

std::string ExtendedSequenceNumber::text() const {
  return is_sentinel() ? std::string(kcl::to_string(sentinel_)) : sequence_.str();
}

std::string ExtendedSequenceNumber::to_string() const {
  return fmt::format("{}/{}", text(), sub_sequence_);
}

std::strong_ordering operator<=>(const ExtendedSequenceNumber& a, const ExtendedSequenceNumber& b) {
  if (auto c = rank(a.sentinel_) <=> rank(b.sentinel_); c != 0) return c;
  if (!a.is_sentinel()) {
    if (auto c = a.sequence_ <=> b.sequence_; c != 0) return c;
  }
  return a.sub_sequence_ <=> b.sub_sequence_;
}

Result<kinesis::StartingPosition> resume_position(const ExtendedSequenceNumber& checkpoint,
                                                  kinesis::Timestamp at_timestamp) {
  switch (checkpoint.sentinel()) {
    case Sentinel::kTrimHorizon:
      return kinesis::StartingPosition::trim_horizon();
    case Sentinel::kLatest:
      return kinesis::StartingPosition::latest();
    case Sentinel::kAtTimestamp:
      return kinesis::StartingPosition::at_timestamp(at_timestamp);
    case Sentinel::kShardEnd:
      return make_error(ErrorCode::kInvalidArgument, "the shard was read to its end (checkpoint SHARD_END)");
    case Sentinel::kNone:
      break;
  }
  return kinesis::StartingPosition::at(checkpoint.sequence_number());
}

bool already_processed(const ExtendedSequenceNumber& checkpoint, const kinesis::SequenceNumber& sequence,
                       int64_t sub_sequence) {
  if (checkpoint.is_shard_end()) return true;
  if (checkpoint.is_sentinel()) return false;
  return ExtendedSequenceNumber::at(sequence, sub_sequence) <= checkpoint;
}

}  // namespace pk::kcl
