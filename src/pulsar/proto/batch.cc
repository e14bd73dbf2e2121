#include "pulsar/proto/batch.h"

#include <fmt/format.h>

#include <algorithm>
#include <cassert>
#include <limits>

#include "common/protobuf_wire.h"
#include "pulsar/proto/frame.h"

namespace pk::pulsar::proto {
namespace {

// Smallest possible entry: a 4-byte size plus a metadata holding only payload_size (tag + 1-byte varint).
constexpr size_t kMinEntrySize = 4 + 2;
constexpr uint8_t kPayloadSizeTag = protobuf::tag(3, protobuf::kVarint);  // SingleMessageMetadata.payload_size

Error malformed(int index, int count, size_t offset, std::string_view what) {
  return make_error(ErrorCode::kMalformedInput,
                    fmt::format("batch message {} of {}: {} (at batch offset {})", index, count, what, offset));
}

}  // namespace

void append_single_message(std::string& batch, const pb::SingleMessageMetadata& metadata, std::string_view payload) {
  assert(payload.size() <= static_cast<size_t>(std::numeric_limits<int32_t>::max()));
  const auto payload_size = static_cast<int32_t>(payload.size());
  // When the metadata does not carry the right payload_size, the field is written once more after it: protobuf
  // parsers keep the last value of a non-repeated field, so the caller's message needs no copy.
  const bool write_size = !metadata.has_payload_size() || metadata.payload_size() != payload_size;
  const size_t fields_size = metadata.ByteSizeLong();
  const size_t metadata_size = fields_size + (write_size ? 1 + protobuf::varint_size(payload.size()) : 0);

  const size_t start = batch.size();
  batch.reserve(start + 4 + metadata_size + payload.size());
  batch.resize(start + 4 + metadata_size);
  char* p = batch.data() + start;
  for (int i = 0; i < 4; ++i) p[i] = static_cast<char>(metadata_size >> (24 - 8 * i));
  auto* out = reinterpret_cast<uint8_t*>(p + 4);
  out = metadata.SerializeWithCachedSizesToArray(out);
  if (write_size) {
    *out++ = kPayloadSizeTag;
    protobuf::write_varint(reinterpret_cast<char*>(out), payload.size());
  }
  batch.append(payload);
}

Result<SplitBatch> split_batch(std::string_view payload, int num_messages) {
  if (num_messages <= 0) {
    return make_error(ErrorCode::kMalformedInput,
                      fmt::format("batch declares {} messages; a batch holds at least one", num_messages));
  }
  if (static_cast<size_t>(num_messages) > payload.size() / kMinEntrySize) {
    return make_error(
        ErrorCode::kMalformedInput,
        fmt::format("batch of {} bytes cannot hold the {} messages it declares", payload.size(), num_messages));
  }
  SplitBatch batch;
  std::vector<BatchEntry>& entries = batch.entries_;
  // Grown as messages parse, so a bogus count cannot make us allocate ahead of the bytes that back it.
  entries.reserve(std::min(static_cast<size_t>(num_messages), size_t{1024}));
  size_t pos = 0;
  for (int i = 0; i < num_messages; ++i) {
    const size_t left = payload.size() - pos;
    if (left < 4) return malformed(i, num_messages, pos, fmt::format("only {} bytes left for its size", left));
    const uint32_t metadata_size = load_be32(payload.data() + pos);
    if (metadata_size > left - 4) {
      return malformed(i, num_messages, pos,
                       fmt::format("metadata size {} exceeds the {} bytes left", metadata_size, left - 4));
    }
    pos += 4;
    BatchEntry& entry = entries.emplace_back();
    entry.metadata_bytes = payload.substr(pos, metadata_size);
    if (Status parsed = parse_single_metadata(entry.metadata_bytes, batch.properties_, entry.metadata); !parsed.ok()) {
      return malformed(i, num_messages, pos,
                       fmt::format("SingleMessageMetadata of {} bytes: {}", metadata_size, parsed.error().message));
    }
    pos += metadata_size;
    const int32_t size = entry.metadata.payload_size();
    if (size < 0 || static_cast<size_t>(size) > payload.size() - pos) {
      return malformed(i, num_messages, pos,
                       fmt::format("payload_size {} does not fit the {} bytes left", size, payload.size() - pos));
    }
    entry.payload = payload.substr(pos, static_cast<size_t>(size));
    pos += static_cast<size_t>(size);
  }
  if (pos != payload.size()) {
    return make_error(ErrorCode::kMalformedInput,
                      fmt::format("batch has {} bytes after its last ({}th) message (at batch offset {})",
                                  payload.size() - pos, num_messages, pos));
  }
  if (!batch.properties_.empty()) {
    for (BatchEntry& entry : entries) entry.metadata.bind_properties(batch.properties_);
  }
  return batch;
}

}  // namespace pk::pulsar::proto
