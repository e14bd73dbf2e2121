// pulsar_proto_fuzz_seeds <corpus-root>: writes the seed corpora of the pulsar/proto fuzz targets into
// <corpus-root>/<target>/ (the committed files under tests/fuzz/corpus/ were made with it). Small valid inputs
// that reach the interesting paths; the fuzzer mutates from there.

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "pulsar/proto/batch.h"
#include "pulsar/proto/compression.h"
#include "pulsar/proto/frame.h"

namespace {

namespace fs = std::filesystem;
namespace pb = pk::pulsar::pb;
using namespace pk::pulsar::proto;

void write(const fs::path& dir, std::string_view name, std::string_view bytes) {
  fs::create_directories(dir);
  std::ofstream(dir / name, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

pb::MessageMetadata metadata(uint64_t sequence_id) {
  pb::MessageMetadata md;
  md.set_producer_name("standalone-0-1");
  md.set_sequence_id(sequence_id);
  md.set_publish_time(1700000000000);
  return md;
}

pb::BaseCommand message(uint64_t entry) {
  pb::BaseCommand cmd;
  cmd.set_type(pb::BaseCommand::MESSAGE);
  cmd.mutable_message()->set_consumer_id(1);
  cmd.mutable_message()->mutable_message_id()->set_ledgerid(7);
  cmd.mutable_message()->mutable_message_id()->set_entryid(entry);
  return cmd;
}

std::string batch_of(int n) {
  std::string batch;
  for (int i = 0; i < n; ++i) {
    pb::SingleMessageMetadata smm;
    smm.set_partition_key("key-" + std::to_string(i));
    smm.set_sequence_id(static_cast<uint64_t>(i));
    auto* kv = smm.add_properties();
    kv->set_key("p");
    kv->set_value(std::to_string(i));
    append_single_message(batch, smm, "value-" + std::to_string(i));
  }
  return batch;
}

void frames(const fs::path& dir) {
  std::string out;
  pb::BaseCommand ping;
  ping.set_type(pb::BaseCommand::PING);
  ping.mutable_ping();
  append_simple_command(out, ping);
  const std::string ping_frame = out;
  write(dir, "ping", out);

  pb::BaseCommand connected;
  connected.set_type(pb::BaseCommand::CONNECTED);
  connected.mutable_connected()->set_server_version("Pulsar Server4.0.8");
  connected.mutable_connected()->set_protocol_version(21);
  connected.mutable_connected()->set_max_message_size(5242880);
  out.clear();
  append_simple_command(out, connected);
  write(dir, "connected", out);

  pb::BaseCommand lookup;
  lookup.set_type(pb::BaseCommand::LOOKUP_RESPONSE);
  auto* l = lookup.mutable_lookuptopicresponse();
  l->set_brokerserviceurl("pulsar://localhost:6650");
  l->set_response(pb::CommandLookupTopicResponse::Connect);
  l->set_request_id(3);
  l->set_authoritative(true);
  out.clear();
  append_simple_command(out, lookup);
  write(dir, "lookup_response", out);

  pb::BaseCommand send;
  send.set_type(pb::BaseCommand::SEND);
  send.mutable_send()->set_producer_id(0);
  send.mutable_send()->set_sequence_id(5);
  out.clear();
  append_payload_command(out, send, metadata(5), "hello pulsar");
  write(dir, "send", out);

  out.clear();
  append_payload_command(out, message(1), metadata(1), "one message");
  const std::string single = out;
  write(dir, "message", out);

  // MESSAGE with broker entry metadata in front of the checksum.
  pb::BrokerEntryMetadata bem;
  bem.set_broker_timestamp(1700000000001);
  bem.set_index(42);
  const std::string cmd = message(2).SerializeAsString();
  const std::string bem_bytes = bem.SerializeAsString();
  std::string tail = single.substr(8 + message(1).SerializeAsString().size());
  std::string body = cmd + std::string("\x0e\x02", 2);
  for (int shift = 24; shift >= 0; shift -= 8) body.push_back(static_cast<char>(bem_bytes.size() >> shift));
  body += bem_bytes + tail;
  std::string framed;
  for (uint32_t v : {static_cast<uint32_t>(4 + body.size()), static_cast<uint32_t>(cmd.size())}) {
    for (int shift = 24; shift >= 0; shift -= 8) framed.push_back(static_cast<char>(v >> shift));
  }
  write(dir, "message_broker_entry_metadata", framed + body);

  // A compressed batch of 3 (the consumer's full path).
  const std::string batch = batch_of(3);
  pb::MessageMetadata md = metadata(10);
  md.set_num_messages_in_batch(3);
  md.set_compression(pb::LZ4);
  md.set_uncompressed_size(static_cast<uint32_t>(batch.size()));
  out.clear();
  append_payload_command(out, message(3), md, *compress(pb::LZ4, batch));
  write(dir, "message_lz4_batch", out);

  std::string corrupt = single;
  corrupt.back() ^= 1;
  write(dir, "message_bad_checksum", corrupt);

  write(dir, "ping_then_two_messages", ping_frame + single + single);
}

void batches(const fs::path& dir) {
  for (int n : {1, 3, 10}) {
    write(dir, "batch_" + std::to_string(n), std::string(1, static_cast<char>(n - 1)) + batch_of(n));
  }
}

// Single metadatas with every field, unknown fields (a varint, a fixed64, a group) and a repeated partition key.
void single_metadatas(const fs::path& dir) {
  pb::SingleMessageMetadata full;
  auto* kv = full.add_properties();
  kv->set_key("k");
  kv->set_value("v");
  full.set_partition_key("key");
  full.set_payload_size(3);
  full.set_compacted_out(true);
  full.set_event_time(1700000000000);
  full.set_partition_key_b64_encoded(true);
  full.set_ordering_key("order");
  full.set_sequence_id(42);
  full.set_null_value(true);
  full.set_null_partition_key(true);
  write(dir, "full", full.SerializeAsString());
  pb::SingleMessageMetadata minimal;
  minimal.set_payload_size(0);
  write(dir, "minimal", minimal.SerializeAsString());
  // field 20 varint 1, field 21 fixed64, field 22 group holding field 1 varint, then partition_key twice
  const std::string unknown = std::string("\xa0\x01\x01\xa9\x01", 5) + std::string(8, '\x07') +
                              std::string("\xb3\x01\x08\x05\xb4\x01", 6) + "\x12\x01a\x12\x01b\x18\x00";
  write(dir, "unknown_fields", unknown);
}

void compressed(const fs::path& root) {
  const std::string samples[] = {"", "a", "hello hello hello hello", batch_of(20)};
  const std::pair<pb::CompressionType, const char*> codecs[] = {
      {pb::LZ4, "lz4"}, {pb::ZLIB, "zlib"}, {pb::ZSTD, "zstd"}, {pb::SNAPPY, "snappy"}};
  for (const auto& [type, name] : codecs) {
    const fs::path dir = root / (std::string("fuzz_pulsar_decompress_") + name);
    int i = 0;
    for (const std::string& s : samples) {
      std::string in;
      for (int shift = 16; shift >= 0; shift -= 8) in.push_back(static_cast<char>(s.size() >> shift));
      in += *compress(type, s);
      write(dir, "sample_" + std::to_string(i++), in);
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s <corpus-root>\n", argv[0]);
    return 2;
  }
  const fs::path root = argv[1];
  frames(root / "fuzz_pulsar_frame");
  batches(root / "fuzz_pulsar_batch");
  single_metadatas(root / "fuzz_pulsar_single_metadata");
  compressed(root);
  return 0;
}
