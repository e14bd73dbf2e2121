#pragma once
// Which position of one shard may be checkpointed. Records (or the sub-records of an aggregate) are registered in
// delivery order, each with its position (sequence number, sub-sequence number); their confirmations (Pulsar send
// receipts) come back in any order. The checkpointable position is the highest registered one such that it and every
// earlier one were confirmed: never past a gap, sub-sequences included. Next to it runs the effectively-once record
// counter: registered records are numbered base_count, base_count + 1, ... and the count at the checkpointable
// position is one more than the number of the last record in the confirmed prefix.
//
// No allocation per record in the steady state: positions are kept packed (BCD) in a ring that grows only when more
// records are in flight than ever before. Pure state, no I/O; owned by one shard's reader (one loop).

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "kcl/extended_sequence_number.h"
#include "kcl/lease_timing.h"

namespace pk::kcl {

class CheckpointTracker {
 public:
  // The number a registered record gets; confirm() takes it back.
  using Ticket = uint64_t;

  // `base`: where reading resumes (the checkpoint, or the start sentinel of a new shard); `base_count`: the record
  // count at it (0 when unknown or for a new shard).
  explicit CheckpointTracker(ExtendedSequenceNumber base = ExtendedSequenceNumber::trim_horizon(),
                             uint64_t base_count = 0);

  // Registers the next record. Its position must be above the last one registered (and above the base when that
  // is a sequence number); `sequence` is decimal digits (at most 128).
  Result<Ticket> add(std::string_view sequence, int64_t sub_sequence = 0);
  // Confirms a registered record; an unknown ticket or a second confirmation of one is an error.
  Status confirm(Ticket ticket);

  // The highest position whose prefix is confirmed (the base when none is).
  ExtendedSequenceNumber checkpointable() const;
  // The record count at checkpointable().
  uint64_t checkpointable_count() const { return next_ticket_ - in_flight(); }
  // Registered and not yet part of the confirmed prefix.
  size_t in_flight() const { return size_; }
  bool all_confirmed() const { return size_ == 0; }
  // How many confirmations wait for an earlier record (those above the first gap).
  size_t confirmed_beyond_gap() const { return confirmed_beyond_gap_; }

 private:
  struct Packed {
    uint8_t digits = 0;             // 0: the base sentinel (never stored in the ring)
    std::array<uint8_t, 64> bcd{};  // two digits per byte, most significant first
    int64_t sub_sequence = 0;
    bool confirmed = false;
  };
  static bool pack(std::string_view sequence, int64_t sub_sequence, Packed& out);
  static int compare(const Packed& a, const Packed& b);
  Packed& at(size_t offset) { return ring_[(head_ + offset) & (ring_.size() - 1)]; }
  void grow();

  ExtendedSequenceNumber base_;
  Packed last_confirmed_;  // the checkpointable position when digits != 0
  std::vector<Packed> ring_;
  size_t head_ = 0;
  size_t size_ = 0;
  Ticket next_ticket_;  // the ticket of the next add()
  size_t confirmed_beyond_gap_ = 0;
};

// When a periodic checkpoint is due (checkpointInterval): the checkpointable position differs from the one written
// and `interval` passed since the last write (or since reading started).
bool checkpoint_due(const ExtendedSequenceNumber& candidate, const ExtendedSequenceNumber& written,
                    SteadyTime last_write, SteadyTime now, std::chrono::milliseconds interval);

}  // namespace pk::kcl
