#include "kcl/checkpoint_tracker.h"

#include <cstring>

#include <fmt/format.h>

namespace pk::kcl {

CheckpointTracker::CheckpointTracker(ExtendedSequenceNumber base, uint64_t base_count)
    : base_(std::move(base)), ring_(16), next_ticket_(base_count) {
  if (!base_.is_sentinel()) pack(base_.sequence_number().str(), base_.sub_sequence_number(), last_added_);
}

bool CheckpointTracker::pack(std::string_view sequence, int64_t sub_sequence, Packed& out) {
  while (sequence.size() > 1 && sequence.front() == '0') sequence.remove_prefix(1);
  if (sequence.empty() || sequence.size() > 2 * out.bcd.size() || sub_sequence < 0) return false;
  out.bcd.fill(0);
  for (size_t i = 0; i < sequence.size(); ++i) {
    const unsigned d = static_cast<unsigned char>(sequence[i]) - '0';
    if (d > 9) return false;
    out.bcd[i / 2] |= static_cast<uint8_t>(i % 2 == 0 ? d << 4 : d);
  }
  out.digits = static_cast<uint8_t>(sequence.size());
  out.sub_sequence = sub_sequence;
  out.confirmed = false;
  return true;
}

int CheckpointTracker::compare(const Packed& a, const Packed& b) {
  if (a.digits != b.digits) return a.digits < b.digits ? -1 : 1;
  if (int c = std::memcmp(a.bcd.data(), b.bcd.data(), (a.digits + 1u) / 2); c != 0) return c < 0 ? -1 : 1;
  if (a.sub_sequence != b.sub_sequence) return a.sub_sequence < b.sub_sequence ? -1 : 1;
  return 0;
}

void CheckpointTracker::grow() {
  std::vector<Packed> bigger(ring_.size() * 2);
  for (size_t i = 0; i < size_; ++i) bigger[i] = at(i);
  ring_ = std::move(bigger);
  head_ = 0;
}

Result<CheckpointTracker::Ticket> CheckpointTracker::add(std::string_view sequence, int64_t sub_sequence) {
  if (base_.is_shard_end()) {
    return make_error(ErrorCode::kInvalidArgument, "checkpoint tracker: the shard already ended (SHARD_END)");
  }
  Packed p;
  if (!pack(sequence, sub_sequence, p)) {
    return make_error(ErrorCode::kInvalidArgument,
                      fmt::format("checkpoint tracker: position {}/{} is not a sequence number (at most 128 digits) "
                                  "with a sub-sequence number >= 0",
                                  sequence, sub_sequence));
  }
  if (last_added_.digits != 0 && compare(p, last_added_) <= 0) {
    return make_error(
        ErrorCode::kInvalidArgument,
        fmt::format("checkpoint tracker: position {}/{} is not after the last one registered", sequence, sub_sequence));
  }
  if (size_ == ring_.size()) grow();
  at(size_) = p;
  ++size_;
  last_added_ = p;
  return next_ticket_++;
}

Status CheckpointTracker::confirm(Ticket ticket) {
  const Ticket first = next_ticket_ - size_;
  if (ticket >= next_ticket_) {
    return make_error(ErrorCode::kInvalidArgument,
                      fmt::format("checkpoint tracker: record {} was never registered", ticket));
  }
  if (ticket < first || at(ticket - first).confirmed) {
    return make_error(ErrorCode::kInvalidArgument,
                      fmt::format("checkpoint tracker: record {} was confirmed already", ticket));
  }
  at(ticket - first).confirmed = true;
  if (ticket != first) {
    ++confirmed_beyond_gap_;
    return ok_status();
  }
  // The gap closed: move the prefix forward over every confirmed record (all but the first were counted as
  // confirmed beyond the gap).
  size_t popped = 0;
  while (size_ > 0 && at(0).confirmed) {
    last_confirmed_ = at(0);
    head_ = (head_ + 1) % ring_.size();
    --size_;
    ++popped;
  }
  confirmed_beyond_gap_ -= popped - 1;
  return ok_status();
}

ExtendedSequenceNumber CheckpointTracker::checkpointable() const {
  if (last_confirmed_.digits == 0) return base_;
  std::string digits(last_confirmed_.digits, '0');
  for (size_t i = 0; i < digits.size(); ++i) {
    const uint8_t byte = last_confirmed_.bcd[i / 2];
    digits[i] = static_cast<char>('0' + (i % 2 == 0 ? byte >> 4 : byte & 0x0f));
  }
  return ExtendedSequenceNumber::at(*kinesis::SequenceNumber::parse(digits), last_confirmed_.sub_sequence);
}

}  // namespace pk::kcl
