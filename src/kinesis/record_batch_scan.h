#pragma once
// The fast path for the two bodies a Kinesis reader decodes most: GetRecords responses and SubscribeToShard
// events. One strict pass over the bytes for the shape these bodies have in practice: strings without escapes
// (UTF-8 checked), members in any order, unknown members (skipped, nested or not), explicit nulls, no child
// shards. Records are built in that pass with no allocation per record: sequence numbers and partition keys are
// views of the body, Data is base64-decoded straight from it into one buffer for the whole batch.
//
// A writer lays its records out the same way every time, so a record is first read as laid out in one of three
// known orders (the Kinesis API model's; alphabetical, which kinesis-mock writes; the API reference example's),
// starting with the one the previous record had: straight-line code, one comparison per key, each value read in
// one pass (digits, base64 and plain ASCII found 16 bytes at a time, numbers 8 digits at a time). A record in any
// other layout is read member by member.
//
// The scanner never reports errors. On anything outside that shape (escapes, invalid UTF-8, child shards, a
// member given twice, malformed JSON of any kind) it answers false and the caller reads the body with the general
// simdjson reader (record_json.h), which reads it or names what is wrong. When the scanner does read a body, the
// result is exactly the general reader's; unit tests and the GetRecords / SubscribeToShard fuzz targets compare
// the two.

#include <string>

namespace pk::kinesis {

struct GetRecordsResponse;
struct SubscribeToShardEvent;

// True when `body` was read into `out` (which must be empty): the batch `out.records` then owns `body` (moved
// from) and one buffer of decoded bytes; the records' sequence numbers and partition keys view the body, their data
// that buffer.
// False: `body` is untouched, `out` is in an unspecified state; use the general reader.
bool scan_get_records_response(std::string& body, GetRecordsResponse& out);
bool scan_subscribe_to_shard_event(std::string& payload, SubscribeToShardEvent& out);

}  // namespace pk::kinesis
