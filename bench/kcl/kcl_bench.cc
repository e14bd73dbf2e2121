// The checkpoint tracker on the read path: one add() per (sub-)record as it is handed to Pulsar and one confirm()
// per send receipt, with 56-digit sequence numbers as Kinesis sends them. Receipts come back in order (window 1)
// or shuffled within windows of in-flight records (what a batching producer's receipts look like at worst).
#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "kcl/checkpoint_tracker.h"

namespace {

constexpr size_t kRecords = 1 << 16;

// `n` increasing 56-digit sequence numbers.
std::vector<std::string> sequence_numbers(size_t n) {
  std::vector<std::string> out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    out.push_back("4965404654236437282341048347413789365846146342" + std::to_string(100000000000ull + i * 7));
  }
  return out;
}

void BM_TrackerAddConfirm(benchmark::State& state) {
  const size_t window = static_cast<size_t>(state.range(0));
  const auto seqs = sequence_numbers(kRecords);
  // The confirmation order: each window of records shuffled (window 1: in order).
  std::vector<size_t> order(kRecords);
  std::mt19937_64 random(7);
  for (size_t i = 0; i < kRecords; ++i) order[i] = i;
  for (size_t start = 0; start < kRecords; start += window) {
    std::shuffle(order.begin() + static_cast<ptrdiff_t>(start),
                 order.begin() + static_cast<ptrdiff_t>(std::min(kRecords, start + window)), random);
  }
  for (auto _ : state) {
    pk::kcl::CheckpointTracker tracker;
    for (size_t start = 0; start < kRecords; start += window) {
      const size_t end = std::min(kRecords, start + window);
      for (size_t k = start; k < end; ++k) benchmark::DoNotOptimize(tracker.add(seqs[k]).ok());
      for (size_t k = start; k < end; ++k) benchmark::DoNotOptimize(tracker.confirm(order[k]).ok());
    }
    benchmark::DoNotOptimize(tracker.checkpointable_count());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kRecords));
}
BENCHMARK(BM_TrackerAddConfirm)->Arg(1)->Arg(16)->Arg(1000);

}  // namespace
