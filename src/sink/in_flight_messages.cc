#include "sink/in_flight_messages.h"

namespace pk::sink {

uint64_t InFlightMessages::insert(pulsar::Message message) {
  uint32_t index;
  if (!free_.empty()) {
    index = free_.back();
    free_.pop_back();
    // The slots after this one are reused next; they were freed in settle order, possibly long ago.
    constexpr size_t kAhead = 4;
    if (free_.size() >= kAhead) __builtin_prefetch(&slots_[free_[free_.size() - kAhead]], 1);
  } else {
    index = static_cast<uint32_t>(slots_.size());
    slots_.emplace_back();
  }
  Slot& slot = slots_[index];
  ++slot.generation;
  slot.used = true;
  slot.bytes = message.payload().size();
  bytes_ += slot.bytes;
  slot.message = std::move(message);
  ++count_;
  return (static_cast<uint64_t>(slot.generation) << 32) | index;
}

const pulsar::Message* InFlightMessages::find(uint64_t ticket) const {
  const uint32_t index = index_of(ticket);
  if (index >= slots_.size()) return nullptr;
  const Slot& slot = slots_[index];
  if (!slot.used || slot.generation != generation_of(ticket)) return nullptr;
  return &slot.message;
}

std::optional<pulsar::Message> InFlightMessages::take(uint64_t ticket) {
  if (!find(ticket)) return std::nullopt;
  Slot& slot = slots_[index_of(ticket)];
  slot.used = false;
  pulsar::Message message = std::move(slot.message);
  slot.message = pulsar::Message();
  bytes_ -= slot.bytes;
  --count_;
  free_.push_back(index_of(ticket));
  return message;
}

}  // namespace pk::sink
