#include "formats/partition_key.h"

#include <gtest/gtest.h>

namespace pk::formats {
namespace {

constexpr std::string_view kTopic = "persistent://public/default/in-partition-0";

PartitionKey key_of(std::optional<std::string_view> key, std::string& scratch, std::string_view topic = kTopic) {
  InputMessage m;
  m.topic = topic;
  m.key = key;
  return partition_key(m, scratch);
}

TEST(PartitionKey, TheMessageKey) {
  std::string scratch;
  const auto k = key_of("order-17", scratch);
  EXPECT_EQ(k.key, "order-17");
  EXPECT_EQ(k.source, PartitionKeySource::kMessageKey);
}

TEST(PartitionKey, ABytesKeyIsItsBase64Text) {
  std::string scratch;
  InputMessage m;
  m.topic = kTopic;
  m.key = "AAEC/w==";
  m.key_is_base64 = true;
  EXPECT_EQ(partition_key(m, scratch).key, "AAEC/w==");
}

TEST(PartitionKey, NoKeyMeansTheTopicName) {
  std::string scratch;
  const auto k = key_of(std::nullopt, scratch);
  EXPECT_EQ(k.key, kTopic);
  EXPECT_EQ(k.source, PartitionKeySource::kTopic);
}

TEST(PartitionKey, AnEmptyKeyFallsBackToTheTopicAndSaysSo) {
  std::string scratch;
  const auto k = key_of("", scratch);
  EXPECT_EQ(k.key, kTopic);
  EXPECT_EQ(k.source, PartitionKeySource::kEmptyKeyTopic);
}

TEST(PartitionKey, NeitherKeyNorTopic) {
  std::string scratch;
  const auto k = key_of(std::nullopt, scratch, "");
  EXPECT_EQ(k.key, "default");
  EXPECT_EQ(k.source, PartitionKeySource::kDefault);
}

TEST(PartitionKey, LongerThan256UnitsIsCutTo255) {
  std::string scratch;
  const std::string k256(256, 'k');
  EXPECT_EQ(key_of(k256, scratch).key, k256);
  const std::string k257(257, 'k');
  EXPECT_EQ(key_of(k257, scratch).key, std::string(255, 'k'));
  // 200 two-byte characters: 400 bytes but only 200 units, kept whole.
  std::string wide;
  for (int i = 0; i < 200; ++i) wide += "\xc3\xa9";
  EXPECT_EQ(key_of(wide, scratch).key, wide);
}

TEST(PartitionKey, ACutThroughASurrogatePairSendsTheHighHalfAsQuestionMark) {
  std::string scratch;
  const std::string key = std::string(254, 'e') + "\xf0\x9f\x98\x80" + "tail";  // units 254-255 are the emoji
  EXPECT_EQ(key_of(key, scratch).key, std::string(254, 'e') + "?");
  std::string emojis;  // 128 emojis = 256 units: not cut
  for (int i = 0; i < 128; ++i) emojis += "\xf0\x9f\x8e\x89";
  EXPECT_EQ(key_of(emojis, scratch).key, emojis);
  emojis += "!";  // 257 units: cut to 255, the last emoji's high half becomes '?'
  const auto cut = key_of(emojis, scratch).key;
  EXPECT_EQ(cut.size(), 127u * 4 + 1);
  EXPECT_EQ(cut.back(), '?');
}

TEST(PartitionKey, BytesThatAreNotUtf8AreReadAsJavaReadsThem) {
  std::string scratch;
  EXPECT_EQ(key_of("k\xff", scratch).key, "k\xef\xbf\xbd");
}

}  // namespace
}  // namespace pk::formats
