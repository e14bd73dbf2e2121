// Each record format at 100 B and 1 KiB payloads with 3 properties (the sink's per-record formatting cost), plus
// the partition key. One encoder and one output buffer reused across records, as the sink does.
#include <benchmark/benchmark.h>

#include <memory>
#include <string>
#include <vector>

#include "formats/partition_key.h"
#include "formats/record_encoder.h"
#include "formats/topic_schema.h"

namespace {

using namespace pk::formats;

std::string bytes_payload(size_t n) {
  std::string p(n, '\0');
  for (size_t i = 0; i < n; ++i) p[i] = static_cast<char>('a' + i * 7 % 26);
  return p;
}

// A JSON object of about n bytes: string, number and boolean fields.
std::string json_payload(size_t n) {
  std::string p = "{\"id\":12345,\"ok\":true,\"price\":19.99";
  int i = 0;
  while (p.size() + 40 < n) p += ",\"field" + std::to_string(i++) + "\":\"value value value\"";
  p += "}";
  return p;
}

// An Avro record of about n bytes: an int, a double, a string per field.
const char* kAvroSchema = R"({"type":"record","name":"Order","fields":[
  {"name":"id","type":"long"},{"name":"price","type":"double"},
  {"name":"items","type":{"type":"array","items":"string"}}]})";

std::string avro_long(int64_t v) {
  uint64_t z = (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
  std::string out;
  while (z >= 0x80) {
    out.push_back(static_cast<char>((z & 0x7F) | 0x80));
    z >>= 7;
  }
  out.push_back(static_cast<char>(z));
  return out;
}

std::string avro_payload(size_t n) {
  std::string p = avro_long(123456789) + std::string("\x3d\x0a\xd7\xa3\x70\xfd\x33\x40", 8);
  const std::string item = "item-value-0123456789";
  const size_t count = (n - p.size() - 2) / (item.size() + 1);
  p += avro_long(static_cast<int64_t>(count));
  for (size_t i = 0; i < count; ++i) p += avro_long(static_cast<int64_t>(item.size())) + item;
  p += avro_long(0);
  return p;
}

struct Fixture {
  std::vector<Property> properties = {{"trace-id", "4bf92f3577b34da6a3ce929d0e0e4736"},
                                      {"source", "checkout-service"},
                                      {"content-type", "application/json"}};
  std::string payload;
  std::shared_ptr<const TopicSchema> schema;
  InputMessage message;

  Fixture(std::string p, SchemaType type = SchemaType::kBytes, std::string_view definition = "")
      : payload(std::move(p)) {
    if (type != SchemaType::kBytes) schema = *TopicSchema::compile(type, definition, {});
    message.topic = "persistent://public/default/orders-partition-3";
    message.key = "customer-8812";
    message.payload = payload;
    message.properties = properties;
    message.event_time = 1700000000123;
    message.publish_time = 1700000000456;
    message.schema = schema.get();
  }
};

void run(benchmark::State& state, const Fixture& f, FormatOptions options) {
  RecordEncoder encoder(options);
  std::string out;
  for (auto _ : state) {
    out.clear();
    const auto status = encoder.encode(f.message, out);
    if (!status.ok()) state.SkipWithError(status.error().message.c_str());
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["record_bytes"] = static_cast<double>(out.size());
}

void BM_Raw(benchmark::State& state) {
  run(state, Fixture(bytes_payload(state.range(0))), {MessageFormat::kOnlyRawPayload});
}
void BM_Json(benchmark::State& state) {
  run(state, Fixture(bytes_payload(state.range(0))), {MessageFormat::kFullMessageInJson});
}
void BM_Fb(benchmark::State& state) {
  run(state, Fixture(bytes_payload(state.range(0))), {MessageFormat::kFullMessageInFb});
}
void BM_ExpandBytes(benchmark::State& state) {
  run(state, Fixture(bytes_payload(state.range(0))), {MessageFormat::kFullMessageInJsonExpandValue});
}
void BM_ExpandJson(benchmark::State& state) {
  run(state, Fixture(json_payload(state.range(0)), SchemaType::kJson, "{}"),
      {MessageFormat::kFullMessageInJsonExpandValue});
}
void BM_ExpandJsonFlat(benchmark::State& state) {
  run(state, Fixture(json_payload(state.range(0)), SchemaType::kJson, "{}"),
      {MessageFormat::kFullMessageInJsonExpandValue, true, true});
}
void BM_ExpandAvro(benchmark::State& state) {
  run(state, Fixture(avro_payload(state.range(0)), SchemaType::kAvro, kAvroSchema),
      {MessageFormat::kFullMessageInJsonExpandValue});
}
void BM_PartitionKey(benchmark::State& state) {
  const Fixture f(bytes_payload(100));
  std::string scratch;
  for (auto _ : state) benchmark::DoNotOptimize(partition_key(f.message, scratch).key.data());
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK(BM_Raw)->Arg(100)->Arg(1024);
BENCHMARK(BM_Json)->Arg(100)->Arg(1024);
BENCHMARK(BM_Fb)->Arg(100)->Arg(1024);
BENCHMARK(BM_ExpandBytes)->Arg(100)->Arg(1024);
BENCHMARK(BM_ExpandJson)->Arg(100)->Arg(1024);
BENCHMARK(BM_ExpandJsonFlat)->Arg(100)->Arg(1024);
BENCHMARK(BM_ExpandAvro)->Arg(100)->Arg(1024);
BENCHMARK(BM_PartitionKey);

}  // namespace
