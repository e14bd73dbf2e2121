// Checksums and base64: the primitives under every hot path (Pulsar frames, event streams, PutRecords bodies).
// Each figure is bytes/s; the portable CRC32C runs beside the hardware one so their ratio is read off one run.

#include <random>
#include <string>

#include <benchmark/benchmark.h>

#include "common/base64.h"
#include "common/crc32.h"
#include "common/crc32c.h"

namespace {

std::string random_bytes(size_t n) {
  std::mt19937_64 rng(1);
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(rng());
  return s;
}

void BM_Crc32c(benchmark::State& state) {
  const auto data = random_bytes(static_cast<size_t>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(pk::crc32c(data));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
  state.SetLabel(pk::crc32c_is_hardware_accelerated() ? "sse4.2" : "portable");
}
BENCHMARK(BM_Crc32c)->Arg(100)->Arg(1024)->Arg(64 * 1024)->Arg(1 << 20);

void BM_Crc32cPortable(benchmark::State& state) {
  const auto data = random_bytes(static_cast<size_t>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(pk::crc32c_extend_portable(0, data.data(), data.size()));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(BM_Crc32cPortable)->Arg(100)->Arg(1024)->Arg(64 * 1024)->Arg(1 << 20);

void BM_Crc32Zlib(benchmark::State& state) {
  const auto data = random_bytes(static_cast<size_t>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(pk::crc32(data));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(BM_Crc32Zlib)->Arg(1024)->Arg(1 << 20);

void BM_Base64Encode(benchmark::State& state) {
  const auto data = random_bytes(static_cast<size_t>(state.range(0)));
  std::string out(pk::base64_encoded_size(data.size()), '\0');
  for (auto _ : state) {
    pk::base64_encode_to(data, out.data());
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(BM_Base64Encode)->Arg(100)->Arg(1024)->Arg(1 << 20);

void BM_Base64Decode(benchmark::State& state) {
  const auto encoded = pk::base64_encode(random_bytes(static_cast<size_t>(state.range(0))));
  std::string out(pk::base64_decoded_max_size(encoded.size()), '\0');
  for (auto _ : state) {
    auto n = pk::base64_decode_to(encoded, out.data());
    benchmark::DoNotOptimize(n);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(BM_Base64Decode)->Arg(100)->Arg(1024)->Arg(1 << 20);

}  // namespace
