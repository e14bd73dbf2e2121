#include "kinesis/json_fields.h"

#include <cmath>

namespace pk::kinesis::json {

Result<std::optional<Timestamp>> get_timestamp(value v, std::string_view field) {
  PK_ASSIGN_OR_RETURN(const auto seconds, get_double(v, field, "a number of epoch seconds"));
  if (!seconds) return std::optional<Timestamp>{};
  auto t = timestamp_from_epoch_seconds(*seconds);
  if (!t) return field_error(field, "timestamp out of range");
  return t;
}

std::optional<Timestamp> timestamp_from_epoch_seconds(double seconds) {
  // Beyond a million years either way is not a timestamp (and would overflow milliseconds).
  if (!std::isfinite(seconds) || std::fabs(seconds) > 3e13) return std::nullopt;
  return Timestamp(std::chrono::milliseconds(std::llround(seconds * 1000.0)));
}

Result<SequenceNumber> required_sequence_number(value v, std::string_view field) {
  PK_ASSIGN_OR_RETURN(auto s, get_string(v, field));
  if (!s) return field_error(field, "missing");
  return SequenceNumber::parse(*s, field);
}

Result<std::optional<SequenceNumber>> optional_sequence_number(value v, std::string_view field) {
  PK_ASSIGN_OR_RETURN(auto s, get_string(v, field));
  if (!s) return std::optional<SequenceNumber>{};
  PK_ASSIGN_OR_RETURN(auto n, SequenceNumber::parse(*s, field));
  return std::optional<SequenceNumber>{std::move(n)};
}

Result<HashKey> required_hash_key(value v, std::string_view field) {
  PK_ASSIGN_OR_RETURN(auto s, get_string(v, field));
  if (!s) return field_error(field, "missing");
  auto key = HashKey::parse(*s, field);
  if (!key.ok()) {
    Error e = std::move(key).error();
    e.code = ErrorCode::kMalformedInput;  // a bad hash key in a response is malformed input, not a bad argument
    return e;
  }
  return *key;
}

}  // namespace pk::kinesis::json
