#include "pulsar/proto/batch.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "test_bytes.h"

namespace pk::pulsar::proto {
namespace {

using ::testing::HasSubstr;
using testing::hex_bytes;
using testing::to_hex;

TEST(Batch, GoldenBytesOfTwoMessages) {
  std::string batch;
  pb::SingleMessageMetadata first;
  first.set_partition_key("k");
  first.set_payload_size(2);
  append_single_message(batch, first, "hi");
  pb::SingleMessageMetadata second;
  second.set_sequence_id(7);
  second.set_payload_size(0);
  append_single_message(batch, second, "");
  EXPECT_EQ(to_hex(batch),
            "00 00 00 05 12 01 6b 18 02 68 69"  // [5][partition_key#2 "k", payload_size#3 2]["hi"]
            " 00 00 00 04 18 00 40 07");        // [4][payload_size#3 0, sequence_id#8 7][]
}

TEST(Batch, PayloadSizeIsWrittenWhenTheCallerLeftItOutOrWrong) {
  std::string batch;
  pb::SingleMessageMetadata none;  // payload_size not set
  append_single_message(batch, none, "abc");
  pb::SingleMessageMetadata wrong;
  wrong.set_payload_size(99);
  append_single_message(batch, wrong, "de");
  EXPECT_EQ(to_hex(batch),
            "00 00 00 02 18 03 61 62 63"
            " 00 00 00 04 18 63 18 02 64 65");  // 99 then the real size: the last one wins
  auto entries = split_batch(batch, 2);
  ASSERT_TRUE(entries.ok()) << entries.error().to_string();
  EXPECT_EQ((*entries)[0].metadata.payload_size(), 3);
  EXPECT_EQ((*entries)[0].payload, "abc");
  EXPECT_EQ((*entries)[1].metadata.payload_size(), 2);
  EXPECT_EQ((*entries)[1].payload, "de");
}

TEST(Batch, RoundTripOfAThousandMessages) {
  std::string batch;
  for (int i = 0; i < 1000; ++i) {
    pb::SingleMessageMetadata md;
    md.set_partition_key("key-" + std::to_string(i % 17));
    md.set_event_time(static_cast<uint64_t>(i));
    md.set_sequence_id(static_cast<uint64_t>(i));
    auto* kv = md.add_properties();
    kv->set_key("i");
    kv->set_value(std::to_string(i));
    if (i % 100 == 0) md.set_null_value(true);
    append_single_message(batch, md, std::string(static_cast<size_t>(i % 50), static_cast<char>('a' + i % 26)));
  }
  auto entries = split_batch(batch, 1000);
  ASSERT_TRUE(entries.ok()) << entries.error().to_string();
  ASSERT_EQ(entries->size(), 1000u);
  for (int i = 0; i < 1000; ++i) {
    const BatchEntry& e = (*entries)[static_cast<size_t>(i)];
    ASSERT_EQ(e.metadata.partition_key(), "key-" + std::to_string(i % 17));
    ASSERT_EQ(e.metadata.sequence_id(), static_cast<uint64_t>(i));
    ASSERT_EQ(e.metadata.properties(0).value(), std::to_string(i));
    ASSERT_EQ(e.metadata.null_value(), i % 100 == 0);
    ASSERT_EQ(e.payload, std::string(static_cast<size_t>(i % 50), static_cast<char>('a' + i % 26)));
    // Views into the caller's buffer, not copies.
    ASSERT_GE(e.payload.data(), batch.data());
    ASSERT_LE(e.payload.data() + e.payload.size(), batch.data() + batch.size());
  }
}

void expect_malformed(std::string_view batch, int n, std::string_view what) {
  auto entries = split_batch(batch, n);
  ASSERT_FALSE(entries.ok()) << "accepted " << to_hex(batch);
  EXPECT_EQ(entries.error().code, ErrorCode::kMalformedInput);
  EXPECT_THAT(entries.error().message, HasSubstr(what));
}

TEST(Batch, MalformedBatchesNameTheMessageAndOffset) {
  const std::string one = hex_bytes("00 00 00 02 18 02 68 69");  // a valid single message "hi"
  EXPECT_TRUE(split_batch(one, 1).ok());

  expect_malformed(one, 0, "batch declares 0 messages");
  expect_malformed(one, -3, "batch declares -3 messages");
  expect_malformed(one, 2, "batch of 8 bytes cannot hold the 2 messages");
  expect_malformed(hex_bytes("00 00 00 02 18 04 61 62 63 64 00 00 00"), 2,
                   "batch message 1 of 2: only 3 bytes left for its size (at batch offset 10)");
  expect_malformed(hex_bytes("00 00 00 09 18 02 68 69"), 1, "metadata size 9 exceeds the 4 bytes left");
  expect_malformed(hex_bytes("00 00 00 02 18 05 68 69"), 1, "payload_size 5 does not fit the 2 bytes left");
  expect_malformed(hex_bytes("00 00 00 0b 18 ff ff ff ff ff ff ff ff ff 01 00 00"), 1, "payload_size -1 does not fit");
  expect_malformed(hex_bytes("00 00 00 02 40 01 68 69"), 1,
                   "SingleMessageMetadata of 2 bytes: the required payload_size is missing (at metadata byte 2)");
  expect_malformed(hex_bytes("00 00 00 02 12 05 68 69"), 1,
                   "SingleMessageMetadata of 2 bytes: field 2 runs past the end (at metadata byte 2)");
  expect_malformed(one + "!!", 1, "batch has 2 bytes after its last (1th) message (at batch offset 8)");
  expect_malformed(one + hex_bytes("00 00 00 02 18 07 68 69"), 2, "batch message 1 of 2: payload_size 7");
  expect_malformed(one + hex_bytes("00 00 00 02 18 07 68 69"), 2, "(at batch offset 14)");
}

}  // namespace
}  // namespace pk::pulsar::proto
