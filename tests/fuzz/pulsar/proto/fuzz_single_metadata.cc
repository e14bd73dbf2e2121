// fuzz_pulsar_single_metadata: any bytes as a SingleMessageMetadata, read by our in-place reader and by protobuf's
// generated parser. Invariants: no crash or out-of-bounds read; both accept the same inputs (the generated parser
// with its required-field check) and, when they do, read the same fields.

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "fuzz_check.h"
#include "pulsar/proto/single_metadata.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  silence_protobuf_logs();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  std::vector<pk::pulsar::proto::KeyValueView> properties;
  pk::pulsar::proto::SingleMetadataView ours;
  const bool ours_ok = pk::pulsar::proto::parse_single_metadata(bytes, properties, ours).ok();
  pk::pulsar::pb::SingleMessageMetadata generated;
  const bool generated_ok = generated.ParseFromArray(data, static_cast<int>(size));  // checks required fields too
  PK_FUZZ_CHECK(ours_ok == generated_ok);
  if (!ours_ok) return 0;
  ours.bind_properties(properties);
  PK_FUZZ_CHECK(pk::pulsar::proto::same_fields(ours, generated));
  return 0;
}
