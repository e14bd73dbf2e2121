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

namespace pk::pulsar::proto {

// Appends one message to a batch payload under construction. payload_size is always written as payload.size(),
// whatever `metadata` says (so the caller need not set it).
void append_single_message(std::string& batch, const pb::SingleMessageMetadata& metadata, std::string_view payload);

// One message of a batch; `payload` points into the buffer given to split_batch.
struct BatchEntry {
  pb::SingleMessageMetadata metadata;
  std::string_view payload;
};

// Splits a batch payload into its `num_messages` messages. Fails (kMalformedInput, naming the message index and
// offset) if a size runs past the end, a metadata does not parse, or bytes are left over.
Result<std::vector<BatchEntry>> split_batch(std::string_view payload, int num_messages);

}  // namespace pk::pulsar::proto
