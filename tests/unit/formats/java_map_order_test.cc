#include "formats/java_map_order.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace pk::formats {
namespace {

// Keys in iteration order, with the index whose value wins.
std::vector<std::string> order(std::vector<std::string_view> keys, MapFill fill, int capacity = -1,
                               KeyClass key_class = KeyClass::kString) {
  MapOrderScratch scratch;
  std::vector<OrderedEntry> out;
  java_map_order(keys, fill, key_class, capacity, scratch, out);
  std::vector<std::string> names;
  for (const auto& e : out) names.push_back(std::string(keys[e.key]) + "=" + std::to_string(e.value));
  return names;
}

// Single characters hash to their code point, so with 16 buckets "a" (97), "q" (113), "A" (65), "Q" (81),
// "!" (33) and "1" (49) all land in bucket 1, "b".."i" in buckets 2..9.
TEST(JavaMapOrder, MergeLinksNewKeysAtTheHeadOfTheirBucket) {
  EXPECT_EQ(order({"a", "q", "A", "Q", "!", "1", "b"}, MapFill::kMerge),
            (std::vector<std::string>{"1=5", "!=4", "Q=3", "A=2", "q=1", "a=0", "b=6"}));
}

TEST(JavaMapOrder, PutLinksNewKeysAtTheTail) {
  EXPECT_EQ(order({"a", "q", "A", "Q", "!", "1", "b"}, MapFill::kPut),
            (std::vector<std::string>{"a=0", "q=1", "A=2", "Q=3", "!=4", "1=5", "b=6"}));
}

// 13 keys fill 16 buckets up to the threshold. merge grows the table only when the 14th call starts: bucket 1
// (1 ! Q A q a, newest first) splits by bit 16 keeping its order: ! A a stay in 1, 1 Q q go to 17.
TEST(JavaMapOrder, MergeResizesBeforeTheFourteenthKey) {
  const std::vector<std::string_view> keys = {"a", "q", "A", "Q", "!", "1", "b", "c", "d", "e", "f", "g", "h", "i"};
  EXPECT_EQ(order(keys, MapFill::kMerge),
            (std::vector<std::string>{"!=4", "A=2", "a=0", "b=6", "c=7", "d=8", "e=9", "f=10", "g=11", "h=12", "i=13",
                                      "1=5", "Q=3", "q=1"}));
}

// put resizes right after the 13th insert: bucket 1 (a q A Q ! 1, oldest first) splits into a A ! and q Q 1.
TEST(JavaMapOrder, PutResizesAfterTheThirteenthKey) {
  const std::vector<std::string_view> keys = {"a", "q", "A", "Q", "!", "1", "b", "c", "d", "e", "f", "g", "h", "i"};
  EXPECT_EQ(order(keys, MapFill::kPut),
            (std::vector<std::string>{"a=0", "A=2", "!=4", "b=6", "c=7", "d=8", "e=9", "f=10", "g=11", "h=12", "i=13",
                                      "q=1", "Q=3", "1=5"}));
}

TEST(JavaMapOrder, ADuplicateKeepsItsFirstPlaceAndTakesTheLastValue) {
  EXPECT_EQ(order({"b", "a", "b", "b"}, MapFill::kMerge), (std::vector<std::string>{"a=1", "b=3"}));
  // "q" (113) and "a" (97) share bucket 1, "b" is in bucket 2.
  EXPECT_EQ(order({"b", "q", "a", "q"}, MapFill::kPut), (std::vector<std::string>{"q=3", "a=2", "b=0"}));
  EXPECT_EQ(order({"b", "a", "b"}, MapFill::kSorted), (std::vector<std::string>{"a=1", "b=2"}));
}

// TreeMap: UTF-16 code unit order, so U+1F600 (D83D DE00) comes before U+E000 and U+FFFD.
TEST(JavaMapOrder, TreeMapSortsByUtf16CodeUnits) {
  EXPECT_EQ(order({"\xef\xbf\xbd", "\xf0\x9f\x98\x80", "\xee\x80\x80", "a", "\xc3\xa4", "Z", ""}, MapFill::kSorted),
            (std::vector<std::string>{"=6", "Z=5", "a=3", "\xc3\xa4=4", "\xf0\x9f\x98\x80=1", "\xee\x80\x80=2",
                                      "\xef\xbf\xbd=0"}));
}

// new HashMap<>(n) starts with tableSizeFor(n) buckets and grows by its own small thresholds: HashMap(2) has 2
// buckets and threshold 1, so the second put resizes to 4 buckets (threshold 3), the fourth to 8.
TEST(JavaMapOrder, InitialCapacityDecidesTheFirstTable) {
  // Two buckets, then four: "a" (97) -> 1, "b" (98) -> 2.
  EXPECT_EQ(order({"b", "a"}, MapFill::kPut, 2), (std::vector<std::string>{"a=1", "b=0"}));
  // Without growing, "d" (100) would come first in a table of 4; the fourth put grows it to 8 (d -> 4).
  EXPECT_EQ(order({"a", "b", "c", "d"}, MapFill::kPut, 2), (std::vector<std::string>{"a=0", "b=1", "c=2", "d=3"}));
  EXPECT_EQ(order({"d", "a", "b"}, MapFill::kPut, 4), (std::vector<std::string>{"d=0", "a=1", "b=2"}));
  // HashMap(0): one bucket with threshold 0, growing at once.
  EXPECT_EQ(order({"a", "b", "c", "d"}, MapFill::kPut, 0), (std::vector<std::string>{"a=0", "b=1", "c=2", "d=3"}));
}

// Avro Utf8 keys hash over signed bytes, so non-ASCII keys land elsewhere than as Strings: "\xc3\xbc" (u umlaut)
// hashes to -61 * 31 - 68 = -1959 as Utf8 (0xFFFFF859, spread: ^ 0xFFFF = ...07A6, bucket 6) and to 0xFC = 252 as
// a String (bucket 12); "g" (103) is in bucket 7.
TEST(JavaMapOrder, AvroUtf8KeysHashTheirBytes) {
  EXPECT_EQ(order({"\xc3\xbc", "g"}, MapFill::kPut, -1, KeyClass::kAvroUtf8),
            (std::vector<std::string>{"\xc3\xbc=0", "g=1"}));
  EXPECT_EQ(order({"\xc3\xbc", "g"}, MapFill::kPut, -1, KeyClass::kString),
            (std::vector<std::string>{"g=1", "\xc3\xbc=0"}));
}

// Twelve keys of equal String.hashCode ("Aa" and "BB" hash alike) plus "other": the bucket passes 8 entries, the
// table grows to 64 and the bucket becomes a red-black tree whose linked order (root first, each node after its
// tree parent) is what iteration follows. This is the order the Java connector wrote (the peer test's
// "colliding-hashes" case).
TEST(JavaMapOrder, ABucketBeyondEightEntriesBecomesATree) {
  std::vector<std::string> storage;
  for (int bits = 0; bits < 12; ++bits) {
    std::string k;
    for (int b = 0; b < 4; ++b) k += (bits >> b) & 1 ? "BB" : "Aa";
    storage.push_back(k);
  }
  storage.push_back("other");
  std::vector<std::string_view> keys(storage.begin(), storage.end());
  const auto got = order(keys, MapFill::kMerge);
  std::vector<std::string> names;
  for (const auto& g : got) names.push_back(g.substr(0, g.find('=')));
  EXPECT_EQ(names,
            (std::vector<std::string>{"other", "AaBBBBAa", "BBAaAaBB", "AaAaAaBB", "BBBBBBAa", "BBBBAaBB", "BBAaBBAa",
                                      "AaAaBBAa", "BBBBAaAa", "AaBBAaAa", "AaBBAaBB", "BBAaAaAa", "AaAaAaAa"}));
}

}  // namespace
}  // namespace pk::formats
