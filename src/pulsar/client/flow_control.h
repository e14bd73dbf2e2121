#pragma once
// FLOW permits of one consumer: the broker sends at most as many messages as it has been granted permits, so the
// permits bound the consumer's local receiver queue. Every single message counts one permit (a batch entry of N
// messages uses N). Permits the application gives back by taking messages are returned to the broker in one FLOW
// once they reach half the queue, so the broker is asked again before the queue runs dry, without one FLOW per
// message. Pure state machine; owned by one consumer, used on its loop only.

#include <cstdint>

namespace pk::pulsar {

class FlowControl {
 public:
  // receiver_queue_size >= 1.
  explicit FlowControl(uint32_t receiver_queue_size);

  // A (re)subscription succeeded with an empty local queue: the permits to grant now (the whole queue).
  uint32_t on_subscribed();
  // `n` messages left the local queue (taken by the application, or dropped before delivery: skipped batch
  // indexes, compacted-out entries, bad checksums). Returns the permits to send in a FLOW now, 0 for none yet.
  uint32_t on_consumed(uint32_t n = 1);

  uint32_t queue_size() const { return queue_size_; }
  uint32_t pending_refill() const { return available_; }

 private:
  uint32_t queue_size_;
  uint32_t threshold_;
  uint32_t available_ = 0;
};

}  // namespace pk::pulsar
