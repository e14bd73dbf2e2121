#include "pulsar/proto/frame.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "test_bytes.h"

namespace pk::pulsar::proto {
namespace {

using ::testing::HasSubstr;
using testing::hex_bytes;
using ::testing::Not;
using testing::to_hex;

pb::BaseCommand ping() {
  pb::BaseCommand cmd;
  cmd.set_type(pb::BaseCommand::PING);
  cmd.mutable_ping();
  return cmd;
}

pb::BaseCommand send(uint64_t producer_id, uint64_t sequence_id) {
  pb::BaseCommand cmd;
  cmd.set_type(pb::BaseCommand::SEND);
  cmd.mutable_send()->set_producer_id(producer_id);
  cmd.mutable_send()->set_sequence_id(sequence_id);
  return cmd;
}

pb::MessageMetadata metadata(std::string producer, uint64_t sequence_id, uint64_t publish_time) {
  pb::MessageMetadata md;
  md.set_producer_name(std::move(producer));
  md.set_sequence_id(sequence_id);
  md.set_publish_time(publish_time);
  return md;
}

std::string be32(uint32_t v) {
  std::string out(4, '\0');
  out[0] = static_cast<char>(v >> 24);
  out[1] = static_cast<char>(v >> 16);
  out[2] = static_cast<char>(v >> 8);
  out[3] = static_cast<char>(v);
  return out;
}

// A frame assembled by hand: [totalSize][commandSize][command][rest].
std::string frame_of(std::string_view command, std::string_view rest) {
  const auto total = static_cast<uint32_t>(4 + command.size() + rest.size());
  return be32(total) + be32(static_cast<uint32_t>(command.size())) + std::string(command) + std::string(rest);
}

std::string serialized(const google::protobuf::MessageLite& m) {
  return m.SerializePartialAsString();
}

// SEND{producer_id 1, sequence_id 0} / metadata{producer_name "p", sequence_id 0, publish_time 1} / "hi".
const char* const kGoldenSend =
    "00 00 00 1f"               // totalSize 31
    " 00 00 00 08"              // commandSize 8
    " 08 06 32 04 08 01 10 00"  // BaseCommand{type SEND, send{producer_id 1, sequence_id 0}}
    " 0e 01"                    // checksum magic
    " 7e d8 df 46"              // crc32c of the 13 bytes below (computed independently of our crc32c)
    " 00 00 00 07"              // metadataSize 7
    " 0a 01 70 10 00 18 01"     // MessageMetadata
    " 68 69";                   // payload

TEST(FrameEncode, PingGoldenBytes) {
  std::string out;
  append_simple_command(out, ping());
  EXPECT_EQ(to_hex(out), "00 00 00 09 00 00 00 05 08 12 92 01 00");
}

TEST(FrameEncode, SendGoldenBytes) {
  std::string out;
  append_payload_command(out, send(1, 0), metadata("p", 0, 1), "hi");
  EXPECT_EQ(to_hex(out), to_hex(hex_bytes(kGoldenSend)));
  EXPECT_EQ(payload_command_size(send(1, 0), metadata("p", 0, 1), 2), out.size());
}

TEST(FrameEncode, AppendsAfterExistingBytes) {
  std::string out = "xyz";
  append_simple_command(out, ping());
  append_payload_command(out, send(1, 0), metadata("p", 0, 1), "hi");
  EXPECT_EQ(out.substr(0, 3), "xyz");
  EXPECT_EQ(to_hex(out.substr(3, 13)), "00 00 00 09 00 00 00 05 08 12 92 01 00");
  EXPECT_EQ(to_hex(out.substr(16)), to_hex(hex_bytes(kGoldenSend)));
}

TEST(FrameParse, GoldenSend) {
  auto frame = parse_frame(hex_bytes(kGoldenSend));
  ASSERT_TRUE(frame.ok()) << frame.error().to_string();
  EXPECT_EQ(frame->command.type(), pb::BaseCommand::SEND);
  EXPECT_EQ(frame->command.send().producer_id(), 1u);
  EXPECT_TRUE(frame->has_payload);
  EXPECT_TRUE(frame->checksum_present);
  EXPECT_TRUE(frame->checksum_valid);
  EXPECT_FALSE(frame->broker_entry_metadata.has_value());
  EXPECT_EQ(frame->metadata.producer_name(), "p");
  EXPECT_EQ(frame->metadata.publish_time(), 1u);
  EXPECT_EQ(frame->payload, "hi");
}

TEST(FrameParse, SimpleCommandRoundTrip) {
  pb::BaseCommand cmd;
  cmd.set_type(pb::BaseCommand::LOOKUP);
  cmd.mutable_lookuptopic()->set_topic("persistent://public/default/t");
  cmd.mutable_lookuptopic()->set_request_id(42);
  std::string out;
  append_simple_command(out, cmd);
  auto frame = parse_frame(out);
  ASSERT_TRUE(frame.ok()) << frame.error().to_string();
  EXPECT_EQ(frame->command.SerializeAsString(), cmd.SerializeAsString());
  EXPECT_FALSE(frame->has_payload);
  EXPECT_FALSE(frame->checksum_present);
}

TEST(FrameParse, PayloadRoundTripWithBinaryAndLargePayloads) {
  std::string binary("\0\x01\xff\x0e\x01\x0e\x02", 7);
  std::string large(1 << 20, '\0');
  for (size_t i = 0; i < large.size(); ++i) large[i] = static_cast<char>(i * 131 + (i >> 9));
  for (const std::string& payload : {std::string(), binary, large}) {
    auto md = metadata("producer-1", 77, 1700000000000);
    md.set_partition_key("key");
    md.set_num_messages_in_batch(3);
    auto* kv = md.add_properties();
    kv->set_key("k");
    kv->set_value("v");
    std::string out;
    append_payload_command(out, send(9, 77), md, payload);
    auto frame = parse_frame(out);
    ASSERT_TRUE(frame.ok()) << frame.error().to_string();
    EXPECT_TRUE(frame->checksum_valid);
    EXPECT_EQ(frame->metadata.SerializeAsString(), md.SerializeAsString());
    EXPECT_EQ(frame->payload, payload);
  }
}

TEST(FrameParse, WithoutChecksum) {
  const std::string md = serialized(metadata("p", 0, 1));
  auto frame = parse_frame(frame_of(serialized(send(1, 0)), be32(static_cast<uint32_t>(md.size())) + md + "hi"));
  ASSERT_TRUE(frame.ok()) << frame.error().to_string();
  EXPECT_TRUE(frame->has_payload);
  EXPECT_FALSE(frame->checksum_present);
  EXPECT_TRUE(frame->checksum_valid);
  EXPECT_EQ(frame->payload, "hi");
}

// What a broker with broker entry metadata enabled sends: [0e02][size][BrokerEntryMetadata] before the checksum.
std::string message_frame_with_broker_entry_metadata() {
  pb::BaseCommand cmd;
  cmd.set_type(pb::BaseCommand::MESSAGE);
  cmd.mutable_message()->set_consumer_id(3);
  cmd.mutable_message()->mutable_message_id()->set_ledgerid(10);
  cmd.mutable_message()->mutable_message_id()->set_entryid(11);
  std::string with_checksum;
  append_payload_command(with_checksum, cmd, metadata("p", 5, 6), "payload");
  const std::string cmd_bytes = serialized(cmd);
  const std::string checksum_part = with_checksum.substr(8 + cmd_bytes.size());
  pb::BrokerEntryMetadata bem;
  bem.set_broker_timestamp(123);
  bem.set_index(456);
  const std::string bem_bytes = serialized(bem);
  return frame_of(cmd_bytes,
                  hex_bytes("0e 02") + be32(static_cast<uint32_t>(bem_bytes.size())) + bem_bytes + checksum_part);
}

TEST(FrameParse, BrokerEntryMetadataBeforeChecksum) {
  auto frame = parse_frame(message_frame_with_broker_entry_metadata());
  ASSERT_TRUE(frame.ok()) << frame.error().to_string();
  ASSERT_TRUE(frame->broker_entry_metadata.has_value());
  EXPECT_EQ(frame->broker_entry_metadata->broker_timestamp(), 123u);
  EXPECT_EQ(frame->broker_entry_metadata->index(), 456u);
  EXPECT_TRUE(frame->checksum_present);
  EXPECT_TRUE(frame->checksum_valid);
  EXPECT_EQ(frame->metadata.sequence_id(), 5u);
  EXPECT_EQ(frame->payload, "payload");
}

TEST(FrameParse, BadChecksumIsReportedNotAnError) {
  std::string out;
  append_payload_command(out, send(1, 0), metadata("p", 0, 1), "hello");
  out.back() ^= 0x20;
  auto frame = parse_frame(out);
  ASSERT_TRUE(frame.ok()) << frame.error().to_string();
  EXPECT_TRUE(frame->checksum_present);
  EXPECT_FALSE(frame->checksum_valid);
  EXPECT_EQ(frame->payload, "hellO");
}

TEST(FrameParse, BadChecksumWithCorruptMetadataIsStillNotAnError) {
  std::string out;
  append_payload_command(out, send(1, 0), metadata("p", 0, 1), "hello");
  const size_t metadata_size_at = 8 + serialized(send(1, 0)).size() + 6;
  out[metadata_size_at] = '\x7f';  // metadataSize now far beyond the frame
  auto frame = parse_frame(out);
  ASSERT_TRUE(frame.ok()) << frame.error().to_string();
  EXPECT_FALSE(frame->checksum_valid);
  EXPECT_TRUE(frame->has_payload);
  EXPECT_TRUE(frame->payload.empty());
}

void expect_malformed(std::string_view bytes, std::string_view what, std::string_view offset) {
  auto frame = parse_frame(bytes);
  ASSERT_FALSE(frame.ok()) << "accepted " << to_hex(bytes);
  EXPECT_EQ(frame.error().code, ErrorCode::kMalformedInput);
  EXPECT_THAT(frame.error().message, HasSubstr(what));
  EXPECT_THAT(frame.error().message, HasSubstr(offset));
}

TEST(FrameParse, MalformedFramesNameTheProblemAndOffset) {
  const std::string ping_bytes = serialized(ping());
  const std::string send_bytes = serialized(send(1, 0));
  const std::string md = serialized(metadata("p", 0, 1));
  const std::string md_size = be32(static_cast<uint32_t>(md.size()));

  expect_malformed("", "shorter than the 8-byte size header", "offset 0");
  expect_malformed(hex_bytes("00 00 00 04 00 00"), "shorter than the 8-byte size header", "offset 0");
  expect_malformed(be32(9) + be32(5) + ping_bytes + "x", "totalSize 9 does not match the 10 bytes", "offset 0");
  expect_malformed(be32(9) + be32(6) + ping_bytes, "commandSize 6 exceeds the 5 bytes left", "offset 4");
  expect_malformed(be32(4) + be32(0), "BaseCommand lacks required fields: type", "offset 8");
  // A command cut short: the last byte of the ping sub-message's length is missing.
  expect_malformed(frame_of(ping_bytes.substr(0, 4), ""), "BaseCommand of 4 bytes is not a valid protobuf", "offset 8");
  expect_malformed(frame_of(hex_bytes("ff ff ff"), ""), "not a valid protobuf", "offset 8");
  expect_malformed(frame_of(hex_bytes("08 06"), ""), "command SEND lacks its 'send' field", "offset 8");
  expect_malformed(frame_of(hex_bytes("08 06 32 02 08 01"), ""), "lacks required fields: send.sequence_id", "offset 8");

  const size_t tail = 8 + send_bytes.size();
  expect_malformed(frame_of(send_bytes, "\x0e"), "payload section of 1 bytes is too short",
                   "offset " + std::to_string(tail));
  expect_malformed(frame_of(send_bytes, hex_bytes("0e 02 00 00")), "broker entry metadata section truncated",
                   "offset " + std::to_string(tail));
  expect_malformed(frame_of(send_bytes, hex_bytes("0e 02 00 00 00 09 08 01")),
                   "broker entry metadata size 9 exceeds the 2 bytes left", "offset " + std::to_string(tail + 2));
  expect_malformed(frame_of(send_bytes, hex_bytes("0e 02 00 00 00 02 08 ff")), "BrokerEntryMetadata of 2 bytes",
                   "offset " + std::to_string(tail + 6));
  expect_malformed(frame_of(send_bytes, hex_bytes("0e 01 00 00")), "checksum section truncated",
                   "offset " + std::to_string(tail));
  expect_malformed(frame_of(send_bytes, hex_bytes("0e 03 00 00") + md + "hi"), "unknown magic 0x0e03",
                   "offset " + std::to_string(tail));
  expect_malformed(frame_of(send_bytes, be32(100) + md), "metadata size 100 exceeds the 7 bytes left",
                   "offset " + std::to_string(tail));
  const std::string no_name = serialized(pb::MessageMetadata());  // empty: all required fields missing
  expect_malformed(frame_of(send_bytes, be32(static_cast<uint32_t>(no_name.size())) + no_name + "hi"),
                   "MessageMetadata lacks required fields: producer_name", "offset " + std::to_string(tail + 4));
  expect_malformed(frame_of(send_bytes, be32(3) + hex_bytes("0a 05 70") + "hi"), "MessageMetadata of 3 bytes",
                   "offset " + std::to_string(tail + 4));
}

// Sets every required field of `m` (recursively) to some value, so the message is initialized.
void fill_required(google::protobuf::Message& m) {
  const auto* d = m.GetDescriptor();
  const auto* r = m.GetReflection();
  for (int i = 0; i < d->field_count(); ++i) {
    const auto* f = d->field(i);
    if (!f->is_required()) continue;
    using FD = google::protobuf::FieldDescriptor;
    switch (f->cpp_type()) {
      case FD::CPPTYPE_INT32:
        r->SetInt32(&m, f, 1);
        break;
      case FD::CPPTYPE_INT64:
        r->SetInt64(&m, f, 1);
        break;
      case FD::CPPTYPE_UINT32:
        r->SetUInt32(&m, f, 1);
        break;
      case FD::CPPTYPE_UINT64:
        r->SetUInt64(&m, f, 1);
        break;
      case FD::CPPTYPE_BOOL:
        r->SetBool(&m, f, true);
        break;
      case FD::CPPTYPE_STRING:
        r->SetString(&m, f, "x");
        break;
      case FD::CPPTYPE_ENUM:
        r->SetEnum(&m, f, f->enum_type()->value(0));
        break;
      case FD::CPPTYPE_MESSAGE:
        fill_required(*r->MutableMessage(&m, f));
        break;
      default:
        FAIL() << "unexpected required field type " << f->full_name();
    }
  }
}

// check_sub_command's switch against the descriptor: every declared sub-command is required for its type, and
// types without one are accepted bare.
TEST(FrameParse, EveryDeclaredSubCommandIsRequiredForItsType) {
  const auto* base = pb::BaseCommand::descriptor();
  const auto* types = pb::BaseCommand::Type_descriptor();
  int checked = 0;
  for (int i = 0; i < types->value_count(); ++i) {
    const int type = types->value(i)->number();
    pb::BaseCommand bare;
    bare.set_type(static_cast<pb::BaseCommand::Type>(type));
    auto parsed = parse_frame(frame_of(serialized(bare), ""));
    const auto* field = base->FindFieldByNumber(type);
    if (field == nullptr) {
      EXPECT_TRUE(parsed.ok()) << types->value(i)->name();
      continue;
    }
    ASSERT_FALSE(parsed.ok()) << types->value(i)->name();
    EXPECT_THAT(parsed.error().message, HasSubstr("lacks its '" + field->name() + "' field"));
    pb::BaseCommand with_field = bare;
    fill_required(*with_field.GetReflection()->MutableMessage(&with_field, field));
    auto again = parse_frame(frame_of(serialized(with_field), ""));
    EXPECT_TRUE(again.ok()) << field->name() << ": " << again.error().to_string();
    ++checked;
  }
  EXPECT_EQ(checked, 38);
}

TEST(FrameParse, UnknownCommandTypesStillDecode) {
  // WATCH_TOPIC_UPDATE (66): a type we declare but whose sub-command we do not; the client can skip it.
  auto frame = parse_frame(frame_of(hex_bytes("08 42 92 04 02 08 01"), ""));
  ASSERT_TRUE(frame.ok()) << frame.error().to_string();
  EXPECT_EQ(frame->command.type(), pb::BaseCommand::WATCH_TOPIC_UPDATE);
}

}  // namespace
}  // namespace pk::pulsar::proto
