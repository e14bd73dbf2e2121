#include "aws/event_stream.h"

#include <optional>

#include <gtest/gtest.h>

#include "common/crc32.h"
#include "support/hex.h"

namespace pk::aws {
namespace {

using pk::testing::from_hex;

// The empty message of the AWS documentation.
const std::string kEmpty = from_hex("000000100000000005c248eb7d98c8ff");

// One header of each type and a JSON payload; built independently (Python struct + zlib) and checked with
// botocore's EventStreamBuffer.
const std::string kAllTypes = from_hex(
    "0000008a0000006cda705a29017400016601016202f9017303fed4016904075bcd15016c05fffffee08e04fb3501790600030001ff0b3a65"
    "76656e742d74797065070015537562736372696265546f53686172644576656e74027473080000018bcfe5687b0175090001020304050607"
    "08090a0b0c0d0e0f7b225265636f726473223a5b5d7d838e1913");

EventStreamMessage all_types_message() {
  EventStreamMessage m;
  EventStreamUuid u;
  for (uint8_t i = 0; i < 16; ++i) u.bytes[i] = i;
  m.headers = {
      {"t", true},
      {"f", false},
      {"b", int8_t{-7}},
      {"s", int16_t{-300}},
      {"i", int32_t{123456789}},
      {"l", int64_t{-1234567890123}},
      {"y", EventStreamBytes{std::string("\x00\x01\xff", 3)}},
      {":event-type", std::string("SubscribeToShardEvent")},
      {"ts", EventStreamTimestamp{1700000000123}},
      {"u", u},
  };
  m.payload = R"({"Records":[]})";
  return m;
}

EventStreamMessage event(std::string payload) {
  EventStreamMessage m;
  m.headers = {{":message-type", std::string("event")},
               {":event-type", std::string("SubscribeToShardEvent")},
               {":content-type", std::string("application/json")}};
  m.payload = std::move(payload);
  return m;
}

std::string encode(const EventStreamMessage& m) {
  auto r = encode_event_stream_message(m);
  EXPECT_TRUE(r.ok()) << r.error().to_string();
  return r.ok() ? *r : std::string();
}

TEST(EventStream, DecodesTheEmptyMessageVector) {
  auto m = decode_event_stream_message(kEmpty);
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  EXPECT_TRUE(m->headers.empty());
  EXPECT_TRUE(m->payload.empty());
  EXPECT_EQ(encode(EventStreamMessage{}), kEmpty);
}

TEST(EventStream, DecodesEveryHeaderType) {
  auto m = decode_event_stream_message(kAllTypes);
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  EXPECT_EQ(*m, all_types_message());
  EXPECT_EQ(m->header_string(":event-type"), "SubscribeToShardEvent");
  EXPECT_EQ(m->header_string("t"), "") << "not a string header";
  EXPECT_EQ(m->header_string("absent"), "");
}

TEST(EventStream, EncoderMatchesTheIndependentVector) {
  EXPECT_EQ(encode(all_types_message()), kAllTypes);
}

TEST(EventStreamDecoder, WholeStreamInOneFeed) {
  const std::string stream = encode(event("one")) + kAllTypes + encode(event(std::string(70000, 'x'))) + kEmpty;
  EventStreamDecoder d;
  std::vector<EventStreamMessage> out;
  ASSERT_TRUE(d.feed(stream, out).ok());
  ASSERT_EQ(out.size(), 4u);
  EXPECT_EQ(out[0].payload, "one");
  EXPECT_EQ(out[1], all_types_message());
  EXPECT_EQ(out[2].payload.size(), 70000u);
  EXPECT_EQ(out[3], EventStreamMessage{});
  EXPECT_EQ(d.buffered(), 0u);
  EXPECT_EQ(d.offset(), stream.size());
}

TEST(EventStreamDecoder, ByteByByte) {
  const std::string stream = encode(event("one")) + kAllTypes + encode(event("three"));
  EventStreamDecoder d;
  std::vector<EventStreamMessage> out;
  for (size_t i = 0; i < stream.size(); ++i) {
    ASSERT_TRUE(d.feed(std::string_view(stream).substr(i, 1), out).ok()) << "at byte " << i;
  }
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].payload, "one");
  EXPECT_EQ(out[1], all_types_message());
  EXPECT_EQ(out[2].payload, "three");
  EXPECT_EQ(d.buffered(), 0u);
}

