#pragma once
// The Pulsar messages the sink has taken but not yet settled (acked, nacked or dead-lettered), by ticket: the
// in-flight window. It bounds memory (messages and payload bytes) and so back-pressures the Pulsar consumer: the
// intake stops taking messages while the window is full. Slots are reused (a free list), so a ticket stays valid
// only until its message is settled; a ticket carries its slot's generation so that a stale one is detected.
//
// Owned by the sink pipeline; used on its loop only.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "pulsar/client/message.h"

namespace pk::sink {

class InFlightMessages {
 public:
  InFlightMessages(size_t max_messages, size_t max_bytes) : max_messages_(max_messages), max_bytes_(max_bytes) {}

  // Whether another message may be taken now (a message bigger than max_bytes still goes when the window is empty).
  bool has_room() const { return count_ == 0 || (count_ < max_messages_ && bytes_ < max_bytes_); }
  // How many more messages may be taken now.
  size_t room() const { return count_ >= max_messages_ || bytes_ >= max_bytes_ ? 0 : max_messages_ - count_; }

  uint64_t insert(pulsar::Message message);
  // The message of a live ticket; nullptr for a settled (stale) one.
  const pulsar::Message* find(uint64_t ticket) const;
  // Settles the ticket and hands its message back; nullopt when it was settled already.
  std::optional<pulsar::Message> take(uint64_t ticket);

  // Asks the CPU to start loading the ticket's slot: a caller about to settle a list of tickets calls it a few
  // tickets ahead, since slots are settled long after they were filled and have left the cache by then.
  void prefetch(uint64_t ticket) const {
    const uint32_t index = index_of(ticket);
    if (index < slots_.size()) __builtin_prefetch(&slots_[index], 1);
  }

  size_t count() const { return count_; }
  size_t bytes() const { return bytes_; }
  bool empty() const { return count_ == 0; }

 private:
  struct Slot {
    pulsar::Message message;
    size_t bytes = 0;  // its payload's size, kept here: settling must not touch the (by then cold) payload
    uint32_t generation = 0;
    bool used = false;
  };
  static uint32_t index_of(uint64_t ticket) { return static_cast<uint32_t>(ticket); }
  static uint32_t generation_of(uint64_t ticket) { return static_cast<uint32_t>(ticket >> 32); }

  std::vector<Slot> slots_;
  std::vector<uint32_t> free_;
  size_t max_messages_;
  size_t max_bytes_;
  size_t count_ = 0;
  size_t bytes_ = 0;
};

}  // namespace pk::sink
