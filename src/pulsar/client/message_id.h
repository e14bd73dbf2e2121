#pragma once
// Where a message is stored: ledger + entry, the partition it came from, and its index inside a batch entry.
// Value type; ordering follows the broker's (ledger, entry, batch index).

#include <compare>
#include <cstdint>
#include <string>

namespace pk::pulsar {

struct MessageId {
  int64_t ledger = -1;
  int64_t entry = -1;
  int32_t partition = -1;
  int32_t batch_index = -1;  // -1: not part of a batch
  int32_t batch_size = 0;    // messages in the batch entry (0 when not batched)
  // Which of a multi-topic consumer's topics (partitions) the message came from: the consumer routes acks with
  // it. Not part of the id's identity (ignored by == and <=>).
  uint32_t source = 0;

  bool is_batched() const { return batch_index >= 0; }
  // The id of the whole entry (no batch index).
  MessageId entry_id() const { return MessageId{ledger, entry, partition, -1, 0, source}; }
  // Receipts for messages the broker dropped as duplicates carry (-1, -1).
  bool is_duplicate_marker() const { return ledger == -1 && entry == -1; }

  friend bool operator==(const MessageId& a, const MessageId& b) {
    return a.ledger == b.ledger && a.entry == b.entry && a.partition == b.partition && a.batch_index == b.batch_index;
  }
  friend std::strong_ordering operator<=>(const MessageId& a, const MessageId& b) {
    if (auto c = a.ledger <=> b.ledger; c != 0) return c;
    if (auto c = a.entry <=> b.entry; c != 0) return c;
    if (auto c = a.partition <=> b.partition; c != 0) return c;
    return a.batch_index <=> b.batch_index;
  }
  // "ledger:entry:partition:batch_index"
  std::string to_string() const;
};

// The earliest / latest positions (for seek-like options).
inline constexpr MessageId kEarliestMessageId{-1, -1, -1, -1, 0, 0};
inline constexpr MessageId kLatestMessageId{INT64_MAX, INT64_MAX, -1, -1, 0, 0};

}  // namespace pk::pulsar