TEST(EventStreamDecoder, SplitAtEveryOffset) {
  const std::string stream = kAllTypes + encode(event("second"));
  for (size_t split = 0; split <= stream.size(); ++split) {
    EventStreamDecoder d;
    std::vector<EventStreamMessage> out;
    ASSERT_TRUE(d.feed(std::string_view(stream).substr(0, split), out).ok()) << split;
    ASSERT_TRUE(d.feed(std::string_view(stream).substr(split), out).ok()) << split;
    ASSERT_EQ(out.size(), 2u) << "split at " << split;
    EXPECT_EQ(out[0], all_types_message());
    EXPECT_EQ(out[1].payload, "second");
  }
}

TEST(EventStreamDecoder, TruncatedFrameWaitsForMore) {
  const std::string frame = encode(event("payload"));
  EventStreamDecoder d;
  std::vector<EventStreamMessage> out;
  ASSERT_TRUE(d.feed(std::string_view(frame).substr(0, frame.size() - 1), out).ok());
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(d.buffered(), frame.size() - 1);
  auto whole = decode_event_stream_message(std::string_view(frame).substr(0, frame.size() - 1));
  ASSERT_FALSE(whole.ok());
  EXPECT_EQ(whole.error().code, ErrorCode::kMalformedInput);
  EXPECT_NE(whole.error().message.find("truncated"), std::string::npos);
  auto prelude_only = decode_event_stream_message(std::string_view(frame).substr(0, 5));
  EXPECT_FALSE(prelude_only.ok());
  auto trailing = decode_event_stream_message(frame + "x");
  ASSERT_FALSE(trailing.ok());
  EXPECT_NE(trailing.error().message.find("follow"), std::string::npos);
}

TEST(EventStreamDecoder, CorruptedPreludeCrcNamesItAndTheOffset) {
  std::string stream = encode(event("first")) + encode(event("second"));
  const size_t first_size = encode(event("first")).size();
  stream[first_size + 9] ^= 0x01;  // inside the second frame's prelude CRC
  EventStreamDecoder d;
  std::vector<EventStreamMessage> out;
  auto st = d.feed(stream, out);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(out.size(), 1u) << "the good first frame is still delivered";
  EXPECT_EQ(st.error().code, ErrorCode::kMalformedInput);
  EXPECT_NE(st.error().message.find("prelude CRC"), std::string::npos) << st.error().message;
  EXPECT_NE(st.error().message.find("offset " + std::to_string(first_size)), std::string::npos) << st.error().message;
  // Stays failed.
  EXPECT_FALSE(d.feed(kEmpty, out).ok());
  EXPECT_TRUE(d.failed());
}

TEST(EventStreamDecoder, CorruptedLengthIsCaughtByThePreludeCrc) {
  std::string frame = encode(event("x"));
  frame[3] ^= 0x40;  // total length
  auto m = decode_event_stream_message(frame);
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.error().message.find("prelude CRC"), std::string::npos);
}

TEST(EventStreamDecoder, CorruptedMessageCrc) {
  for (size_t pos : {size_t{12}, size_t{40}}) {  // a header byte, a payload byte
    std::string frame = encode(event("some payload bytes"));
    ASSERT_LT(pos, frame.size() - 4);
    frame[pos] ^= 0x20;
    EventStreamDecoder d;
    std::vector<EventStreamMessage> out;
    auto st = d.feed(frame, out);
    ASSERT_FALSE(st.ok()) << pos;
    EXPECT_NE(st.error().message.find("message CRC"), std::string::npos) << st.error().message;
    EXPECT_TRUE(out.empty());
  }
  std::string frame = encode(event("p"));
  frame.back() ^= 0x01;  // the CRC itself
  EXPECT_FALSE(decode_event_stream_message(frame).ok());
}

