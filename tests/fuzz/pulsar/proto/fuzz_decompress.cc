// fuzz_pulsar_decompress_<codec>: a (hostile) compressed payload into decompress(). PK_FUZZ_CODEC picks the codec
// (one binary per codec, so each gets its own corpus). Input: [u24 declared uncompressed size][compressed bytes].
// Invariants: no crash, no allocation past the bound (ASan's rss limit catches that), an accepted payload has
// exactly the declared size, and it round-trips through compress().

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_check.h"
#include "pulsar/proto/compression.h"

namespace {
constexpr size_t kMaxUncompressed = 1 << 20;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 3) return 0;
  const auto type = static_cast<pk::pulsar::pb::CompressionType>(PK_FUZZ_CODEC);
  const size_t declared = size_t{data[0]} << 16 | size_t{data[1]} << 8 | data[2];
  const std::string_view compressed(reinterpret_cast<const char*>(data) + 3, size - 3);
  auto out = pk::pulsar::proto::decompress(type, compressed, declared, kMaxUncompressed);
  if (!out.ok()) return 0;
  PK_FUZZ_CHECK(out->size() == declared);
  auto packed = pk::pulsar::proto::compress(type, *out);
  PK_FUZZ_CHECK(packed.ok());
  auto back = pk::pulsar::proto::decompress(type, *packed, declared, kMaxUncompressed);
  PK_FUZZ_CHECK(back.ok() && *back == *out);
  return 0;
}
