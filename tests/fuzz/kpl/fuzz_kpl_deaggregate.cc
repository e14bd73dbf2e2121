// The KPL deaggregator on arbitrary bytes, taken both as a whole record and as the protobuf body of an aggregate
// framed with the right magic and MD5 (else the digest check would stop nearly every input before the parser).
// Every outcome must be a classification, never a crash or a read out of bounds; sub-records must be views into
// the input numbered 0, 1, 2, ...; and a decoded aggregate re-aggregated must decode to the same sub-records.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "common/md5.h"
#include "kpl/aggregator.h"
#include "kpl/deaggregator.h"

namespace {

void check(std::string_view bytes) {
  std::vector<pk::kpl::SubRecord> records;
  const pk::kpl::DeaggregateOutcome outcome = pk::kpl::deaggregate_into(bytes, records);
  if (outcome != pk::kpl::DeaggregateOutcome::kAggregate) {
    if (!records.empty()) std::abort();
    return;
  }
  if (records.empty()) std::abort();
  const auto inside = [&](std::string_view v) {
    return v.data() >= bytes.data() && v.data() + v.size() <= bytes.data() + bytes.size();
  };
  pk::kpl::Aggregator again;
  for (size_t i = 0; i < records.size(); ++i) {
    const pk::kpl::SubRecord& r = records[i];
    if (r.sub_sequence_number != i || !inside(r.partition_key) || !inside(r.data)) std::abort();
    if (r.explicit_hash_key && !inside(*r.explicit_hash_key)) std::abort();
    again.add(r.partition_key, r.explicit_hash_key, r.data);
  }
  std::string rebuilt;
  again.finish(rebuilt);
  std::vector<pk::kpl::SubRecord> round_trip;
  if (pk::kpl::deaggregate_into(rebuilt, round_trip) != pk::kpl::DeaggregateOutcome::kAggregate) std::abort();
  if (round_trip != records) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  check(bytes);
  const pk::Md5Digest digest = pk::md5(bytes);
  std::string framed("\xF3\x89\x9A\xC2", 4);
  framed.append(bytes);
  framed.append(reinterpret_cast<const char*>(digest.data()), digest.size());
  check(framed);
  return 0;
}
