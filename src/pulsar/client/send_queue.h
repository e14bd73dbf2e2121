#pragma once
// The producer's queue of sends that the broker has not confirmed yet, and the bounds that make `send` push back
// instead of growing without limit. Pure state machine (no I/O, no timers): the producer feeds it receipts and
// reconnect events and acts on what it returns.
//
//   send(msg) --try_reserve--> [batch container] --flush--> push(SendOp) --frame--> connection
//                  | full: caller waits for release()                 |
//   SEND_RECEIPT(seq) --match_receipt--> pop_front() --> callbacks (in order) --> release()
//   reconnect --> every op's frame is written again, unchanged (same sequence ids: broker dedup drops repeats)
//
// One op is one SEND frame: a single message or a whole batch. Ops are kept in sequence-id order, and the broker
// answers in the same order, so a receipt always refers to the front op (or to one already given up on).
// Owned by one producer; used on its loop only.

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <vector>

#include "common/result.h"
#include "pulsar/client/message_id.h"

namespace pk::pulsar {

using SendCallback = std::function<void(const Result<MessageId>&)>;

// Bytes of payload held by all producers of one client (memoryLimitBytes of the Java client). 0 = no limit.
// Used on the client's loop only.
class MemoryLimit {
 public:
  explicit MemoryLimit(uint64_t limit) : limit_(limit) {}
  bool try_reserve(uint64_t bytes) {
    if (limit_ != 0 && used_ + bytes > limit_ && used_ != 0) return false;  // one oversized message may pass alone
    used_ += bytes;
    return true;
  }
  void release(uint64_t bytes) { used_ = bytes > used_ ? 0 : used_ - bytes; }
  uint64_t used() const { return used_; }
  uint64_t limit() const { return limit_; }

 private:
  uint64_t limit_;
  uint64_t used_ = 0;
};

struct SendOp {
  uint64_t sequence_id = 0;          // the first message's
  uint64_t highest_sequence_id = 0;  // the last message's (== sequence_id for one message)
  uint32_t num_messages = 1;
  bool batched = false;  // sent as a batch entry (even of one message): ids carry batch indexes
  uint64_t bytes = 0;    // payload bytes reserved for these messages
  std::chrono::steady_clock::time_point created{};
  std::string frame;                    // the whole SEND frame; resent unchanged after a reconnect
  std::vector<SendCallback> callbacks;  // one per message, in order (entries may be empty)
};

// Calls each callback of `op` with the id of its message (batch index i of the entry `entry`) or with `error`.
void complete_send_op(SendOp& op, const MessageId& entry);
void fail_send_op(SendOp& op, const Error& error);

class SendQueue {
 public:
  // max_pending_messages 0 = no limit. `memory` may be null (no memory limit); it outlives the queue.
  SendQueue(uint32_t max_pending_messages, MemoryLimit* memory)
      : max_pending_messages_(max_pending_messages), memory_(memory) {}

  // Reserves room for one more message of `bytes` payload. False (nothing reserved) when the producer already
  // holds max_pending_messages or the client's memory limit is reached: the caller waits for a release.
  bool try_reserve(uint64_t bytes);
  // Gives back what try_reserve took (after a receipt, a failure, or a message that was never queued).
  void release(uint32_t messages, uint64_t bytes);
  uint32_t reserved_messages() const { return reserved_messages_; }
  uint64_t reserved_bytes() const { return reserved_bytes_; }

  // Appends an op; its sequence ids must be above every queued op's.
  void push(SendOp op);
  bool empty() const { return ops_.empty(); }
  size_t size() const { return ops_.size(); }
  const SendOp& front() const { return ops_.front(); }
  // For resending after a reconnect, oldest first.
  const std::deque<SendOp>& ops() const { return ops_; }

  enum class Match {
    kFront,       // the receipt confirms the front op: pop_front() and complete it
    kStale,       // it refers to an op already failed (timed out): ignore it
    kUnexpected,  // it is ahead of the front op: something was lost; reconnect and resend
  };
  // `highest_sequence_id` is 0 when the broker did not send one, and -1 (as uint64) for a SEND that had none.
  Match match_receipt(uint64_t sequence_id, uint64_t highest_sequence_id) const;
  // Takes the front op out and releases its reservation.
  SendOp pop_front();
  // Takes every op out (releasing them), e.g. to fail them all.
  std::deque<SendOp> take_all();

  // True when the oldest op has waited longer than `timeout` (0 = never).
  bool front_expired(std::chrono::steady_clock::time_point now, std::chrono::milliseconds timeout) const;

 private:
  std::deque<SendOp> ops_;
  uint32_t max_pending_messages_;
  MemoryLimit* memory_;
  uint32_t reserved_messages_ = 0;
  uint64_t reserved_bytes_ = 0;
};

}  // namespace pk::pulsar
