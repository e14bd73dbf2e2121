#pragma once
// Reading KPL aggregated records (format.h) back into their user records, as the KCL does: bytes that do not start
// with the magic are a plain record; bytes that do are an aggregate only if the MD5 trailer matches and the
// protobuf parses (proto2 rules: unknown fields skipped, required fields checked, the last value of a repeated
// scalar wins) with every key index inside its table. Anything else is corrupt, and the caller passes the bytes on
// as one plain record and counts it (the KCL does the same), so nothing is lost. Pure functions over bytes; the
// sub-records are views into the input.

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace pk::kpl {

// One user record of an aggregate. The views point into the aggregate's bytes.
struct SubRecord {
  std::string_view partition_key;
  std::optional<std::string_view> explicit_hash_key;
  std::string_view data;
  uint64_t sub_sequence_number = 0;  // its index in the aggregate

  friend bool operator==(const SubRecord&, const SubRecord&) = default;
};

enum class DeaggregateOutcome : uint8_t {
  kAggregate,        // decoded: the sub-records are the record's content
  kNotAggregate,     // no magic: a plain record
  kTooShort,         // magic, but no room for a digest after it
  kDigestMismatch,   // the MD5 trailer does not match the protobuf bytes
  kMalformed,        // the protobuf bytes do not parse (bad varint, length past the end, bad wire type, ...)
  kMissingField,     // a Record without partition_key_index or data, or a Tag without key
  kIndexOutOfRange,  // a Record's key index past the end of its table
  kNoRecords,        // a well-formed aggregate with no records (the KPL never writes one; passed on as plain)
};

// "aggregate", "not an aggregate", "too short", "digest mismatch", ...: for logs and metric labels.
std::string_view to_string(DeaggregateOutcome outcome);

// Bytes that carried the magic but are not a valid aggregate: what the source passes on whole and counts.
constexpr bool is_corrupt(DeaggregateOutcome outcome) {
  return outcome != DeaggregateOutcome::kAggregate && outcome != DeaggregateOutcome::kNotAggregate;
}

bool has_magic(std::string_view bytes);

// Decodes `bytes` into `out` (cleared first; reusing it avoids an allocation per record). On any outcome other
// than kAggregate `out` is left empty.
DeaggregateOutcome deaggregate_into(std::string_view bytes, std::vector<SubRecord>& out);

struct Deaggregation {
  DeaggregateOutcome outcome = DeaggregateOutcome::kNotAggregate;
  std::vector<SubRecord> records;  // empty unless outcome is kAggregate

  bool is_aggregate() const { return outcome == DeaggregateOutcome::kAggregate; }
};
Deaggregation deaggregate(std::string_view bytes);

}  // namespace pk::kpl
