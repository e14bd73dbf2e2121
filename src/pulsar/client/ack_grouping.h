#pragma once
// Groups acknowledgements so that a busy consumer sends one ACK command per interval instead of one per message:
// individual acks collect in a set and go out when `max_delay` passes (the consumer's timer) or `max_ids` are
// pending; a cumulative ack keeps only the highest id. It also answers "was this entry already acked?" so that
// redelivered copies of messages acked a moment ago are dropped instead of being handed to the application twice.
// Pure state machine (the consumer owns the timer and writes the ACK commands); used on the consumer's loop only.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "pulsar/client/message_id.h"

namespace pk::pulsar {

// One id to acknowledge: a whole entry (ack_set empty), or the messages of a batch entry still unacked
// (ack_set = the bitset of indexes NOT yet acknowledged, as the broker expects it).
struct AckEntry {
  MessageId id;  // entry level (batch_index -1)
  std::vector<int64_t> ack_set;
};

class AckGroupingTracker {
 public:
  // max_delay 0 = no grouping (flush on every ack); max_ids >= 1.
  AckGroupingTracker(std::chrono::milliseconds max_delay, size_t max_ids);

  // Queues an individual ack. Returns true when the caller should flush now.
  bool add_individual(const MessageId& entry, std::vector<int64_t> ack_set = {});
  // Queues a cumulative ack (everything up to and including `id`; with ack_set, up to that batch index).
  // Returns true when the caller should flush now.
  bool add_cumulative(const MessageId& id, std::vector<int64_t> ack_set = {});

  // True when the whole entry was acknowledged (pending here, or covered by a cumulative ack): a redelivered copy
  // can be dropped.
  bool is_acked(const MessageId& entry) const;

  struct Pending {
    std::vector<AckEntry> individual;
    std::optional<AckEntry> cumulative;
    bool empty() const { return individual.empty() && !cumulative; }
  };
  // Everything queued since the last take, oldest first; leaves the tracker empty.
  Pending take();
  bool empty() const { return individual_.empty() && !cumulative_pending_; }
  size_t pending_ids() const { return individual_.size(); }
  std::chrono::milliseconds max_delay() const { return max_delay_; }

 private:
  struct EntryKey {
    int64_t ledger;
    int64_t entry;
    friend auto operator<=>(const EntryKey&, const EntryKey&) = default;
  };

  std::chrono::milliseconds max_delay_;
  size_t max_ids_;
  std::map<EntryKey, AckEntry> individual_;
  std::optional<AckEntry> cumulative_;  // the highest cumulative ack ever queued
  bool cumulative_pending_ = false;     // ... and not yet taken
};

}  // namespace pk::pulsar
