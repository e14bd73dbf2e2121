#include "source/record_converter.h"

#include <gtest/gtest.h>

namespace pk::source {
namespace {

using namespace std::chrono_literals;

TEST(InstantText, PrintsLikeJavasInstantToString) {
  EXPECT_EQ(instant_text(kinesis::Timestamp(0ms)), "1970-01-01T00:00:00Z");
  EXPECT_EQ(instant_text(kinesis::Timestamp(1704067200123ms)), "2024-01-01T00:00:00.123Z");
  EXPECT_EQ(instant_text(kinesis::Timestamp(1704067200120ms)), "2024-01-01T00:00:00.120Z");
  EXPECT_EQ(instant_text(kinesis::Timestamp(1709251199001ms)), "2024-02-29T23:59:59.001Z");
  EXPECT_EQ(instant_text(kinesis::Timestamp(-1ms)), "1969-12-31T23:59:59.999Z");
  // The per-second cache: back and forth between seconds, and within one.
  EXPECT_EQ(instant_text(kinesis::Timestamp(1704067200999ms)), "2024-01-01T00:00:00.999Z");
  EXPECT_EQ(instant_text(kinesis::Timestamp(1704067201000ms)), "2024-01-01T00:00:01Z");
  EXPECT_EQ(instant_text(kinesis::Timestamp(1704067200500ms)), "2024-01-01T00:00:00.500Z");
  EXPECT_EQ(instant_text(kinesis::Timestamp(1704067200007ms)), "2024-01-01T00:00:00.007Z");
}

TEST(RecordConverter, WritesBytesUnchangedWithTheSelectedProperties) {
  kinesis::RecordView parent;
  parent.sequence_number = "49590338271490256608559692540925702759324208523137515618";
  parent.partition_key = "outer";
  parent.approximate_arrival = kinesis::Timestamp(1704067200123ms);
  parent.encryption_type = kinesis::EncryptionType::kKms;
  const std::string binary("\x00\xff\xfe binary \x80", 12);
  ConverterSettings settings;
  pulsar::OutgoingMessage m;
  to_message(settings, RecordParts{"inner-key", binary, &parent}, kinesis::ShardId("shardId-000000000001"), 42, m);
  EXPECT_EQ(m.payload, binary);
  EXPECT_EQ(m.key, std::optional<std::string>("inner-key"));
  EXPECT_EQ(m.event_time, 1704067200123u);
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"kinesis.arrival.timestamp", "2024-01-01T00:00:00.123Z"},
      {"kinesis.encryption.type", "KMS"},
      {"kinesis.partition.key", "inner-key"},
      {"kinesis.sequence.number", "49590338271490256608559692540925702759324208523137515618"}};
  EXPECT_EQ(m.properties, expected);

  settings.key_mode = KeyMode::kShardId;
  settings.properties = RecordProperties::from_names({"kinesis.shard.id", " kinesis.millis.behind.latest"}).value();
  to_message(settings, RecordParts{"inner-key", binary, &parent}, kinesis::ShardId("shardId-000000000001"), 42, m);
  EXPECT_EQ(m.key, std::optional<std::string>("shardId-000000000001"));
  const std::vector<std::pair<std::string, std::string>> selected = {{"kinesis.shard.id", "shardId-000000000001"},
                                                                     {"kinesis.millis.behind.latest", "42"}};
  EXPECT_EQ(m.properties, selected);
}

TEST(RecordConverter, UnknownPropertyNamesAreRefusedByName) {
  auto p = RecordProperties::from_names({"kinesis.partition.key", "kinesis.shard"});
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.error().message.find("'kinesis.shard'"), std::string::npos);
}

}  // namespace
}  // namespace pk::source
