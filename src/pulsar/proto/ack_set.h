#pragma once
// Batch-index acknowledgement sets. Pulsar carries them as `repeated int64 ack_set`: the words of a
// java.util.BitSet.toLongArray() (bit i is bit i%64 of word i/64, least significant first; trailing zero words
// dropped). A set bit means "message i of the batch is NOT acknowledged yet":
//   - MESSAGE.ack_set from the broker: deliver only the indexes whose bit is set (an empty list means the broker
//     sent no batch-index information: deliver all);
//   - ACK.message_id.ack_set from the client: the indexes still unacknowledged after this ack (start from all set
//     for batch_size, clear the acked ones), with message_id.batch_size set.
// A value type; not thread-safe.

#include <cstdint>
#include <span>
#include <vector>

#include <google/protobuf/repeated_field.h>

namespace pk::pulsar::proto {

class AckSet {
 public:
  // Indexes at or above this are refused (ignored by set/clear, false from get): no real batch comes close, and a
  // peer's index must not make us allocate without bound.
  static constexpr int32_t kMaxIndexes = 1 << 20;

  AckSet() = default;
  // Bits [0, batch_size) set: nothing acknowledged yet.
  static AckSet all_unacked(int32_t batch_size);
  // From the wire form (e.g. a MESSAGE's ack_set field); words beyond kMaxIndexes are dropped.
  static AckSet from_words(std::span<const int64_t> words);
  static AckSet from_words(const google::protobuf::RepeatedField<int64_t>& words) {
    return from_words(std::span<const int64_t>(words.data(), static_cast<size_t>(words.size())));
  }

  bool get(int32_t index) const;
  // Return false (and change nothing) for an index outside [0, kMaxIndexes).
  bool set(int32_t index);
  bool clear(int32_t index);

  // No bit set: every message of the batch is acknowledged.
  bool none() const;
  int32_t count() const;

  // The wire form, trailing zero words dropped (as BitSet.toLongArray does).
  std::vector<int64_t> to_words() const;
  void to_field(google::protobuf::RepeatedField<int64_t>* field) const;

  bool operator==(const AckSet& other) const { return to_words() == other.to_words(); }

 private:
  std::vector<uint64_t> words_;
};

// Whether batch index `index` of a MESSAGE is to be delivered, given the MESSAGE's ack_set words.
bool should_deliver(std::span<const int64_t> message_ack_set, int32_t index);
inline bool should_deliver(const google::protobuf::RepeatedField<int64_t>& message_ack_set, int32_t index) {
  return should_deliver(std::span<const int64_t>(message_ack_set.data(), static_cast<size_t>(message_ack_set.size())),
                        index);
}

}  // namespace pk::pulsar::proto
