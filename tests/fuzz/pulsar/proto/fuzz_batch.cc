// fuzz_pulsar_batch: a batch payload from a (hostile) producer into split_batch. Input: [count - 1][batch].
// Invariants: no crash or out-of-bounds read; entry payloads lie inside the input; each message's metadata, read in
// place by our decoder, says what protobuf's generated parser reads from the same bytes; a batch that splits,
// rebuilt with append_single_message, splits into the same messages.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "pulsar/proto/batch.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  silence_protobuf_logs();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const int count = data[0] + 1;
  const std::string_view batch(reinterpret_cast<const char*>(data) + 1, size - 1);
  auto entries = pk::pulsar::proto::split_batch(batch, count);
  if (!entries.ok()) return 0;
  PK_FUZZ_CHECK(entries->size() == static_cast<size_t>(count));

  std::string rebuilt;
  for (const auto& e : *entries) {
    PK_FUZZ_CHECK(e.payload.data() >= batch.data() &&
                  e.payload.data() + e.payload.size() <= batch.data() + batch.size());
    PK_FUZZ_CHECK(static_cast<size_t>(e.metadata.payload_size()) == e.payload.size());
    pk::pulsar::pb::SingleMessageMetadata parsed;
    PK_FUZZ_CHECK(parsed.ParseFromArray(e.metadata_bytes.data(), static_cast<int>(e.metadata_bytes.size())));
    PK_FUZZ_CHECK(pk::pulsar::proto::same_fields(e.metadata, parsed));
    pk::pulsar::proto::append_single_message(rebuilt, parsed, e.payload);
  }
  auto again = pk::pulsar::proto::split_batch(rebuilt, count);
  PK_FUZZ_CHECK(again.ok());
  for (size_t i = 0; i < again->size(); ++i) {
    PK_FUZZ_CHECK(pk::pulsar::proto::same_fields((*again)[i].metadata, (*entries)[i].metadata));
    PK_FUZZ_CHECK((*again)[i].payload == (*entries)[i].payload);
  }
  return 0;
}
