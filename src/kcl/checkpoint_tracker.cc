#include "kcl/checkpoint_tracker.h"

#include <cstring>

#include <fmt/format.h>

namespace pk::kcl {

CheckpointTracker::CheckpointTracker(ExtendedSequenceNumber base, uint64_t base_count)
    : base_(std::move(base)), ring_(16), next_ticket_(base_count) {
  // A sequence-number base is where the confirmed prefix starts, and what the first record must follow.
  if (!base_.is_sentinel()) pack(base_.sequence_number().str(), base_.sub_sequence_number(), last_confirmed_);
}

bool CheckpointTracker::pack(std::string_view sequence, int64_t sub_sequence, Packed& out) {
  while (sequence.size() > 1 && sequence.front() == '0') sequence.remove_prefix(1);
  const size_t n = sequence.size();
  if (n == 0 || n > 2 * out.bcd.size() || sub_sequence < 0) return false;
  // Two digits per byte; the low nibble of an odd count's last byte is 0 (compare() reads whole bytes).
  for (size_t i = 0; i + 1 < n; i += 2) {
    const unsigned hi = static_cast<unsigned char>(sequence[i]) - '0';
    const unsigned lo = static_cast<unsigned char>(sequence[i + 1]) - '0';
    if (hi > 9 || lo > 9) return false;
    out.bcd[i / 2] = static_cast<uint8_t>(hi << 4 | lo);
  }
  if (n % 2 != 0) {
    const unsigned hi = static_cast<unsigned char>(sequence[n - 1]) - '0';
    if (hi > 9) return false;
    out.bcd[n / 2] = static_cast<uint8_t>(hi << 4);
  }
  out.digits = static_cast<uint8_t>(n);
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
  std::vector<Packed> bigger(ring_.size() * 2);  // stays a power of two (at() masks)
  for (size_t i = 0; i < size_; ++i) bigger[i] = at(i);
  ring_ = std::move(bigger);
  head_ = 0;
}

Result<CheckpointTracker::Ticket> CheckpointTracker::add(std::string_view sequence, int64_t sub_sequence) {
  if (base_.is_shard_end()) {
    return make_error(ErrorCode::kInvalidArgument, "checkpoint tracker: the shard already ended (SHARD_END)");
  }
  if (size_ == ring_.size()) grow();
  Packed& p = at(size_);  // packed in place; taken only when valid
  if (!pack(sequence, sub_sequence, p)) {
    return make_error(ErrorCode::kInvalidArgument,
                      fmt::format("checkpoint tracker: position {}/{} is not a sequence number (at most 128 digits) "
                                  "with a sub-sequence number >= 0",
                                  sequence, sub_sequence));
  }
  const Packed& previous = size_ > 0 ? at(size_ - 1) : last_confirmed_;
  if (previous.digits != 0 && compare(p, previous) <= 0) {
    return make_error(
        ErrorCode::kInvalidArgument,
        fmt::format("checkpoint tracker: position {}/{} is not after the last one registered", sequence, sub_sequence));
  }
  ++size_;
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
  while (popped < size_ && at(popped).confirmed) ++popped;
  last_confirmed_ = at(popped - 1);
  head_ = (head_ + popped) & (ring_.size() - 1);
  size_ -= popped;
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

bool checkpoint_due(const ExtendedSequenceNumber& candidate, const ExtendedSequenceNumber& written,
                    SteadyTime last_write, SteadyTime now, std::chrono::milliseconds interval) {
  return candidate != written && now - last_write >= interval;
}

}  // namespace pk::kcl
