#pragma once
// PutRecords as pure functions: the request body (the producer's hot path: base64 written straight into a
// buffer sized exactly beforehand, no intermediate document) and the response with one result per entry, in
// request order.

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "kinesis/hash_key.h"
#include "kinesis/model.h"

namespace pk::kinesis {

constexpr size_t kMaxPutRecordsEntries = 500;
constexpr size_t kMaxPartitionKeyChars = 256;
constexpr size_t kMaxPutRecordsRequestBytes = 5 * 1024 * 1024;  // data + partition keys (not checked here)

// One entry of a request. The views must outlive the call only.
struct PutRecordsEntry {
  std::string_view data;           // raw bytes; base64 on the wire
  std::string_view partition_key;  // 1 to 256 Unicode characters, valid UTF-8
  std::optional<HashKey> explicit_hash_key;
};

// Checks what Kinesis requires of a partition key: valid UTF-8, 1 to 256 characters. The error (kInvalidArgument)
// says what is wrong without quoting the key.
Status validate_partition_key(std::string_view partition_key);

// {"StreamName"|"StreamARN": ..., "Records": [{"Data", "PartitionKey", "ExplicitHashKey"?}, ...]}.
// Checks 1..500 entries and each partition key; errors (kInvalidArgument) name the entry index. Size limits
// (1 MiB per record, 5 MiB per request, or a stream's raised limits) are the caller's to enforce.
Result<std::string> build_put_records_body(const StreamRef& stream, std::span<const PutRecordsEntry> entries);

struct PutRecordsResultEntry {
  SequenceNumber sequence_number;  // set when accepted
  ShardId shard_id;                // set when accepted
  std::string error_code;          // set when refused: ProvisionedThroughputExceededException, InternalFailure, ...
  std::string error_message;

  bool ok() const { return error_code.empty(); }
};

struct PutRecordsResponse {
  size_t failed_record_count = 0;
  std::vector<PutRecordsResultEntry> records;  // one per request entry, same order
  EncryptionType encryption_type = EncryptionType::kNone;
};

// Checks that there is one result per request entry (`expected_records`) and that FailedRecordCount, when
// present, matches the failed entries.
Result<PutRecordsResponse> parse_put_records_response(std::string_view body, size_t expected_records);

}  // namespace pk::kinesis
