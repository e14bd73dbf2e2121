#include "kpl/aggregator.h"

#include <string>

#include <gtest/gtest.h>

#include "common/md5.h"
#include "kpl/deaggregator.h"
#include "kpl_test_util.h"

namespace pk::kpl {
namespace {

using testing::frame;

TEST(Aggregator, EmptyAggregateIsMagicAndDigest) {
  Aggregator agg;
  EXPECT_EQ(agg.size(), 20u);
  EXPECT_TRUE(agg.empty());
  std::string out;
  agg.finish(out);
  EXPECT_EQ(out, frame(""));
}

// Hand-derived from the schema: tables first (field 1 "k", "k2"; field 2 "123"), then the records.
TEST(Aggregator, GoldenBytes) {
  Aggregator agg;
  agg.add("k", std::nullopt, "hello");
  agg.add("k2", "123", "world");
  agg.add("k", "123", "");
  const std::string proto(
      "\x0a\x01k"
      "\x0a\x02k2"
      "\x12\x03"
      "123"
      "\x1a\x09\x08\x00\x1a\x05hello"
      "\x1a\x0b\x08\x01\x10\x00\x1a\x05world"
      "\x1a\x06\x08\x00\x10\x00\x1a\x00",
      3 + 4 + 5 + 11 + 13 + 8);
  ASSERT_EQ(proto.size(), 44u);
  EXPECT_EQ(agg.size(), 4 + 44 + 16u);
  EXPECT_EQ(agg.count(), 3u);
  std::string out;
  agg.finish(out);
  EXPECT_EQ(out, frame(proto));
  // The MD5 trailer of these bytes, computed independently (Python hashlib.md5).
  EXPECT_EQ(out.substr(0, 4), "\xF3\x89\x9A\xC2");
  EXPECT_TRUE(agg.empty());
  EXPECT_EQ(agg.size(), 20u);
}

// The sample aggregate of tests/data/kpl-aggregated was written by another aggregator: the same user records give
// the same 3466 bytes here.
TEST(Aggregator, ReproducesTheSampleAggregateByteForByte) {
  const std::string sample = testing::sample_aggregate();
  ASSERT_EQ(sample.size(), 3466u);
  Aggregator agg;
  for (int i = 0; i < 100; ++i) {
    agg.add("abc", "191415658344158766168031473277922803570",
            i % 2 == 0 ? "abcdefghijklmnopqrstuvwxyz" : "zyxwvutsrqponmlkjihgfedcba");
  }
  EXPECT_EQ(agg.size(), sample.size());
  std::string out;
  agg.finish(out);
  EXPECT_EQ(out, sample);
}

TEST(Aggregator, SizesAreExactAtEveryStep) {
  Aggregator agg;
  std::string out;
  std::string data;
  for (int i = 0; i < 300; ++i) {
    const std::string key = "key-" + std::to_string(i % 37);
    const std::optional<std::string> ehk =
        i % 3 == 0 ? std::optional<std::string>(std::to_string(i % 5) + "0000") : std::nullopt;
    data.assign(static_cast<size_t>(i * 7 % 200), static_cast<char>(i));
    const size_t predicted = agg.size_if_added(key, ehk, data.size());
    agg.add(key, ehk, data);
    ASSERT_EQ(agg.size(), predicted) << i;
  }
  const size_t size = agg.size();
  agg.finish(out);
  EXPECT_EQ(out.size(), size);
  const Deaggregation back = deaggregate(out);
  ASSERT_TRUE(back.is_aggregate());
  EXPECT_EQ(back.records.size(), 300u);
}

TEST(Aggregator, KeysAreWrittenOnce) {
  Aggregator agg;
  agg.add("a", "1", "x");
  agg.add("b", "2", "y");
  agg.add("a", "2", "z");
  agg.add("b", "1", "w");
  std::string out;
  agg.finish(out);
  // Two table entries each: 3 bytes per key, 3 per hash key; four records of 9 bytes.
  EXPECT_EQ(out.size(), 4 + 2 * 3 + 2 * 3 + 4 * 9 + 16u);
  const Deaggregation back = deaggregate(out);
  ASSERT_TRUE(back.is_aggregate());
  ASSERT_EQ(back.records.size(), 4u);
  EXPECT_EQ(back.records[2], (SubRecord{"a", "2", "z", 2}));
  EXPECT_EQ(back.records[3], (SubRecord{"b", "1", "w", 3}));
}

TEST(Aggregator, ManyDistinctKeysGrowTheIndex) {
  Aggregator agg;
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < 5000; ++i) agg.add("key" + std::to_string(i), std::nullopt, "d");
    for (int i = 0; i < 5000; ++i) agg.add("key" + std::to_string(i), std::nullopt, "e");
    std::string out;
    agg.finish(out);
    const Deaggregation back = deaggregate(out);
    ASSERT_TRUE(back.is_aggregate());
    ASSERT_EQ(back.records.size(), 10000u);
    EXPECT_EQ(back.records[7000].partition_key, "key2000");
    EXPECT_EQ(back.records[7000].data, "e");
    // 5000 keys in the table, not 10000: the records of the second pass reuse them.
    size_t table = 0;
    for (int i = 0; i < 5000; ++i) table += 2 + std::to_string(i).size() + 3;
    size_t records = 0;
    for (int i = 0; i < 10000; ++i) records += 2 + 1 + wire::varint_size(static_cast<uint64_t>(i % 5000)) + 3;
    EXPECT_EQ(out.size(), 20 + table + records) << round;
  }
}

