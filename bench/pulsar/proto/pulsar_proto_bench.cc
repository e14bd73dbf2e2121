// Micro-benchmarks of the Pulsar wire codec. Throughput is printed as bytes_per_second (payload bytes, MB/s) and
// items_per_second (messages/s). Release build: cmake --preset release && build/release/bench/pulsar_proto_bench.

#include <benchmark/benchmark.h>

#include <random>
#include <string>
#include <vector>

#include "pulsar/proto/batch.h"
#include "pulsar/proto/compression.h"
#include "pulsar/proto/frame.h"
#include "pulsar/proto/frame_decoder.h"

namespace pk::pulsar::proto {
namespace {

// A record like the ones the connector moves: JSON-ish text with varying numbers, `size` bytes.
std::string record(size_t size, std::mt19937& rng) {
  static const char* const kWords[] = {"{\"shard\":", "\"seq\":", "\"key\":\"user-", "\"ts\":", "\"value\":", "},"};
  std::string s;
  while (s.size() < size) {
    s += kWords[rng() % 6];
    s += std::to_string(rng() % 100000);
  }
  s.resize(size);
  return s;
}

pb::MessageMetadata metadata(uint64_t sequence_id) {
  pb::MessageMetadata md;
  md.set_producer_name("pulsar-kinesis-source-shardId-000000000001");
  md.set_sequence_id(sequence_id);
  md.set_publish_time(1700000000000 + sequence_id);
  md.set_partition_key("49590338271490256608559692538361571095921575989136588898");
  md.set_event_time(1700000000000);
  return md;
}

void BM_EncodeSendFrame(benchmark::State& state) {
  std::mt19937 rng(1);
  const std::string payload = record(static_cast<size_t>(state.range(0)), rng);
  pb::BaseCommand cmd;
  cmd.set_type(pb::BaseCommand::SEND);
  cmd.mutable_send()->set_producer_id(1);
  pb::MessageMetadata md = metadata(0);
  std::string out;
  uint64_t seq = 0;
  for (auto _ : state) {
    out.clear();
    cmd.mutable_send()->set_sequence_id(++seq);
    md.set_sequence_id(seq);
    append_payload_command(out, cmd, md, payload);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_EncodeSendFrame)->Arg(100)->Arg(1024);

std::string message_stream(const std::string& payload, int frames) {
  std::string stream;
  for (int i = 0; i < frames; ++i) {
    pb::BaseCommand cmd;
    cmd.set_type(pb::BaseCommand::MESSAGE);
    cmd.mutable_message()->set_consumer_id(1);
    cmd.mutable_message()->mutable_message_id()->set_ledgerid(12);
    cmd.mutable_message()->mutable_message_id()->set_entryid(static_cast<uint64_t>(i));
    append_payload_command(stream, cmd, metadata(static_cast<uint64_t>(i)), payload);
  }
  return stream;
}

// The read-loop fast path: one Frame reused for every frame.
void BM_DecodeMessageFrameReusingFrame(benchmark::State& state) {
  std::mt19937 rng(2);
  const std::string payload = record(static_cast<size_t>(state.range(0)), rng);
  constexpr int kFrames = 1000;
  const std::string stream = message_stream(payload, kFrames);
  FrameDecoder decoder;
  Frame frame;
  for (auto _ : state) {
    for (size_t pos = 0; pos < stream.size(); pos += 65536) {
      decoder.feed(std::string_view(stream).substr(pos, 65536));
      while (true) {
        auto got = decoder.next(frame);
        if (!got.ok() || !*got) break;
        benchmark::DoNotOptimize(frame.payload.data());
      }
    }
  }
  state.SetItemsProcessed(state.iterations() * kFrames);
  state.SetBytesProcessed(state.iterations() * kFrames * state.range(0));
}
BENCHMARK(BM_DecodeMessageFrameReusingFrame)->Arg(100)->Arg(1024);

void BM_DecodeMessageFrame(benchmark::State& state) {
  std::mt19937 rng(2);
  const std::string payload = record(static_cast<size_t>(state.range(0)), rng);
  constexpr int kFrames = 1000;
  const std::string stream = message_stream(payload, kFrames);
  FrameDecoder decoder;
  for (auto _ : state) {
    // Fed in 64 KiB reads, as from a socket.
    for (size_t pos = 0; pos < stream.size(); pos += 65536) {
      decoder.feed(std::string_view(stream).substr(pos, 65536));
      while (true) {
        auto frame = decoder.next();
        if (!frame.ok() || !frame->has_value()) break;
        benchmark::DoNotOptimize((*frame)->payload.data());
      }
    }
  }
  state.SetItemsProcessed(state.iterations() * kFrames);
  state.SetBytesProcessed(state.iterations() * kFrames * state.range(0));
}
BENCHMARK(BM_DecodeMessageFrame)->Arg(100)->Arg(1024);

constexpr int kBatchMessages = 1000;

std::vector<std::string> batch_records(size_t size) {
  std::mt19937 rng(3);
  std::vector<std::string> records;
  for (int i = 0; i < kBatchMessages; ++i) records.push_back(record(size, rng));
  return records;
}

pb::SingleMessageMetadata single_metadata(int i) {
  pb::SingleMessageMetadata smm;
  smm.set_partition_key("user-" + std::to_string(i % 97));
  smm.set_event_time(1700000000000);
  smm.set_sequence_id(static_cast<uint64_t>(i));
  return smm;
}

void BM_BuildBatch(benchmark::State& state) {
  const auto records = batch_records(static_cast<size_t>(state.range(0)));
  std::vector<pb::SingleMessageMetadata> metas;
  for (int i = 0; i < kBatchMessages; ++i) metas.push_back(single_metadata(i));
  std::string batch;
  for (auto _ : state) {
    batch.clear();
    for (int i = 0; i < kBatchMessages; ++i) append_single_message(batch, metas[i], records[i]);
    benchmark::DoNotOptimize(batch.data());
  }
  state.SetItemsProcessed(state.iterations() * kBatchMessages);
  state.SetBytesProcessed(state.iterations() * kBatchMessages * state.range(0));
}
BENCHMARK(BM_BuildBatch)->Arg(100)->Arg(1024);

void BM_SplitBatch(benchmark::State& state) {
  const auto records = batch_records(static_cast<size_t>(state.range(0)));
  std::string batch;
  for (int i = 0; i < kBatchMessages; ++i) append_single_message(batch, single_metadata(i), records[i]);
  for (auto _ : state) {
    auto entries = split_batch(batch, kBatchMessages);
    benchmark::DoNotOptimize(entries.ok());
  }
  state.SetItemsProcessed(state.iterations() * kBatchMessages);
  state.SetBytesProcessed(state.iterations() * kBatchMessages * state.range(0));
}
BENCHMARK(BM_SplitBatch)->Arg(100)->Arg(1024);

// A 128 KiB batch payload (the producer's default batch size) of ~128-byte records.
const std::string& batch_128k() {
  static const std::string batch = [] {
    std::mt19937 rng(4);
    std::string b;
    for (int i = 0; b.size() < 128 * 1024; ++i) append_single_message(b, single_metadata(i), record(128, rng));
    b.resize(128 * 1024);
    return b;
  }();
  return batch;
}

void BM_Compress(benchmark::State& state) {
  const auto type = static_cast<pb::CompressionType>(state.range(0));
  const std::string& in = batch_128k();
  size_t packed = 0;
  for (auto _ : state) {
    auto out = compress(type, in);
    packed = out->size();
    benchmark::DoNotOptimize(out->data());
  }
  state.SetLabel(pb::CompressionType_Name(type) + " ratio " + std::to_string(static_cast<double>(in.size()) / packed));
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(in.size()));
}

void BM_Decompress(benchmark::State& state) {
  const auto type = static_cast<pb::CompressionType>(state.range(0));
  const std::string& in = batch_128k();
  const std::string packed = *compress(type, in);
  for (auto _ : state) {
    auto out = decompress(type, packed, in.size());
    benchmark::DoNotOptimize(out->data());
  }
  state.SetLabel(pb::CompressionType_Name(type));
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(in.size()));  // uncompressed bytes
}

void codecs(benchmark::internal::Benchmark* b) {
  for (auto type : {pb::LZ4, pb::ZLIB, pb::ZSTD, pb::SNAPPY}) b->Arg(type);
}
BENCHMARK(BM_Compress)->Apply(codecs);
BENCHMARK(BM_Decompress)->Apply(codecs);

}  // namespace
}  // namespace pk::pulsar::proto
