#pragma once
// Negative acknowledgements: the application says "give me this one again later". Ids wait here for the
// redelivery delay and are then handed back to the consumer, which asks the broker to redeliver them (in one
// REDELIVER_UNACKNOWLEDGED_MESSAGES). A batch message is nacked as its whole entry (the broker redelivers
// entries). Pure state machine over an injected time; the consumer owns the timer. Used on the consumer's loop.

#include <chrono>
#include <deque>
#include <map>
#include <optional>
#include <vector>

#include "pulsar/client/message_id.h"

namespace pk::pulsar {

class NegativeAckTracker {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;

  explicit NegativeAckTracker(std::chrono::milliseconds delay) : delay_(delay) {}

  // Queues the entry of `id` for redelivery at now + delay (a second nack of the same entry keeps the first
  // deadline).
  void add(const MessageId& id, TimePoint now);
  // Entries whose delay has passed, oldest first; they leave the tracker.
  std::vector<MessageId> take_due(TimePoint now);
  // When the next entry falls due; nullopt when empty.
  std::optional<TimePoint> next_due() const;
  size_t size() const { return pending_.size(); }
  bool empty() const { return pending_.empty(); }
  void clear();
  std::chrono::milliseconds delay() const { return delay_; }

 private:
  struct Key {
    int64_t ledger;
    int64_t entry;
    int32_t partition;
    friend auto operator<=>(const Key&, const Key&) = default;
  };
  std::chrono::milliseconds delay_;
  std::map<Key, TimePoint> pending_;
  std::deque<std::pair<TimePoint, MessageId>> by_time_;  // deadlines only grow, so this stays sorted
};

}  // namespace pk::pulsar
