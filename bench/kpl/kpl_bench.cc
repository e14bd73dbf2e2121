// The KPL aggregated-record writer and reader next to their unavoidable work, measured in the same run: the MD5 of
// the aggregate's protobuf bytes (the format's checksum, which both sides must compute). For 100 B and 1 KiB user
// records with 16-byte partition keys (1000 distinct, as message keys in a sink), packed into aggregates of the
// KPL's default AggregationMaxSize (51200 bytes).
// Each benchmark runs the hot path and the MD5 alternately in one loop (frequency changes and neighbours on a
// shared machine hit both alike) and reports ns_per_record and MB/s (of user data) of each, and x_md5 = (hot
// path time) / (MD5 time).

#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "common/md5.h"
#include "kpl/aggregator.h"
#include "kpl/deaggregator.h"

namespace {

struct UserRecords {
  std::vector<std::string> keys;
  std::vector<std::string> data;
};

UserRecords make_records(size_t count, size_t data_size) {
  std::mt19937_64 rng(42);
  UserRecords r;
  for (size_t i = 0; i < count; ++i) {
    char key[17];
    std::snprintf(key, sizeof key, "user-%011zu", static_cast<size_t>(rng() % 1000));
    r.keys.emplace_back(key);
    std::string d(data_size, '\0');
    for (char& c : d) c = static_cast<char>(rng());
    r.data.push_back(std::move(d));
  }
  return r;
}

// Fills `agg` from record `next` on (wrapping) until the next one does not fit; returns the records added.
size_t fill(pk::kpl::Aggregator& agg, const UserRecords& r, size_t& next) {
  size_t added = 0;
  while (agg.add_if_fits(r.keys[next], std::nullopt, r.data[next], pk::kpl::kDefaultAggregationMaxSize)) {
    ++added;
    next = (next + 1) % r.data.size();
  }
  return added;
}

struct Timing {
  std::chrono::nanoseconds ours{0};
  std::chrono::nanoseconds md5{0};
};

void report(benchmark::State& state, const Timing& t, double records, double data_bytes) {
  const double ours_s = static_cast<double>(t.ours.count()) / 1e9;
  const double md5_s = static_cast<double>(t.md5.count()) / 1e9;
  state.counters["ns_per_record"] = ours_s * 1e9 / records;
  state.counters["md5_ns_per_record"] = md5_s * 1e9 / records;
  state.counters["ours_MBps"] = data_bytes / 1e6 / ours_s;
  state.counters["md5_MBps"] = data_bytes / 1e6 / md5_s;
  state.counters["x_md5"] = ours_s / md5_s;
}

std::string_view protobuf_of(const std::string& aggregate) {
  return std::string_view(aggregate).substr(pk::kpl::kMagic.size(), aggregate.size() - pk::kpl::kFramingSize);
}

void BM_AggregateVsMd5(benchmark::State& state) {
  const UserRecords r = make_records(4096, static_cast<size_t>(state.range(0)));
  pk::kpl::Aggregator agg;
  std::string out;
  size_t next = 0;
  Timing t;
  double records = 0;
  double data_bytes = 0;
  for (auto _ : state) {
    const auto t0 = std::chrono::steady_clock::now();
    const size_t added = fill(agg, r, next);
    agg.finish(out);
    const auto t1 = std::chrono::steady_clock::now();
    benchmark::DoNotOptimize(pk::md5(protobuf_of(out)));
    const auto t2 = std::chrono::steady_clock::now();
    t.ours += t1 - t0;
    t.md5 += t2 - t1;
    records += static_cast<double>(added);
    data_bytes += static_cast<double>(added * r.data[0].size());
  }
  report(state, t, records, data_bytes);
}
BENCHMARK(BM_AggregateVsMd5)->Arg(100)->Arg(1024);

void BM_DeaggregateVsMd5(benchmark::State& state) {
  const UserRecords r = make_records(4096, static_cast<size_t>(state.range(0)));
  pk::kpl::Aggregator agg;
  size_t next = 0;
  const size_t per_aggregate = fill(agg, r, next);
  std::string aggregate;
  agg.finish(aggregate);
  std::vector<pk::kpl::SubRecord> subs;
  Timing t;
  for (auto _ : state) {
    const auto t0 = std::chrono::steady_clock::now();
    const auto outcome = pk::kpl::deaggregate_into(aggregate, subs);
    benchmark::DoNotOptimize(outcome);
    benchmark::DoNotOptimize(subs.data());
    const auto t1 = std::chrono::steady_clock::now();
    benchmark::DoNotOptimize(pk::md5(protobuf_of(aggregate)));
    const auto t2 = std::chrono::steady_clock::now();
    t.ours += t1 - t0;
    t.md5 += t2 - t1;
  }
  if (subs.size() != per_aggregate) state.SkipWithError("deaggregation lost records");
  const double n = static_cast<double>(state.iterations());
  report(state, t, n * static_cast<double>(per_aggregate), n * static_cast<double>(per_aggregate * r.data[0].size()));
}
BENCHMARK(BM_DeaggregateVsMd5)->Arg(100)->Arg(1024);

}  // namespace
