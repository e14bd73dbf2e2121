#include "pulsar/proto/frame_decoder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "test_bytes.h"

namespace pk::pulsar::proto {
namespace {

using ::testing::HasSubstr;
using testing::to_hex;

// A one-line summary of everything a Frame holds, so two decodings can be compared with EXPECT_EQ.
std::string describe(const Frame& f) {
  std::string out = pb::BaseCommand::Type_Name(f.command.type()) + " cmd=" + to_hex(f.command.SerializeAsString());
  if (f.broker_entry_metadata) out += " bem=" + to_hex(f.broker_entry_metadata->SerializeAsString());
  if (f.has_payload) {
    out += " md=" + to_hex(f.metadata.SerializePartialAsString()) + " payload=" + to_hex(f.payload);
    out += f.checksum_present ? (f.checksum_valid ? " crc=ok" : " crc=bad") : " crc=none";
  }
  return out;
}

pb::BaseCommand simple(pb::BaseCommand::Type type) {
  pb::BaseCommand cmd;
  cmd.set_type(type);
  if (type == pb::BaseCommand::PING) cmd.mutable_ping();
  if (type == pb::BaseCommand::PONG) cmd.mutable_pong();
  return cmd;
}

pb::BaseCommand message_command(uint64_t consumer_id, uint64_t entry) {
  pb::BaseCommand cmd;
  cmd.set_type(pb::BaseCommand::MESSAGE);
  cmd.mutable_message()->set_consumer_id(consumer_id);
  cmd.mutable_message()->mutable_message_id()->set_ledgerid(1);
  cmd.mutable_message()->mutable_message_id()->set_entryid(entry);
  return cmd;
}

pb::MessageMetadata metadata(uint64_t sequence_id) {
  pb::MessageMetadata md;
  md.set_producer_name("producer");
  md.set_sequence_id(sequence_id);
  md.set_publish_time(1700000000000 + sequence_id);
  return md;
}

// A stream of assorted frames and what each must decode to.
struct Stream {
  std::string bytes;
  std::vector<std::string> expected;
};

Stream make_stream() {
  Stream s;
  std::vector<std::string> frames;
  auto add_simple = [&](const pb::BaseCommand& cmd) {
    std::string f;
    append_simple_command(f, cmd);
    frames.push_back(f);
  };
  auto add_payload = [&](const pb::BaseCommand& cmd, const pb::MessageMetadata& md, std::string_view payload) {
    std::string f;
    append_payload_command(f, cmd, md, payload);
    frames.push_back(f);
  };
  add_simple(simple(pb::BaseCommand::PING));
  add_payload(message_command(1, 1), metadata(1), "first");
  add_payload(message_command(1, 2), metadata(2), "");
  add_simple(simple(pb::BaseCommand::PONG));
  {
    // MESSAGE with broker entry metadata: [command][0e02][size][BrokerEntryMetadata][checksum part].
    std::string with_checksum;
    append_payload_command(with_checksum, message_command(3, 9), metadata(9), "with broker entry metadata");
    const std::string cmd = message_command(3, 9).SerializeAsString();
    pb::BrokerEntryMetadata bem;
    bem.set_broker_timestamp(77);
    bem.set_index(88);
    const std::string bem_bytes = bem.SerializeAsString();
    std::string rest = std::string("\x0e\x02\x00\x00\x00", 5) + static_cast<char>(bem_bytes.size()) + bem_bytes +
                       with_checksum.substr(8 + cmd.size());
    std::string f;
    for (uint32_t v : {static_cast<uint32_t>(4 + cmd.size() + rest.size()), static_cast<uint32_t>(cmd.size())}) {
      for (int shift = 24; shift >= 0; shift -= 8) f.push_back(static_cast<char>(v >> shift));
    }
    frames.push_back(f + cmd + rest);
  }
  add_payload(message_command(2, 3), metadata(3), std::string(3000, 'x'));
  {
    // A corrupted payload: must come out with crc=bad, and the stream must continue after it.
    std::string f;
    append_payload_command(f, message_command(1, 4), metadata(4), "corrupt me");
    f.back() ^= 1;
    frames.push_back(f);
  }
  pb::BaseCommand lookup;
  lookup.set_type(pb::BaseCommand::LOOKUP_RESPONSE);
  lookup.mutable_lookuptopicresponse()->set_request_id(5);
  lookup.mutable_lookuptopicresponse()->set_brokerserviceurl("pulsar://broker:6650");
  add_simple(lookup);

  for (const auto& f : frames) {
    s.bytes += f;
    auto parsed = parse_frame(f);
    EXPECT_TRUE(parsed.ok());
    s.expected.push_back(describe(*parsed));
  }
  EXPECT_THAT(s.expected[4], HasSubstr("bem="));
  EXPECT_THAT(s.expected[6], HasSubstr("crc=bad"));
  return s;
}

// Drains every complete frame; fails the test on a decode error.
void drain(FrameDecoder& d, std::vector<std::string>& out) {
  while (true) {
    auto next = d.next();
    ASSERT_TRUE(next.ok()) << next.error().to_string();
    if (!next->has_value()) return;
    out.push_back(describe(**next));
  }
}

TEST(FrameDecoder, WholeStreamAtOnce) {
  const Stream s = make_stream();
  FrameDecoder d;
  d.feed(s.bytes);
  std::vector<std::string> got;
  drain(d, got);
  EXPECT_EQ(got, s.expected);
  EXPECT_EQ(d.buffered(), 0u);
  EXPECT_EQ(d.stream_offset(), s.bytes.size());
}

TEST(FrameDecoder, ReusedFrameCarriesNothingOverFromThePreviousFrame) {
  const Stream s = make_stream();
  for (size_t chunk : {s.bytes.size(), size_t{1}, size_t{7}}) {
    FrameDecoder d;
    Frame frame;
    std::vector<std::string> got;
    for (size_t pos = 0; pos < s.bytes.size(); pos += chunk) {
      d.feed(std::string_view(s.bytes).substr(pos, chunk));
      while (true) {
        auto next = d.next(frame);
        ASSERT_TRUE(next.ok()) << next.error().to_string();
        if (!*next) break;
        got.push_back(describe(frame));
      }
    }
    EXPECT_EQ(got, s.expected) << "chunk " << chunk;
  }
}

TEST(FrameDecoder, OneByteAtATime) {
  const Stream s = make_stream();
  FrameDecoder d;
  std::vector<std::string> got;
  for (char c : s.bytes) {
    d.feed(std::string_view(&c, 1));
    drain(d, got);
  }
  EXPECT_EQ(got, s.expected);
  EXPECT_EQ(d.buffered(), 0u);
}

TEST(FrameDecoder, SplitAtEveryOffset) {
  const Stream s = make_stream();
  for (size_t cut = 0; cut <= s.bytes.size(); ++cut) {
    FrameDecoder d;
    std::vector<std::string> got;
    d.feed(std::string_view(s.bytes).substr(0, cut));
    drain(d, got);
    d.feed(std::string_view(s.bytes).substr(cut));
    drain(d, got);
    ASSERT_EQ(got, s.expected) << "split at " << cut;
  }
}

TEST(FrameDecoder, RandomChunksThroughPrepareAndCommit) {
  const Stream s = make_stream();
  std::mt19937 rng(7);
  for (int round = 0; round < 50; ++round) {
    FrameDecoder d;
    std::vector<std::string> got;
    size_t pos = 0;
    while (pos < s.bytes.size()) {
      // Ask for more room than is filled, as a socket read does.
      const size_t room = 1 + rng() % 700;
      const size_t n = std::min<size_t>(1 + rng() % room, s.bytes.size() - pos);
      std::span<char> buf = d.prepare(room);
      ASSERT_EQ(buf.size(), room);
      std::copy_n(s.bytes.data() + pos, n, buf.data());
      d.commit(n);
      pos += n;
      drain(d, got);
    }
    ASSERT_EQ(got, s.expected) << "round " << round;
  }
}

TEST(FrameDecoder, NeedsMoreBytesUntilTheFrameIsComplete) {
  std::string f;
  append_simple_command(f, simple(pb::BaseCommand::PING));
  FrameDecoder d;
  d.feed(f.substr(0, f.size() - 1));
  auto next = d.next();
  ASSERT_TRUE(next.ok());
  EXPECT_FALSE(next->has_value());
  EXPECT_EQ(d.buffered(), f.size() - 1);
  d.feed(f.substr(f.size() - 1));
  next = d.next();
  ASSERT_TRUE(next.ok());
  ASSERT_TRUE(next->has_value());
  EXPECT_EQ((*next)->command.type(), pb::BaseCommand::PING);
}

std::string frame_with_total_size(uint32_t total) {
  // A PING frame padded with an unknown protobuf field to reach exactly `total` bytes after the size field.
  // Field 99 (length-delimited) = tag bytes 9a 06; then a 2-byte varint length (the frames here are 200..16383).
  std::string cmd = simple(pb::BaseCommand::PING).SerializeAsString();
  const size_t pad = total - 4 - cmd.size() - 4;
  cmd += "\x9a\x06";
  cmd.push_back(static_cast<char>(0x80 | (pad & 0x7f)));
  cmd.push_back(static_cast<char>(pad >> 7));
  cmd += std::string(pad, 'p');
  std::string f;
  for (uint32_t v : {total, static_cast<uint32_t>(cmd.size())}) {
    for (int shift = 24; shift >= 0; shift -= 8) f.push_back(static_cast<char>(v >> shift));
  }
  return f + cmd;
}

TEST(FrameDecoder, FrameAtTheMaximumSizeIsAcceptedOneByteMoreIsNot) {
  FrameDecoder ok(1000);
  ok.feed(frame_with_total_size(996));  // 4 + 996 = 1000 bytes
  auto frame = ok.next();
  ASSERT_TRUE(frame.ok()) << frame.error().to_string();
  ASSERT_TRUE(frame->has_value());
  EXPECT_EQ((*frame)->command.type(), pb::BaseCommand::PING);

  FrameDecoder too_big(1000);
  too_big.feed(frame_with_total_size(997).substr(0, 4));  // refused on the size field alone
  auto error = too_big.next();
  ASSERT_FALSE(error.ok());
  EXPECT_EQ(error.error().code, ErrorCode::kMalformedInput);
  EXPECT_THAT(error.error().message, HasSubstr("frame at stream offset 0 declares totalSize 997"));
  EXPECT_THAT(error.error().message, HasSubstr("maximum frame size of 1000 bytes"));
}

TEST(FrameDecoder, DefaultMaximumIsFiveMebibytesPlusOverhead) {
  FrameDecoder d;
  EXPECT_EQ(d.max_frame_size(), 5u * 1024 * 1024 + 10 * 1024);
  d.set_max_frame_size(2 * 1024 * 1024);
  EXPECT_EQ(d.max_frame_size(), 2u * 1024 * 1024);
  d.feed(std::string("\x00\x20\x00\x00", 4));  // totalSize 2 MiB: 4 bytes over
  EXPECT_FALSE(d.next().ok());
}

TEST(FrameDecoder, ErrorsNameTheStreamOffsetAndStick) {
  std::string good;
  append_simple_command(good, simple(pb::BaseCommand::PING));
  append_simple_command(good, simple(pb::BaseCommand::PONG));
  FrameDecoder d;
  d.feed(good);
  d.feed(std::string("\x00\x00\x00\x06\x00\x00\x00\x09\x08\x12", 10));  // commandSize 9 > 2
  ASSERT_TRUE(d.next().ok());
  ASSERT_TRUE(d.next().ok());
  auto error = d.next();
  ASSERT_FALSE(error.ok());
  EXPECT_THAT(error.error().message, HasSubstr("frame at stream offset " + std::to_string(good.size())));
  EXPECT_THAT(error.error().message, HasSubstr("commandSize 9 exceeds the 2 bytes left"));
  EXPECT_THAT(error.error().message, HasSubstr("at frame offset 4"));
  EXPECT_TRUE(d.failed());

  // Stays failed: more (valid) bytes do not revive it.
  d.feed(good);
  auto again = d.next();
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().message, error.error().message);
}

TEST(FrameDecoder, TotalSizeTooSmallForCommandSize) {
  FrameDecoder d;
  d.feed(std::string("\x00\x00\x00\x03", 4));
  auto error = d.next();
  ASSERT_FALSE(error.ok());
  EXPECT_THAT(error.error().message, HasSubstr("totalSize 3: too small"));
}

TEST(FrameDecoder, GivesBackMemoryAfterALargeFrame) {
  FrameDecoder d;
  std::string big;
  pb::MessageMetadata md = metadata(1);
  append_payload_command(big, message_command(1, 1), md, std::string(1 << 20, 'b'));
  d.feed(big);
  auto frame = d.next();
  ASSERT_TRUE(frame.ok());
  ASSERT_TRUE(frame->has_value());
  EXPECT_EQ((*frame)->payload.size(), 1u << 20);
  EXPECT_EQ(d.buffered(), 0u);
  // Later small frames still decode (buffer released and regrown).
  std::string small;
  append_simple_command(small, simple(pb::BaseCommand::PING));
  d.feed(small);
  frame = d.next();
  ASSERT_TRUE(frame.ok());
  EXPECT_TRUE(frame->has_value());
}

}  // namespace
}  // namespace pk::pulsar::proto
