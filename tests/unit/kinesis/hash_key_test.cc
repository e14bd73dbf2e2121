#include "kinesis/hash_key.h"

#include <string>

#include <gtest/gtest.h>

namespace pk::kinesis {
namespace {

// Expected values from hash_key_vectors.py (Python hashlib): int(md5(key).hexdigest(), 16).
TEST(HashKey, Md5OfPartitionKeyMatchesPythonHashlib) {
  const std::pair<std::string, std::string> vectors[] = {
      {"a", "16955237001963240173058271559858726497"},
      {"0", "276215275525073243129443018166533317850"},
      {"partition-key-1", "33365116028791453877729010807000998774"},
      {"key-42", "261556916843341475649459158753322759371"},
      {"\xc3\xbcn\xc3\xaf"
       "c\xc3\xb8"
       "d\xc3\xa9",
       "52140493028662414212752546179443769121"},
      {"\xf0\x9f\x98\x80 emoji", "196026261736809216202280783404086227090"},
      {std::string(256, 'x'), "265353499944959180620795534685136097465"},
      {"", "281949768489412648962353822266799178366"},
  };
  for (const auto& [key, expected] : vectors) {
    EXPECT_EQ(HashKey::of_partition_key(key).to_string(), expected) << key;
  }
}

TEST(HashKey, DecimalRoundTripAtTheEdges) {
  const char* texts[] = {"0",
                         "1",
                         "9",
                         "10",
                         "18446744073709551615",
                         "18446744073709551616",
                         "9999999999999999999",
                         "10000000000000000000",
                         "170141183460469231731687303715884105728",
                         "340282366920938463463374607431768211455"};
  for (const char* text : texts) {
    auto key = HashKey::parse(text);
    ASSERT_TRUE(key.ok()) << text << ": " << key.error().to_string();
    EXPECT_EQ(key->to_string(), text);
  }
  EXPECT_EQ(HashKey::max().to_string(), "340282366920938463463374607431768211455");
  EXPECT_EQ(HashKey::parse("18446744073709551616")->high(), 1u);
  EXPECT_EQ(HashKey::parse("18446744073709551616")->low(), 0u);
  EXPECT_EQ(*HashKey::parse("007"), HashKey(7));
}

TEST(HashKey, DecimalOfEveryPowerOfTenAndItsNeighbours) {
  uint128 p = 1;
  for (int digits = 1; digits <= 39; ++digits) {
    for (const uint128 v : {p - 1, p, p + 1, p * 2 - 1}) {
      if (v == 0 && p != 1) continue;
      const HashKey key(v);
      const std::string text = key.to_string();
      EXPECT_EQ(text.size(), key.decimal_size()) << text;
      EXPECT_EQ(*HashKey::parse(text), key) << text;
      EXPECT_TRUE(text == "0" || text[0] != '0') << text;
    }
    if (digits < 39) p *= 10;
  }
  EXPECT_EQ(HashKey(0).to_string(), "0");
  EXPECT_EQ(HashKey(0).decimal_size(), 1u);
  EXPECT_EQ(HashKey::max().decimal_size(), 39u);
}

TEST(HashKey, ParseRejectsWhatIsNotA128BitDecimal) {
  EXPECT_FALSE(HashKey::parse("").ok());
  EXPECT_FALSE(HashKey::parse("340282366920938463463374607431768211456").ok());  // 2^128
  EXPECT_FALSE(HashKey::parse("999999999999999999999999999999999999999").ok());
  EXPECT_FALSE(HashKey::parse("1234567890123456789012345678901234567890").ok());  // 40 digits
  EXPECT_FALSE(HashKey::parse("-1").ok());
  EXPECT_FALSE(HashKey::parse("12 3").ok());
  auto bad = HashKey::parse("12a", "ExplicitHashKey");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(bad.error().message.find("ExplicitHashKey"), std::string::npos) << bad.error().message;
  EXPECT_NE(bad.error().message.find("character 2"), std::string::npos) << bad.error().message;
}

TEST(HashKey, OrderAndRanges) {
  const HashKey half = *HashKey::parse("170141183460469231731687303715884105728");
  EXPECT_LT(HashKey(0), half);
  EXPECT_LT(half, HashKey::max());
  const HashKeyRange lower{HashKey(0), HashKey(half.value() - 1)};
  const HashKeyRange upper{half, HashKey::max()};
  EXPECT_TRUE(lower.contains(HashKey(0)));
  EXPECT_FALSE(lower.contains(half));
  EXPECT_TRUE(upper.contains(half));
  EXPECT_TRUE(upper.contains(HashKey::max()));
  // Every partition key lands in exactly one of two halves.
  for (int i = 0; i < 100; ++i) {
    const HashKey k = HashKey::of_partition_key("key-" + std::to_string(i));
    EXPECT_NE(lower.contains(k), upper.contains(k));
  }
}

}  // namespace
}  // namespace pk::kinesis
