#include "pulsar/proto/murmur3.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <tuple>

namespace pk::pulsar::proto {
namespace {

// Published MurmurHash3_x86_32 values (seed 0) of the reference algorithm.
TEST(Murmur3, ReferenceVectors) {
  EXPECT_EQ(murmur3_32(""), 0u);
  EXPECT_EQ(murmur3_32("a"), 0x3c2569b2u);
  EXPECT_EQ(murmur3_32("hello"), 0x248bfa47u);
  EXPECT_EQ(murmur3_32("The quick brown fox jumps over the lazy dog"), 0x2e4ff723u);
}

// Values computed with a transcription of org.apache.pulsar.common.util.Murmur3_32Hash (seed 0, little-endian
// 4-byte blocks, tail bytes via UnsignedBytes.toInt, & Integer.MAX_VALUE), independent of this implementation:
// key, full 32-bit hash, Pulsar hash, partition of 7, Key_Shared hash (Pulsar 4.x: 0 -> 1).
struct Vector {
  std::string_view key;
  uint32_t murmur;
  int32_t pulsar;
  int32_t partition_of_7;
  int32_t key_shared;
};

const Vector kVectors[] = {
    {"", 0x0u, 0, 0, 1},
    {"a", 0x3c2569b2u, 1009084850, 4, 27058},
    {"ab", 0x9bbfd75fu, 465557343, 6, 55135},
    {"abc", 0xb3dd93fau, 870159354, 1, 37882},
    {"abcd", 0x43ed676au, 1139631978, 2, 26474},
    {"abcde", 0xe89b9af6u, 1755028214, 2, 39670},
    {"abcdef", 0x6181c085u, 1635893381, 3, 49285},
    {"abcdefg", 0x883c9b06u, 138189574, 5, 39686},
    {"abcdefgh", 0x49ddccc4u, 1239272644, 1, 52420},
    {"h\xc3\xa9llo", 0xbc9fa068u, 1017094248, 2, 41064},  // "héllo" in UTF-8
    // "日本語キー": 15 bytes, a 3-byte tail of bytes >= 0x80 (the unsigned tail handling matters here).
    {"\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x82\xad\xe3\x83\xbc", 0xdffdd7d8u, 1610471384, 4, 55256},
    {"\xf0\x9f\x98\x80", 0xbeb42efau, 1051995898, 2, 12026},  // U+1F600
    {std::string_view("\xff\xfe\x80\x00", 4), 0x0b714321u, 191972129, 6, 17185},
    {"key-1", 0x98b115a0u, 414258592, 6, 5536},
    {"shardId-000000000000", 0x014b9c16u, 21732374, 6, 39958},
    {"49590338271490256608559692538361571095921575989136588898", 0x6f716f4cu, 1869705036, 3, 28492},
};

TEST(Murmur3, PulsarJavaClientVectors) {
  for (const Vector& v : kVectors) {
    SCOPED_TRACE(std::string(v.key));
    EXPECT_EQ(murmur3_32(v.key), v.murmur);
    EXPECT_EQ(murmur3_32_pulsar(v.key), v.pulsar);
    EXPECT_EQ(partition_for_key(v.key, 7), v.partition_of_7);
    EXPECT_EQ(key_shared_hash(v.key), v.key_shared);
  }
}

TEST(Murmur3, PulsarHashIsNeverNegativeAndPartitionsStayInRange) {
  // The top bit of the 32-bit hash is set for "ab" and others above; masking keeps them non-negative.
  for (int i = 0; i < 10000; ++i) {
    const std::string key = "k" + std::to_string(i);
    const int32_t h = murmur3_32_pulsar(key);
    ASSERT_GE(h, 0) << key;
    const int32_t p = partition_for_key(key, 3);
    ASSERT_GE(p, 0);
    ASSERT_LT(p, 3);
    const int32_t ks = key_shared_hash(key);
    ASSERT_GE(ks, 1);
    ASSERT_LT(ks, kKeySharedHashRangeSize);
  }
}

TEST(Murmur3, SeedChangesTheHash) {
  EXPECT_NE(murmur3_32("hello", 1), murmur3_32("hello", 0));
}

}  // namespace
}  // namespace pk::pulsar::proto
