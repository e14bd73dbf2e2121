#pragma once
// Batch payloads: the (uncompressed) payload of a batched SEND/MESSAGE is a sequence of
//   [u32 metadataSize][SingleMessageMetadata][payload_size bytes]
// one per message; the outer MessageMetadata says how many (num_messages_in_batch). Pure functions; thread-safe.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "pulsar/proto/pulsar_wire.pb.h"
#include "pulsar/proto/single_metadata.h"

namespace pk::pulsar::proto {

// Appends one message to a batch payload under construction. payload_size is always written as payload.size(),
// whatever `metadata` says (so the caller need not set it).
void append_single_message(std::string& batch, const pb::SingleMessageMetadata& metadata, std::string_view payload);

// One message of a batch; its views point into the buffer given to split_batch.
struct BatchEntry {
  SingleMetadataView metadata;
  std::string_view payload;
  std::string_view metadata_bytes;  // the serialized SingleMessageMetadata, as it came
};

// The messages of a batch, and the storage their properties view. Move-only: the entries point into the
// property storage, which a move keeps in place. Indexable like the vector it wraps.
class SplitBatch {
 public:
  SplitBatch() = default;
  SplitBatch(SplitBatch&&) noexcept = default;
  SplitBatch& operator=(SplitBatch&&) noexcept = default;
  SplitBatch(const SplitBatch&) = delete;
  SplitBatch& operator=(const SplitBatch&) = delete;

  size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  const BatchEntry& operator[](size_t i) const { return entries_[i]; }
  auto begin() const { return entries_.begin(); }
  auto end() const { return entries_.end(); }

 private:
  friend Result<SplitBatch> split_batch(std::string_view payload, int num_messages);
  std::vector<BatchEntry> entries_;
  std::vector<KeyValueView> properties_;
};

// Splits a batch payload into its `num_messages` messages. Fails (kMalformedInput, naming the message index and
// offset) if a size runs past the end, a metadata does not parse, or bytes are left over. Allocates per batch,
// not per message: every text is a view into `payload`, which must outlive the result.
Result<SplitBatch> split_batch(std::string_view payload, int num_messages);

}  // namespace pk::pulsar::proto
