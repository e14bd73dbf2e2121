#pragma once
// The polling reader's two operations as pure functions: GetShardIterator and GetRecords request bodies, and
// their responses. GetRecords is a hot path: the body is read in one pass by record_batch_scan (records view the
// body, Data is decoded into one buffer per response), with the simdjson reader for anything else.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "kinesis/model.h"

namespace pk::kinesis {

// {StreamName|StreamARN, ShardId, ShardIteratorType, StartingSequenceNumber?, Timestamp?}
Result<std::string> build_get_shard_iterator_body(const StreamRef& stream, const ShardId& shard,
                                                  const StartingPosition& position);
// {ShardIterator}
Result<std::string> parse_get_shard_iterator_response(std::string_view body);

constexpr int kMaxGetRecordsLimit = 10000;
// {ShardIterator, Limit?, StreamARN?}; limit in 1..10000.
Result<std::string> build_get_records_body(std::string_view shard_iterator, std::optional<int> limit = std::nullopt,
                                           const StreamArn& stream_arn = {});

struct GetRecordsResponse {
  RecordBatch records;
  std::optional<std::string> next_shard_iterator;  // none once the shard has ended and been read to its end
  int64_t millis_behind_latest = 0;
  std::vector<ChildShard> child_shards;  // set at shard end

  bool at_shard_end() const { return !next_shard_iterator.has_value(); }
};
// Reads the common shape with the fast scanner (record_batch_scan.h), anything else with the general reader. The
// record batch keeps `body` (the scanner's views point into it), so pass it by move.
Result<GetRecordsResponse> parse_get_records_response(std::string body);
// The general reader alone: the reference the fast scanner is compared with.
Result<GetRecordsResponse> parse_get_records_response_general(std::string_view body);

}  // namespace pk::kinesis
