#pragma once
// One MESSAGE frame after decoding: its metadata, its (decompressed) payload and, for a batch, its messages with
// their metadata and views into the payload. Built by the consumer on its loop, then immutable and shared by
// every Message of the entry (any thread may read it).

#include <cstdint>
#include <string>

#include "pulsar/proto/batch.h"
#include "pulsar/proto/pulsar_wire.pb.h"

namespace pk::pulsar {

struct ReceivedEntry {
  std::string topic;
  pb::MessageMetadata metadata;
  std::string payload;        // decompressed
  proto::SplitBatch singles;  // one per batched message (views into payload); empty when not a batch
  uint32_t redelivery_count = 0;
  bool batched = false;
};

}  // namespace pk::pulsar
