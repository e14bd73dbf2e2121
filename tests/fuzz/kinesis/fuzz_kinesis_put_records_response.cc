// PutRecords response parsing on arbitrary bytes. The first byte picks how many entries the request had; a
// parsed response must have exactly that many results and a failure count that matches them.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "kinesis/put_records_codec.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const size_t expected = data[0] % 8;
  const std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
  auto r = pk::kinesis::parse_put_records_response(body, expected);
  if (r.ok()) {
    if (r->records.size() != expected) std::abort();
    size_t failed = 0;
    for (const auto& entry : r->records) {
      if (!entry.ok()) {
        ++failed;
      } else if (entry.sequence_number.empty() || entry.shard_id.empty()) {
        std::abort();
      }
    }
    if (failed != r->failed_record_count) std::abort();
  }
  return 0;
}
