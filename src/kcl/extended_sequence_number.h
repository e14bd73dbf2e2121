#pragma once
// A checkpoint as the KCL stores it in a lease: a Kinesis sequence number plus a sub-sequence number (the index of
// a record inside a KPL aggregate), or one of four sentinel strings: TRIM_HORIZON, LATEST, AT_TIMESTAMP (where to
// start a shard nobody read yet) and SHARD_END (the shard was read to its end and everything was processed).
// Ordered as the KCL orders them: AT_TIMESTAMP < TRIM_HORIZON < LATEST < every sequence number < SHARD_END, ties
// broken by the sub-sequence number. Pure value type.

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"
#include "kinesis/model.h"
#include "kinesis/sequence_number.h"

namespace pk::kcl {

enum class Sentinel { kNone, kTrimHorizon, kLatest, kAtTimestamp, kShardEnd };
// "TRIM_HORIZON", "LATEST", "AT_TIMESTAMP", "SHARD_END"; "" for kNone.
std::string_view to_string(Sentinel sentinel);

class ExtendedSequenceNumber {
 public:
  ExtendedSequenceNumber() : sentinel_(Sentinel::kTrimHorizon) {}

  static ExtendedSequenceNumber trim_horizon() { return ExtendedSequenceNumber(Sentinel::kTrimHorizon); }
  static ExtendedSequenceNumber latest() { return ExtendedSequenceNumber(Sentinel::kLatest); }
  static ExtendedSequenceNumber at_timestamp() { return ExtendedSequenceNumber(Sentinel::kAtTimestamp); }
  static ExtendedSequenceNumber shard_end() { return ExtendedSequenceNumber(Sentinel::kShardEnd); }
  // A record position: its sequence number and its sub-sequence number (0 for a record that is not an aggregate).
  static ExtendedSequenceNumber at(kinesis::SequenceNumber sequence, int64_t sub_sequence = 0);

  // From the lease item's `checkpoint` text (digits or a sentinel name) and `checkpointSubSequenceNumber`; `what`
  // names the attribute in errors. A negative sub-sequence number is refused.
  static Result<ExtendedSequenceNumber> parse(std::string_view text, int64_t sub_sequence,
                                              std::string_view what = "checkpoint");

  Sentinel sentinel() const { return sentinel_; }
  bool is_sentinel() const { return sentinel_ != Sentinel::kNone; }
  bool is_shard_end() const { return sentinel_ == Sentinel::kShardEnd; }
  // Empty for sentinels.
  const kinesis::SequenceNumber& sequence_number() const { return sequence_; }
  int64_t sub_sequence_number() const { return sub_sequence_; }

  // The `checkpoint` attribute's text: the digits or the sentinel name.
  std::string text() const;
  // "<text>/<sub-sequence>" for messages and the record counter's position.
  std::string to_string() const;

  friend std::strong_ordering operator<=>(const ExtendedSequenceNumber& a, const ExtendedSequenceNumber& b);
  friend bool operator==(const ExtendedSequenceNumber& a, const ExtendedSequenceNumber& b) { return (a <=> b) == 0; }

 private:
  explicit ExtendedSequenceNumber(Sentinel sentinel) : sentinel_(sentinel) {}

  Sentinel sentinel_;
  kinesis::SequenceNumber sequence_;
  int64_t sub_sequence_ = 0;
};

// Where to start reading a shard whose lease holds `checkpoint` (the KCL's choice): the start sentinels map to
// TRIM_HORIZON, LATEST and AT_TIMESTAMP (`at_timestamp` being the configured start time); a sequence number to
// AT_SEQUENCE_NUMBER, the reader then skipping what already_processed() says (so that the rest of an aggregate
// checkpointed in its middle is not lost). SHARD_END is an error: there is nothing left to read.
Result<kinesis::StartingPosition> resume_position(const ExtendedSequenceNumber& checkpoint,
                                                  kinesis::Timestamp at_timestamp);
// Whether the (sub-)record at (sequence, sub_sequence) is at or before `checkpoint`.
bool already_processed(const ExtendedSequenceNumber& checkpoint, const kinesis::SequenceNumber& sequence,
                       int64_t sub_sequence);

}  // namespace pk::kcl