void put32(std::string& out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>((v >> shift) & 0xff));
}

// A frame assembled by hand with valid CRCs around arbitrary header bytes and lengths, to reach every check.
std::string raw_frame(std::string_view headers, std::string_view payload, std::optional<uint32_t> total = {},
                      std::optional<uint32_t> headers_len = {}) {
  std::string f;
  put32(f, total.value_or(static_cast<uint32_t>(16 + headers.size() + payload.size())));
  put32(f, headers_len.value_or(static_cast<uint32_t>(headers.size())));
  put32(f, crc32(f.data(), 8));
  f += headers;
  f += payload;
  put32(f, crc32(f));
  return f;
}

TEST(EventStreamDecoder, BadHeadersAreReportedNotCrashed) {
  struct Case {
    std::string headers;
    std::string expect;
  };
  const std::vector<Case> cases = {
      {std::string("\x01x\x0a", 3), "unknown value type 10"},
      {std::string("\x05"
                   "ab",
                   3),
       "name runs past"},
      {std::string("\x00", 1), "empty header name"},
      {std::string("\x01x\x04\x00\x01", 5), "int32 value runs past"},
      {std::string("\x01x\x07\x00\x09"
                   "abc",
                   8),
       "value of 9 bytes runs past"},
      {std::string("\x01x\x07\x00", 4), "value length runs past"},
      {std::string("\x01x\x09\x00\x01", 5), "uuid value runs past"},
  };
  for (const auto& c : cases) {
    const std::string bytes = raw_frame(c.headers, "payload");
    auto m = decode_event_stream_message(bytes);
    ASSERT_FALSE(m.ok()) << c.expect;
    EXPECT_NE(m.error().message.find(c.expect), std::string::npos) << m.error().message;
  }
}

TEST(EventStreamDecoder, RejectsImpossibleLengthsAndEnforcesLimits) {
  EXPECT_EQ(raw_frame("", ""), kEmpty) << "the helper builds valid frames";
  auto short_total = decode_event_stream_message(raw_frame("", "", 15));
  ASSERT_FALSE(short_total.ok());
  EXPECT_NE(short_total.error().message.find("below the minimum"), std::string::npos);
  auto long_headers = decode_event_stream_message(raw_frame("", "abcd", std::nullopt, 5));
  ASSERT_FALSE(long_headers.ok());
  EXPECT_NE(long_headers.error().message.find("does not fit"), std::string::npos);

  const std::string big = encode(event(std::string(2000, 'z')));
  EventStreamDecoder small(EventStreamLimits{1024, 128});
  std::vector<EventStreamMessage> out;
  auto st = small.feed(std::string_view(big).substr(0, 12), out);
  ASSERT_FALSE(st.ok()) << "the limit is enforced as soon as the prelude arrives";
  EXPECT_NE(st.error().message.find("exceeds the limit"), std::string::npos);

  EventStreamDecoder tight_headers(EventStreamLimits{1 << 20, 8});
  st = tight_headers.feed(big, out);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("headers length"), std::string::npos);
}

TEST(EventStreamEncoder, RefusesWhatTheFormatCannotHold) {
  EventStreamMessage m;
  m.headers = {{std::string(256, 'n'), true}};
  EXPECT_FALSE(encode_event_stream_message(m).ok());
  m.headers = {{"v", std::string(70000, 'v')}};
  EXPECT_FALSE(encode_event_stream_message(m).ok());
  m.headers = {{"", true}};
  EXPECT_FALSE(encode_event_stream_message(m).ok());
}

}  // namespace
}  // namespace pk::aws
