#include "pulsar/client/send_queue.h"

#include <gtest/gtest.h>

namespace pk::pulsar {
namespace {

using namespace std::chrono_literals;

SendOp op(uint64_t first, uint64_t last, std::vector<Result<MessageId>>* sink, bool batched = false) {
  SendOp o;
  o.sequence_id = first;
  o.highest_sequence_id = last;
  o.num_messages = static_cast<uint32_t>(last - first + 1);
  o.batched = batched;
  o.bytes = 10 * o.num_messages;
  for (uint32_t i = 0; i < o.num_messages; ++i) {
    o.callbacks.push_back([sink](const Result<MessageId>& r) { sink->push_back(r); });
  }
  return o;
}

TEST(SendQueue, MaxPendingMessagesPushesBack) {
  SendQueue q(3, nullptr);
  EXPECT_TRUE(q.try_reserve(10));
  EXPECT_TRUE(q.try_reserve(10));
  EXPECT_TRUE(q.try_reserve(10));
  EXPECT_FALSE(q.try_reserve(10));
  EXPECT_EQ(q.reserved_messages(), 3u);
  q.release(1, 10);
  EXPECT_TRUE(q.try_reserve(10));
}

TEST(SendQueue, MemoryLimitIsSharedAcrossProducers) {
  MemoryLimit memory(100);
  SendQueue a(0, &memory);
  SendQueue b(0, &memory);
  EXPECT_TRUE(a.try_reserve(60));
  EXPECT_FALSE(b.try_reserve(60));  // 120 > 100
  EXPECT_EQ(b.reserved_messages(), 0u);
  EXPECT_TRUE(b.try_reserve(40));
  EXPECT_EQ(memory.used(), 100u);
  a.release(1, 60);
  EXPECT_EQ(memory.used(), 40u);
  EXPECT_TRUE(b.try_reserve(60));
}

TEST(SendQueue, OversizedMessagePassesAloneSoItCannotDeadlock) {
  MemoryLimit memory(100);
  SendQueue q(0, &memory);
  EXPECT_TRUE(q.try_reserve(500));
  EXPECT_FALSE(q.try_reserve(1));
}

TEST(SendQueue, ReceiptsCompleteOpsInOrderWithBatchIndexes) {
  std::vector<Result<MessageId>> got;
  SendQueue q(0, nullptr);
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(q.try_reserve(10));
  q.push(op(5, 5, &got));
  q.push(op(6, 8, &got, true));
  EXPECT_EQ(q.match_receipt(5, 5), SendQueue::Match::kFront);
  SendOp first = q.pop_front();
  complete_send_op(first, MessageId{1, 10, -1, -1, 0});
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0]->entry, 10);
  EXPECT_FALSE(got[0]->is_batched());

  EXPECT_EQ(q.match_receipt(6, 8), SendQueue::Match::kFront);
  SendOp batch = q.pop_front();
  complete_send_op(batch, MessageId{1, 11, 2, -1, 0});
  ASSERT_EQ(got.size(), 4u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(got[1 + i]->entry, 11);
    EXPECT_EQ(got[1 + i]->partition, 2);
    EXPECT_EQ(got[1 + i]->batch_index, i);
    EXPECT_EQ(got[1 + i]->batch_size, 3);
  }
  EXPECT_EQ(q.reserved_messages(), 0u);
  EXPECT_EQ(q.reserved_bytes(), 0u);
}

TEST(SendQueue, ReceiptMatching) {
  std::vector<Result<MessageId>> got;
  SendQueue q(0, nullptr);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(q.try_reserve(10));
  q.push(op(10, 12, &got, true));
  EXPECT_EQ(q.match_receipt(10, 12), SendQueue::Match::kFront);
  EXPECT_EQ(q.match_receipt(12, 12), SendQueue::Match::kFront) << "brokers may echo the last id of a batch";
  EXPECT_EQ(q.match_receipt(10, 0), SendQueue::Match::kFront) << "old brokers send no highest id";
  EXPECT_EQ(q.match_receipt(10, UINT64_MAX), SendQueue::Match::kFront) << "-1: the SEND carried no highest id";
  EXPECT_EQ(q.match_receipt(9, 9), SendQueue::Match::kStale);
  EXPECT_EQ(q.match_receipt(13, 13), SendQueue::Match::kUnexpected);
  EXPECT_EQ(q.match_receipt(10, 11), SendQueue::Match::kUnexpected);
  SendQueue empty(0, nullptr);
  EXPECT_EQ(empty.match_receipt(1, 1), SendQueue::Match::kStale);
}

TEST(SendQueue, TakeAllKeepsOrderAndReleases) {
  std::vector<Result<MessageId>> got;
  SendQueue q(0, nullptr);
  for (int i = 0; i < 2; ++i) ASSERT_TRUE(q.try_reserve(10));
  q.push(op(1, 1, &got));
  q.push(op(2, 2, &got));
  ASSERT_EQ(q.ops().size(), 2u);  // what a reconnect resends, oldest first
  EXPECT_EQ(q.ops()[0].sequence_id, 1u);
  auto all = q.take_all();
  EXPECT_TRUE(q.empty());
  EXPECT_EQ(q.reserved_messages(), 0u);
  for (auto& o : all) fail_send_op(o, make_error(ErrorCode::kTimeout, "send timed out"));
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].error().code, ErrorCode::kTimeout);
}

TEST(SendQueue, FrontExpiry) {
  std::vector<Result<MessageId>> got;
  SendQueue q(0, nullptr);
  ASSERT_TRUE(q.try_reserve(10));
  SendOp o = op(1, 1, &got);
  const auto t0 = std::chrono::steady_clock::time_point{} + 1h;
  o.created = t0;
  q.push(std::move(o));
  EXPECT_FALSE(q.front_expired(t0 + 29s, 30s));
  EXPECT_TRUE(q.front_expired(t0 + 30s, 30s));
  EXPECT_FALSE(q.front_expired(t0 + 1000s, 0ms)) << "0 disables the send timeout";
}

}  // namespace
}  // namespace pk::pulsar
