#include "pulsar/proto/single_metadata.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "test_bytes.h"

namespace pk::pulsar::proto {
namespace {

using ::testing::HasSubstr;
using testing::hex_bytes;

struct Read {
  Status status;
  SingleMetadataView view;
  std::vector<KeyValueView> properties;
};

// A Read is returned by pointer: its view's properties point into its own vector.
std::unique_ptr<Read> read(std::string_view bytes) {
  auto r = std::make_unique<Read>();
  r->status = parse_single_metadata(bytes, r->properties, r->view);
  r->view.bind_properties(r->properties);
  return r;
}

TEST(SingleMetadata, EveryFieldReadsAsTheGeneratedParserReadsIt) {
  pb::SingleMessageMetadata md;
  for (int i = 0; i < 3; ++i) {
    auto* kv = md.add_properties();
    kv->set_key("key " + std::to_string(i));
    kv->set_value(std::string(300, static_cast<char>('a' + i)));  // a two-byte length
  }
  md.set_partition_key(std::string("bin\0ary", 7));
  md.set_payload_size(123456);
  md.set_compacted_out(true);
  md.set_event_time(1700000000123);
  md.set_partition_key_b64_encoded(true);
  md.set_ordering_key("ord");
  md.set_sequence_id(UINT64_MAX);
  md.set_null_value(true);
  md.set_null_partition_key(true);
  const std::string bytes = md.SerializeAsString();
  auto r = read(bytes);
  ASSERT_TRUE(r->status.ok()) << r->status.error().to_string();
  EXPECT_TRUE(same_fields(r->view, md));
  EXPECT_EQ(r->view.partition_key(), std::string_view("bin\0ary", 7));
  EXPECT_EQ(r->view.properties(2).value(), std::string(300, 'c'));
  EXPECT_EQ(r->view.sequence_id(), UINT64_MAX);
  // Views into the input, not copies.
  EXPECT_GE(r->view.ordering_key().data(), bytes.data());
  EXPECT_LT(r->view.ordering_key().data(), bytes.data() + bytes.size());
}

TEST(SingleMetadata, AbsentFieldsAreAbsentAndDefault) {
  auto r = read(hex_bytes("18 00"));  // payload_size 0 only
  ASSERT_TRUE(r->status.ok());
  EXPECT_FALSE(r->view.has_partition_key());
  EXPECT_FALSE(r->view.has_ordering_key());
  EXPECT_FALSE(r->view.has_event_time());
  EXPECT_FALSE(r->view.has_sequence_id());
  EXPECT_EQ(r->view.properties_size(), 0);
  EXPECT_FALSE(r->view.null_value());
}

TEST(SingleMetadata, ProtobufRulesForRepeatsMismatchedTypesAndUnknownFields) {
  // partition_key twice (the last wins); payload_size as a length-delimited field (an unknown field, so the
  // required one is still missing below); unknown varint, fixed32, fixed64 and a group with a nested group.
  const std::string repeated_key = hex_bytes("12 01 61 12 01 62 18 05");
  auto r = read(repeated_key);
  ASSERT_TRUE(r->status.ok());
  EXPECT_EQ(r->view.partition_key(), "b");
  pb::SingleMessageMetadata md;
  ASSERT_TRUE(md.ParseFromString(repeated_key));
  EXPECT_TRUE(same_fields(r->view, md));

  const std::string unknown = hex_bytes(
      "a0 01 07 ad 01 01 02 03 04 a9 01 01 02 03 04 05 06 07 08"
      " b3 01 bb 01 08 01 bc 01 b4 01 18 09");
  r = read(unknown);
  ASSERT_TRUE(r->status.ok()) << r->status.error().to_string();
  EXPECT_EQ(r->view.payload_size(), 9);
  ASSERT_TRUE(md.ParseFromString(unknown));
  EXPECT_TRUE(same_fields(r->view, md));

  // A 5-byte tag whose bits past 32 protobuf drops (found by fuzz_pulsar_single_metadata): field 295648892,
  // fixed64, an unknown field.
  const std::string long_tag = hex_bytes("18 02 e1 e7 e7 e7 18 01 02 03 04 05 06 07 08");
  r = read(long_tag);
  ASSERT_TRUE(r->status.ok()) << r->status.error().to_string();
  ASSERT_TRUE(md.ParseFromString(long_tag));
  EXPECT_TRUE(same_fields(r->view, md));

  r = read(hex_bytes("1a 01 05"));
  EXPECT_THAT(r->status.error().message, HasSubstr("the required payload_size is missing"));
  EXPECT_FALSE(md.ParseFromString(hex_bytes("1a 01 05")));
}

TEST(SingleMetadata, MalformedInputIsRefusedWithTheReason) {
  auto expect_refused = [](std::string_view hex, std::string_view what) {
    auto r = read(hex_bytes(hex));
    ASSERT_FALSE(r->status.ok()) << hex;
    EXPECT_EQ(r->status.error().code, ErrorCode::kMalformedInput);
    EXPECT_THAT(r->status.error().message, HasSubstr(what)) << hex;
    pb::SingleMessageMetadata md;
    EXPECT_FALSE(md.ParseFromString(hex_bytes(hex))) << "protobuf accepts " << hex;
  };
  expect_refused("18", "field 3 has a bad varint (at metadata byte 1)");
  expect_refused("18 ff ff ff ff ff ff ff ff ff ff 01", "field 3 has a bad varint");
  expect_refused("18 01 12 05 61", "field 2 runs past the end (at metadata byte 4)");
  expect_refused("18 01 0a 02 0a 00", "a property lacks its required key or value");
  expect_refused("18 01 0a 04 0a 00 12 03", "a property's value runs past its end");
  expect_refused("18 01 b3 01 b4 02", "unknown field 22 is malformed");
  expect_refused("18 01 a9 01 01 02", "unknown field 21 is malformed");
  expect_refused("18 01 0c", "unknown field 1 is malformed");
  expect_refused("18 01 a6 01", "unknown field 20 is malformed");
  expect_refused("18 01 00", "bad tag");
}

TEST(SingleMetadata, RandomMetadatasReadAsTheGeneratedParserReadsThem) {
  std::mt19937_64 rng(11);
  for (int n = 0; n < 2000; ++n) {
    pb::SingleMessageMetadata md;
    const int props = static_cast<int>(rng() % 4);
    for (int i = 0; i < props; ++i) {
      auto* kv = md.add_properties();
      // Any bytes would do for our reader; ASCII keeps protobuf from logging about UTF-8 while serializing.
      kv->set_key(std::string(rng() % 20, static_cast<char>('a' + rng() % 26)));
      kv->set_value(std::string(rng() % 200, static_cast<char>(' ' + rng() % 90)));
    }
    if (rng() % 2) md.set_partition_key(std::string(rng() % 40, 'k'));
    md.set_payload_size(static_cast<int32_t>(rng()));
    if (rng() % 2) md.set_compacted_out(rng() % 2);
    if (rng() % 2) md.set_event_time(rng());
    if (rng() % 2) md.set_partition_key_b64_encoded(rng() % 2);
    if (rng() % 2) md.set_ordering_key(std::string(rng() % 5, 'o'));
    if (rng() % 2) md.set_sequence_id(rng() >> (rng() % 64));
    if (rng() % 2) md.set_null_value(rng() % 2);
    if (rng() % 2) md.set_null_partition_key(rng() % 2);
    const std::string bytes = md.SerializeAsString();  // the views point into it
    auto r = read(bytes);
    ASSERT_TRUE(r->status.ok()) << n;
    ASSERT_TRUE(same_fields(r->view, md)) << n << ": " << md.ShortDebugString();
  }
}

}  // namespace
}  // namespace pk::pulsar::proto
