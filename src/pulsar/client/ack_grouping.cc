#include "pulsar/client/ack_grouping.h"

#include <algorithm>

namespace pk::pulsar {

AckGroupingTracker::AckGroupingTracker(std::chrono::milliseconds max_delay, size_t max_ids)
    : max_delay_(max_delay), max_ids_(std::max<size_t>(1, max_ids)) {}

bool AckGroupingTracker::add_individual(const MessageId& entry, std::vector<int64_t> ack_set) {
  const EntryKey key{entry.ledger, entry.entry};
  auto it = individual_.find(key);
  if (it == individual_.end()) {
    MessageId id = entry.entry_id();
    id.batch_size = entry.batch_size;  // the broker needs it with an ack set
    individual_.emplace(key, AckEntry{id, std::move(ack_set)});
  } else if (!it->second.ack_set.empty()) {
    // A later ack of the same entry knows more: a whole-entry ack, or a smaller set of unacked indexes.
    it->second.ack_set = std::move(ack_set);
  }
  return max_delay_.count() == 0 || individual_.size() >= max_ids_;
}

bool AckGroupingTracker::add_cumulative(const MessageId& id, std::vector<int64_t> ack_set) {
  MessageId target = id.entry_id();
  target.batch_size = id.batch_size;
  const bool newer =
      !cumulative_ || target > cumulative_->id || (target == cumulative_->id && !cumulative_->ack_set.empty());
  if (newer) {
    cumulative_ = AckEntry{target, std::move(ack_set)};
    cumulative_pending_ = true;
  }
  return max_delay_.count() == 0;
}

bool AckGroupingTracker::is_acked(const MessageId& entry) const {
  if (cumulative_) {
    const MessageId e = entry.entry_id();
    if (e < cumulative_->id || (e == cumulative_->id && cumulative_->ack_set.empty())) return true;
  }
  auto it = individual_.find(EntryKey{entry.ledger, entry.entry});
  return it != individual_.end() && it->second.ack_set.empty();
}

AckGroupingTracker::Pending AckGroupingTracker::take() {
  Pending out;
  out.individual.reserve(individual_.size());
  for (auto& [key, ack] : individual_) out.individual.push_back(std::move(ack));
  individual_.clear();
  if (cumulative_pending_) out.cumulative = cumulative_;
  cumulative_pending_ = false;
  return out;
}

}  // namespace pk::pulsar
