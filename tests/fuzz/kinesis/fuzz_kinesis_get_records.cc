// GetRecords (and GetShardIterator) response parsing on arbitrary bytes: no crash, no read out of bounds, a
// parsed response keeps its invariants (every record has a sequence number and a partition key), and whenever the
// fast scanner reads a body, the general reader reads the same.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "kinesis/get_records_codec.h"
#include "kinesis/record_batch_scan.h"
#include "same_records.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  auto r = pk::kinesis::parse_get_records_response(std::string(body));
  if (r.ok()) {
    for (const auto& record : r->records) {
      if (record.sequence_number.empty()) std::abort();
    }
    for (const auto& child : r->child_shards) {
      if (child.shard_id.empty()) std::abort();
    }
  } else if (r.error().message.empty()) {
    std::abort();
  }
  pk::kinesis::GetRecordsResponse scanned;
  std::string owned(body);
  if (pk::kinesis::scan_get_records_response(owned, scanned)) {
    auto general = pk::kinesis::parse_get_records_response_general(body);
    if (!general.ok() || !pk::kinesis::fuzzing::same_records(scanned.records, general->records) ||
        scanned.next_shard_iterator != general->next_shard_iterator ||
        scanned.millis_behind_latest != general->millis_behind_latest || !general->child_shards.empty()) {
      std::abort();
    }
  }
  (void)pk::kinesis::parse_get_shard_iterator_response(body);
  return 0;
}
