#pragma once
// The fast path for the two bodies a Kinesis reader decodes most: GetRecords responses and SubscribeToShard
// events. One strict pass over the bytes for the shape these bodies have in practice: printable-ASCII strings
// without escapes, members in any order, unknown members (skipped, nested or not), explicit nulls, no child
// shards. Records are built in that pass: Data is base64-decoded straight from the body, nothing else is copied
// twice.
//
// The scanner never reports errors. On anything outside that shape (escapes, non-ASCII text, child shards, a
// member given twice, malformed JSON of any kind) it answers false and the caller reads the body with the general
// simdjson reader (record_json.h), which reads it or names what is wrong. When the scanner does read a body, the
// result is exactly the general reader's; unit tests and the GetRecords / SubscribeToShard fuzz targets compare
// the two.

#include <string_view>

namespace pk::kinesis {

struct GetRecordsResponse;
struct SubscribeToShardEvent;

// True when `body` was read into `out` (which must be empty); false: use the general reader (`out` is then in an
// unspecified state and must be reset).
bool scan_get_records_response(std::string_view body, GetRecordsResponse& out);
bool scan_subscribe_to_shard_event(std::string_view payload, SubscribeToShardEvent& out);

}  // namespace pk::kinesis
