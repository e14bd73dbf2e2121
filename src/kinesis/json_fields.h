#pragma once
// The Kinesis-typed readers on top of the AWS JSON reader (aws/json_reader.h, whose names this namespace also
// offers, so a codec writes json::get_string and json::required_sequence_number alike): timestamps of epoch
// seconds, sequence numbers and hash keys. Errors are kMalformedInput and name the field.

#include <optional>
#include <string_view>

#include "aws/json_reader.h"
#include "common/result.h"
#include "kinesis/hash_key.h"
#include "kinesis/model.h"
#include "kinesis/sequence_number.h"

namespace pk::kinesis::json {

using namespace pk::aws::json;  // the one reader, extended here

// Epoch seconds with a fraction (or an integer), rounded to milliseconds.
Result<std::optional<Timestamp>> get_timestamp(value v, std::string_view field);
// The conversion get_timestamp makes (shared with the fast scanner): nullopt when `seconds` is not finite or more
// than a million years from the epoch (which would overflow milliseconds).
std::optional<Timestamp> timestamp_from_epoch_seconds(double seconds);

// A missing value (null) is an error for the `required_*` ones.
Result<SequenceNumber> required_sequence_number(value v, std::string_view field);
Result<std::optional<SequenceNumber>> optional_sequence_number(value v, std::string_view field);
Result<HashKey> required_hash_key(value v, std::string_view field);

}  // namespace pk::kinesis::json
