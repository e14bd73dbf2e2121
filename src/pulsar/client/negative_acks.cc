#include "pulsar/client/negative_acks.h"

namespace pk::pulsar {

void NegativeAckTracker::add(const MessageId& id, TimePoint now) {
  const MessageId entry = id.entry_id();
  const Key key{entry.ledger, entry.entry, entry.partition};
  if (pending_.contains(key)) return;
  TimePoint due = now + delay_;
  // Keep by_time_ sorted even if the caller's clock went backwards.
  if (!by_time_.empty() && due < by_time_.back().first) due = by_time_.back().first;
  pending_.emplace(key, due);
  by_time_.emplace_back(due, entry);
}

std::vector<MessageId> NegativeAckTracker::take_due(TimePoint now) {
  std::vector<MessageId> out;
  while (!by_time_.empty() && by_time_.front().first <= now) {
    const MessageId& id = by_time_.front().second;
    pending_.erase(Key{id.ledger, id.entry, id.partition});
    out.push_back(id);
    by_time_.pop_front();
  }
  return out;
}

std::optional<NegativeAckTracker::TimePoint> NegativeAckTracker::next_due() const {
  if (by_time_.empty()) return std::nullopt;
  return by_time_.front().first;
}

void NegativeAckTracker::clear() {
  pending_.clear();
  by_time_.clear();
}

}  // namespace pk::pulsar
