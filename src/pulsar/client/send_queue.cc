#include "pulsar/client/send_queue.h"

#include <cassert>

namespace pk::pulsar {

void complete_send_op(SendOp& op, const MessageId& entry) {
  for (size_t i = 0; i < op.callbacks.size(); ++i) {
    if (!op.callbacks[i]) continue;
    MessageId id = entry;
    if (op.batched) {
      id.batch_index = static_cast<int32_t>(i);
      id.batch_size = static_cast<int32_t>(op.num_messages);
    }
    op.callbacks[i](Result<MessageId>(id));
  }
}

void fail_send_op(SendOp& op, const Error& error) {
  for (auto& cb : op.callbacks) {
    if (cb) cb(Result<MessageId>(error));
  }
}

bool SendQueue::try_reserve(uint64_t bytes) {
  if (max_pending_messages_ != 0 && reserved_messages_ >= max_pending_messages_) return false;
  if (memory_ != nullptr && !memory_->try_reserve(bytes)) return false;
  ++reserved_messages_;
  reserved_bytes_ += bytes;
  return true;
}

void SendQueue::release(uint32_t messages, uint64_t bytes) {
  assert(messages <= reserved_messages_ && bytes <= reserved_bytes_);
  reserved_messages_ -= messages;
  reserved_bytes_ -= bytes;
  if (memory_ != nullptr) memory_->release(bytes);
}

void SendQueue::push(SendOp op) {
  assert(ops_.empty() || op.sequence_id > ops_.back().highest_sequence_id || op.sequence_id > ops_.back().sequence_id);
  ops_.push_back(std::move(op));
}

SendQueue::Match SendQueue::match_receipt(uint64_t sequence_id, uint64_t highest_sequence_id) const {
  if (ops_.empty()) return Match::kStale;
  const SendOp& op = ops_.front();
  if (sequence_id < op.sequence_id) return Match::kStale;
  if (sequence_id > op.sequence_id) {
    // Some brokers echo the last sequence id of a batch instead of the first.
    if (sequence_id == op.highest_sequence_id) return Match::kFront;
    return Match::kUnexpected;
  }
  // Brokers that do not know highest_sequence_id leave it at 0 or echo sequence_id; for a SEND without one the
  // broker answers -1 (as the Java client, compare signed).
  if (static_cast<int64_t>(highest_sequence_id) <= static_cast<int64_t>(sequence_id) ||
      highest_sequence_id == op.highest_sequence_id) {
    return Match::kFront;
  }
  return Match::kUnexpected;
}

SendOp SendQueue::pop_front() {
  SendOp op = std::move(ops_.front());
  ops_.pop_front();
  release(op.num_messages, op.bytes);
  return op;
}

std::deque<SendOp> SendQueue::take_all() {
  std::deque<SendOp> out;
  out.swap(ops_);
  for (const auto& op : out) release(op.num_messages, op.bytes);
  return out;
}

bool SendQueue::front_expired(std::chrono::steady_clock::time_point now, std::chrono::milliseconds timeout) const {
  if (timeout.count() <= 0 || ops_.empty()) return false;
  return now - ops_.front().created >= timeout;
}

}  // namespace pk::pulsar
