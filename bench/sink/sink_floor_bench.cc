// The floor of the sink's per-record CPU: the work no Kinesis producer can skip for one user record, measured on
// this machine in the same run as the sink (scripts/bench-sink runs it beside the daemon):
//   - MD5 of the partition key (which shard the record goes to),
//   - MD5 over the record's share of its aggregate (the KPL trailer covers every byte of the aggregate),
//   - base64 of that share (PutRecords carries Data as base64),
//   - SHA-256 of the base64 text (SigV4 signs the body's hash).
// Records of `size` bytes with keys "key-<n % 1000>", packed as the sink packs them (aggregates of up to 51200 bytes,
// requests of up to 5 MiB). Reports ns per record; the aggregation-off variant leaves out the aggregate MD5.

#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "aws/sha256.h"
#include "common/base64.h"
#include "common/md5.h"

namespace {

constexpr size_t kRecords = 10000;
constexpr size_t kAggregateMax = 51200;

void floor(benchmark::State& state, bool aggregated) {
  const size_t size = static_cast<size_t>(state.range(0));
  std::vector<std::string> keys;
  for (size_t i = 0; i < kRecords; ++i) keys.push_back("key-" + std::to_string(i % 1000));
  std::string data(size * kRecords, 'x');
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>('a' + i % 26);
  std::string encoded(pk::base64_encoded_size(data.size()), '\0');
  const size_t per_aggregate = std::max<size_t>(1, kAggregateMax / (size + 16));
  for (auto _ : state) {
    for (const auto& key : keys) benchmark::DoNotOptimize(pk::md5(key));
    if (aggregated) {
      for (size_t at = 0; at < data.size(); at += per_aggregate * size) {
        benchmark::DoNotOptimize(pk::md5(std::string_view(data).substr(at, per_aggregate * size)));
      }
    }
    pk::base64_encode_to(data, encoded.data());
    for (size_t at = 0; at < encoded.size(); at += 5 << 20) {
      benchmark::DoNotOptimize(pk::aws::sha256(std::string_view(encoded).substr(at, 5 << 20)));
    }
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kRecords));  // items_per_second: CPU time
}

void BM_SinkFloorAggregated(benchmark::State& state) {
  floor(state, true);
}
void BM_SinkFloorPlain(benchmark::State& state) {
  floor(state, false);
}

BENCHMARK(BM_SinkFloorAggregated)->Arg(100)->Arg(1024)->Unit(benchmark::kMicrosecond)->MeasureProcessCPUTime();
BENCHMARK(BM_SinkFloorPlain)->Arg(100)->Arg(1024)->Unit(benchmark::kMicrosecond)->MeasureProcessCPUTime();

}  // namespace
