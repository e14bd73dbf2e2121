// SigV4 signing of a 1 MiB body against raw SHA-256 of the same bytes, and event-stream decoding against raw
// CRC32 of the same stream. Each pair runs in the same process; the `x_raw` counter of the composite benchmark is
// (our cost) / (primitive cost) measured back to back inside one benchmark, the target being <= 2.

#include <chrono>
#include <random>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>
#include <openssl/evp.h>

#include "aws/event_stream.h"
#include "aws/sigv4_signer.h"
#include "common/clock.h"
#include "common/crc32.h"

namespace {

using pk::aws::Credentials;
using pk::aws::SigningConfig;
using pk::aws::Sigv4Signer;

std::string random_bytes(size_t n) {
  std::mt19937_64 rng(7);
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>('A' + rng() % 26);
  return s;
}

// Raw SHA-256 through OpenSSL's one-shot EVP_Digest (the primitive, without our wrapper).
void raw_sha256(const std::string& data, unsigned char* out) {
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), out, &len, EVP_sha256(), nullptr);
}

pk::http::Request put_records_request(const std::string& body) {
  pk::http::Request r;
  r.method = "POST";
  r.target = "/";
  r.headers = {{"Host", "kinesis.us-east-1.amazonaws.com"},
               {"Content-Type", "application/x-amz-json-1.1"},
               {"X-Amz-Target", "Kinesis_20131202.PutRecords"}};
  r.body = body;
  return r;
}

const Credentials kCreds{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "session-token", std::nullopt};
const SigningConfig kConfig{"us-east-1", "kinesis"};

void BM_RawSha256(benchmark::State& state) {
  const auto data = random_bytes(static_cast<size_t>(state.range(0)));
  unsigned char out[32];
  for (auto _ : state) {
    raw_sha256(data, out);
    benchmark::DoNotOptimize(out);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(BM_RawSha256)->Arg(1 << 20);

void BM_Sigv4Sign(benchmark::State& state) {
  const auto body = random_bytes(static_cast<size_t>(state.range(0)));
  pk::http::Request request = put_records_request(body);
  Sigv4Signer signer;
  for (auto _ : state) {
    auto parts = signer.sign(request, kCreds, kConfig);
    benchmark::DoNotOptimize(parts);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(BM_Sigv4Sign)->Arg(1 << 20)->Arg(1024);

// Both in one loop, alternating, so that frequency changes and neighbours on the shared machine hit both alike.
void BM_Sigv4SignVsRawSha256(benchmark::State& state) {
  const auto body = random_bytes(1 << 20);
  pk::http::Request request = put_records_request(body);
  Sigv4Signer signer;
  unsigned char out[32];
  std::chrono::nanoseconds sign_time{0};
  std::chrono::nanoseconds hash_time{0};
  for (auto _ : state) {
    const auto t0 = std::chrono::steady_clock::now();
    auto parts = signer.sign(request, kCreds, kConfig);
    benchmark::DoNotOptimize(parts);
    const auto t1 = std::chrono::steady_clock::now();
    raw_sha256(body, out);
    benchmark::DoNotOptimize(out);
    const auto t2 = std::chrono::steady_clock::now();
    sign_time += t1 - t0;
    hash_time += t2 - t1;
  }
  state.counters["x_raw"] = static_cast<double>(sign_time.count()) / static_cast<double>(hash_time.count());
  state.counters["sign_MBps"] = benchmark::Counter(static_cast<double>(state.iterations()) * (1 << 20) / 1e6 /
                                                   (static_cast<double>(sign_time.count()) / 1e9));
  state.counters["sha_MBps"] = benchmark::Counter(static_cast<double>(state.iterations()) * (1 << 20) / 1e6 /
                                                  (static_cast<double>(hash_time.count()) / 1e9));
}
BENCHMARK(BM_Sigv4SignVsRawSha256);

// A stream of SubscribeToShardEvent-like frames with `payload` bytes each, about 1 MiB in all.
std::string event_stream(size_t payload) {
  pk::aws::EventStreamMessage m;
  m.headers = {{":message-type", std::string("event")},
               {":event-type", std::string("SubscribeToShardEvent")},
               {":content-type", std::string("application/json")}};
  m.payload = random_bytes(payload);
  const std::string frame = *pk::aws::encode_event_stream_message(m);
  std::string stream;
  while (stream.size() < (1 << 20)) stream += frame;
  return stream;
}

void BM_EventStreamDecode(benchmark::State& state) {
  const std::string stream = event_stream(static_cast<size_t>(state.range(0)));
  std::vector<pk::aws::EventStreamMessage> out;
  for (auto _ : state) {
    out.clear();
    pk::aws::EventStreamDecoder decoder;
    auto st = decoder.feed(stream, out);
    benchmark::DoNotOptimize(st);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * stream.size()));
  state.counters["frames"] = static_cast<double>(out.size());
}
BENCHMARK(BM_EventStreamDecode)->Arg(1024)->Arg(64 * 1024)->Arg(1 << 20);

// The same stream fed in 16 KiB pieces, as an HTTP/2 DATA frame sequence would deliver it.
void BM_EventStreamDecodeChunked(benchmark::State& state) {
  const std::string stream = event_stream(static_cast<size_t>(state.range(0)));
  std::vector<pk::aws::EventStreamMessage> out;
  constexpr size_t kChunk = 16 * 1024;
  for (auto _ : state) {
    out.clear();
    pk::aws::EventStreamDecoder decoder;
    for (size_t pos = 0; pos < stream.size(); pos += kChunk) {
      auto st = decoder.feed(std::string_view(stream).substr(pos, kChunk), out);
      benchmark::DoNotOptimize(st);
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * stream.size()));
}
BENCHMARK(BM_EventStreamDecodeChunked)->Arg(1024)->Arg(64 * 1024);

void BM_RawCrc32(benchmark::State& state) {
  const std::string stream = event_stream(static_cast<size_t>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(pk::crc32(stream));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * stream.size()));
}
BENCHMARK(BM_RawCrc32)->Arg(1024);

void BM_EventStreamDecodeVsRawCrc32(benchmark::State& state) {
  const std::string stream = event_stream(static_cast<size_t>(state.range(0)));
  std::vector<pk::aws::EventStreamMessage> out;
  std::chrono::nanoseconds decode_time{0};
  std::chrono::nanoseconds crc_time{0};
  for (auto _ : state) {
    out.clear();
    const auto t0 = std::chrono::steady_clock::now();
    pk::aws::EventStreamDecoder decoder;
    auto st = decoder.feed(stream, out);
    benchmark::DoNotOptimize(st);
    const auto t1 = std::chrono::steady_clock::now();
    benchmark::DoNotOptimize(pk::crc32(stream));
    const auto t2 = std::chrono::steady_clock::now();
    decode_time += t1 - t0;
    crc_time += t2 - t1;
  }
  state.counters["x_raw"] = static_cast<double>(decode_time.count()) / static_cast<double>(crc_time.count());
  state.counters["decode_MBps"] = benchmark::Counter(static_cast<double>(state.iterations() * stream.size()) / 1e6 /
                                                     (static_cast<double>(decode_time.count()) / 1e9));
  state.counters["crc_MBps"] = benchmark::Counter(static_cast<double>(state.iterations() * stream.size()) / 1e6 /
                                                  (static_cast<double>(crc_time.count()) / 1e9));
}
BENCHMARK(BM_EventStreamDecodeVsRawCrc32)->Arg(1024)->Arg(64 * 1024);

}  // namespace
