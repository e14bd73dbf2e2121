// The record encoder on arbitrary messages. The first byte picks the schema (none, JSON, a fixed AVRO record,
// primitives, KEY_VALUE inline or separated) and flags (batched, key, encryption); the rest is split at 0x00 bytes
// into key, payload and property keys and values. Every format must encode without crashing; FULL_MESSAGE_IN_FB
// must pass the FlatBuffers verifier of the generated reader; the JSON formats must read back with our JSON reader;
// EXPAND_VALUE errors must name the topic.
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <flatbuffers/flatbuffers.h>

#include "formats/json_parse.h"
#include "formats/message_generated.h"
#include "formats/partition_key.h"
#include "formats/record_encoder.h"
#include "formats/topic_schema.h"

namespace {

using namespace pk::formats;

constexpr std::string_view kTopic = "persistent://fuzz/ns/topic-partition-1";

std::vector<std::shared_ptr<const TopicSchema>> make_schemas() {
  std::vector<std::shared_ptr<const TopicSchema>> out;
  auto add = [&](SchemaType type, std::string_view definition, std::vector<Property> props = {}) {
    auto s = TopicSchema::compile(type, definition, props);
    if (!s.ok()) std::abort();
    out.push_back(*s);
  };
  const std::string record = R"({"type":"record","name":"R","fields":[
      {"name":"i","type":"int"},{"name":"s","type":["null","string","long"]},
      {"name":"m","type":{"type":"map","values":["null","double"]}},
      {"name":"a","type":{"type":"array","items":{"type":"fixed","name":"F","size":3}}},
      {"name":"d","type":{"type":"bytes","logicalType":"decimal","precision":30,"scale":4}},
      {"name":"e","type":{"type":"enum","name":"E","symbols":["A","B","C"]}},
      {"name":"n","type":["null","R"]}]})";
  add(SchemaType::kJson, "{}");
  add(SchemaType::kAvro, record);
  for (SchemaType t :
       {SchemaType::kString, SchemaType::kBoolean, SchemaType::kInt32, SchemaType::kInt64, SchemaType::kFloat,
        SchemaType::kDouble, SchemaType::kTime, SchemaType::kInstant, SchemaType::kLocalDateTime, SchemaType::kBytes}) {
    add(t, "");
  }
  std::string kv;
  auto be32 = [&](size_t n) {
    for (int i = 3; i >= 0; --i) kv.push_back(static_cast<char>(n >> (8 * i)));
  };
  be32(record.size());
  kv += record;
  be32(2);
  kv += "{}";
  add(SchemaType::kKeyValue, kv, {{"key.schema.type", "AVRO"}, {"value.schema.type", "JSON"}});
  add(SchemaType::kKeyValue, kv,
      {{"key.schema.type", "AVRO"}, {"value.schema.type", "JSON"}, {"kv.encoding.type", "SEPARATED"}});
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto schemas = make_schemas();
  if (size == 0) return 0;
  const uint8_t flags = data[0];
  std::vector<std::string_view> parts;
  const std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  for (size_t start = 0;;) {
    const size_t at = rest.find('\0', start);
    parts.push_back(rest.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
    if (at == std::string_view::npos) break;
    start = at + 1;
  }
  InputMessage m;
  m.topic = kTopic;
  if (flags & 0x01) m.key = parts[0];
  m.key_is_base64 = (flags & 0x02) != 0;
  m.payload = parts.size() > 1 ? parts[1] : std::string_view();
  m.delivered_in_batch = (flags & 0x04) != 0;
  m.event_time = flags;
  std::vector<Property> props;
  for (size_t i = 2; i + 1 < parts.size(); i += 2) props.emplace_back(parts[i], parts[i + 1]);
  m.properties = props;
  const size_t schema_index = flags >> 4;
  if (schema_index > 0 && schema_index <= schemas.size()) m.schema = schemas[schema_index - 1].get();
  std::vector<EncryptionKeyView> keys;
  EncryptionContextView ctx;
  if (flags & 0x08) {
    for (const auto& [k, v] : props) keys.push_back({k, v, props});
    ctx.keys = keys;
    ctx.param = m.payload;
    if (!props.empty()) ctx.algorithm = props[0].first;
    ctx.compression = static_cast<CompressionType>(flags % 5);
    ctx.batch_size = flags;
    m.encryption = &ctx;
  }

  std::string scratch;
  const auto key = partition_key(m, scratch);
  if (key.key.empty()) std::abort();
  for (auto format : {MessageFormat::kOnlyRawPayload, MessageFormat::kFullMessageInJson,
                      MessageFormat::kFullMessageInFb, MessageFormat::kFullMessageInJsonExpandValue}) {
    for (bool flatten : {false, true}) {
      if (flatten && format != MessageFormat::kFullMessageInJsonExpandValue) continue;
      RecordEncoder encoder({format, (flags & 0x10) != 0, flatten});
      std::string out;
      const auto status = encoder.encode(m, out);
      if (!status.ok()) {
        if (format != MessageFormat::kFullMessageInJsonExpandValue || !out.empty() ||
            status.error().message.find(kTopic) == std::string::npos) {
          std::abort();
        }
        continue;
      }
      pk::formats::ValueTree tree;
      if (format == MessageFormat::kFullMessageInFb) {
        flatbuffers::Verifier verifier(reinterpret_cast<const uint8_t*>(out.data()), out.size());
        if (!org::apache::pulsar::io::kinesis::fbs::VerifyMessageBuffer(verifier)) std::abort();
      } else if (format != MessageFormat::kOnlyRawPayload && !parse_json_value(out, tree).ok()) {
        std::abort();
      }
    }
  }
  return 0;
}
