#include "pulsar/proto/ack_set.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

namespace pk::pulsar::proto {
namespace {

// java.util.BitSet: bitSet.set(0, n).toLongArray() for n = 3 is {7}; for n = 64 {-1}; for n = 65 {-1, 1}.
TEST(AckSet, AllUnackedMatchesBitSetToLongArray) {
  EXPECT_EQ(AckSet::all_unacked(0).to_words(), std::vector<int64_t>{});
  EXPECT_EQ(AckSet::all_unacked(3).to_words(), std::vector<int64_t>{7});
  EXPECT_EQ(AckSet::all_unacked(64).to_words(), std::vector<int64_t>{-1});
  EXPECT_EQ(AckSet::all_unacked(65).to_words(), (std::vector<int64_t>{-1, 1}));
  EXPECT_EQ(AckSet::all_unacked(100).count(), 100);
}

TEST(AckSet, ClearingAckedIndexesAsTheJavaClientDoes) {
  // Batch of 5; ack index 1 then 3: the client sends {0b10101} = 21 with batch_size 5.
  AckSet s = AckSet::all_unacked(5);
  EXPECT_TRUE(s.clear(1));
  EXPECT_TRUE(s.clear(3));
  EXPECT_EQ(s.to_words(), std::vector<int64_t>{21});
  EXPECT_FALSE(s.get(1));
  EXPECT_TRUE(s.get(2));
  EXPECT_FALSE(s.none());
  for (int i : {0, 2, 4}) s.clear(i);
  EXPECT_TRUE(s.none());
  EXPECT_EQ(s.to_words(), std::vector<int64_t>{});  // trailing zero words dropped, like toLongArray
}

TEST(AckSet, HighBitsAndSecondWord) {
  AckSet s;
  EXPECT_TRUE(s.set(63));
  EXPECT_TRUE(s.set(64));
  EXPECT_EQ(s.to_words(), (std::vector<int64_t>{INT64_MIN, 1}));
  const AckSet back = AckSet::from_words(s.to_words());
  EXPECT_TRUE(back.get(63));
  EXPECT_TRUE(back.get(64));
  EXPECT_FALSE(back.get(65));
  EXPECT_EQ(back, s);
}

TEST(AckSet, OutOfRangeIndexesAreRefusedWithoutAllocating) {
  AckSet s;
  EXPECT_FALSE(s.set(-1));
  EXPECT_FALSE(s.set(AckSet::kMaxIndexes));
  EXPECT_FALSE(s.set(INT32_MAX));
  EXPECT_FALSE(s.clear(-5));
  EXPECT_FALSE(s.get(-1));
  EXPECT_TRUE(s.to_words().empty());
  EXPECT_EQ(AckSet::all_unacked(INT32_MAX).count(), AckSet::kMaxIndexes);
}

TEST(AckSet, ProtobufFieldRoundTrip) {
  google::protobuf::RepeatedField<int64_t> field;
  field.Add(99);  // replaced, not appended to
  AckSet::all_unacked(70).to_field(&field);
  ASSERT_EQ(field.size(), 2);
  EXPECT_EQ(field.Get(0), -1);
  EXPECT_EQ(field.Get(1), 63);
  EXPECT_EQ(AckSet::from_words(field).count(), 70);
}

TEST(AckSet, ShouldDeliverFollowsTheMessageAckSet) {
  const std::vector<int64_t> none;
  EXPECT_TRUE(should_deliver(none, 0));  // no batch-index information: deliver everything
  EXPECT_TRUE(should_deliver(none, 500));
  const std::vector<int64_t> words{0b101};  // indexes 0 and 2 still unacked; 1 acked; 3+ beyond the set: acked
  EXPECT_TRUE(should_deliver(words, 0));
  EXPECT_FALSE(should_deliver(words, 1));
  EXPECT_TRUE(should_deliver(words, 2));
  EXPECT_FALSE(should_deliver(words, 3));
  EXPECT_FALSE(should_deliver(words, 64));
  EXPECT_FALSE(should_deliver(words, -1));
}

}  // namespace
}  // namespace pk::pulsar::proto