TEST(Aggregator, AddIfFitsStopsAtTheLimit) {
  Aggregator agg;
  const std::string data(1000, 'x');
  int added = 0;
  while (agg.add_if_fits("pk", std::nullopt, data, kDefaultAggregationMaxSize)) ++added;
  // 20 framing + 4 table + 50 x (1000 + 8) = 50424; one more would make 51432.
  EXPECT_EQ(added, 50);
  EXPECT_EQ(agg.size(), 20 + 4 + 50 * 1008u);
  EXPECT_GT(agg.size_if_added("pk", std::nullopt, data.size()), kDefaultAggregationMaxSize);
  // A record that fits exactly is taken (8 bytes of framing for data of 128 bytes and more).
  const size_t room = kDefaultAggregationMaxSize - agg.size();
  EXPECT_TRUE(agg.add_if_fits("pk", std::nullopt, std::string(room - 8, 'y'), kDefaultAggregationMaxSize));
  EXPECT_EQ(agg.size(), kDefaultAggregationMaxSize);
  EXPECT_FALSE(agg.add_if_fits("pk", std::nullopt, "", kDefaultAggregationMaxSize));
  EXPECT_EQ(agg.count(), 51u);
}

TEST(Aggregator, FirstRecordIsAvailableForAPlainSend) {
  Aggregator agg;
  agg.add("first", "42", "payload-1");
  EXPECT_EQ(agg.first_partition_key(), "first");
  EXPECT_EQ(agg.first_explicit_hash_key(), std::optional<std::string_view>("42"));
  EXPECT_EQ(agg.first_data(), "payload-1");
  agg.add("second", std::nullopt, std::string(5000, 'z'));  // grows the buffer: the views are re-derived
  EXPECT_EQ(agg.first_partition_key(), "first");
  EXPECT_EQ(agg.first_data(), "payload-1");
  agg.clear();
  agg.add("other", std::nullopt, "p");
  EXPECT_EQ(agg.first_explicit_hash_key(), std::nullopt);
  EXPECT_EQ(agg.first_data(), "p");
}

TEST(Aggregator, ReleaseKeepsItUsable) {
  Aggregator agg;
  agg.add("k", std::nullopt, "v");
  agg.release();
  EXPECT_TRUE(agg.empty());
  agg.add("k", std::nullopt, "v");
  std::string out;
  agg.finish(out);
  EXPECT_EQ(out, frame(std::string("\x0a\x01k\x1a\x05\x08\x00\x1a\x01v", 10)));
}

TEST(Aggregator, LargeIndicesAndDataUseMultiByteVarints) {
  Aggregator agg;
  for (int i = 0; i < 200; ++i) agg.add(std::to_string(i), std::nullopt, "");
  const std::string big(300, 'b');
  agg.add("199", std::nullopt, big);  // index 199: two-byte varint; data length 300: two-byte varint
  std::string out;
  agg.finish(out);
  const Deaggregation back = deaggregate(out);
  ASSERT_TRUE(back.is_aggregate());
  ASSERT_EQ(back.records.size(), 201u);
  EXPECT_EQ(back.records[200], (SubRecord{"199", std::nullopt, big, 200}));
  // The last record: tag, length 2 bytes (1+2+1+2+300 = 306), pk index tag + 2 bytes, data tag + 2 bytes + data.
  const std::string tail = out.substr(out.size() - 16 - 306 - 3, 9);
  EXPECT_EQ(tail, std::string("\x1a\xb2\x02\x08\xc7\x01\x1a\xac\x02", 9));
}

}  // namespace
}  // namespace pk::kpl
