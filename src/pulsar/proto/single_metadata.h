#pragma once
// The metadata of one message of a batch (SingleMessageMetadata, pulsar_wire.proto) read in place: every text is
// a view into the bytes it was read from, nothing is allocated per message. A consumer splits every batch entry it
// receives, so the generated protobuf class (a heap string per key and property, a destructor walk when the entry
// is freed) was a tenth of the sink's CPU per 100-byte message. Field numbers and protobuf semantics as the
// generated parser's: the last value of a non-repeated field wins, a field whose wire type does not match its
// declaration is an unknown field and skipped, unknown fields (groups included) are skipped, and the required
// fields (payload_size; key and value of each property) must be present. Pure functions; thread-safe.

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "pulsar/proto/pulsar_wire.pb.h"

namespace pk::pulsar::proto {

// One property (KeyValue) of a message.
struct KeyValueView {
  std::string_view key_;
  std::string_view value_;
  std::string_view key() const { return key_; }
  std::string_view value() const { return value_; }
};

// The decoded fields. Accessors are named as the generated class's, so code reads the same either way.
class SingleMetadataView {
 public:
  int properties_size() const { return static_cast<int>(properties_.size()); }
  const KeyValueView& properties(int i) const { return properties_[static_cast<size_t>(i)]; }
  std::span<const KeyValueView> properties() const { return properties_; }
  bool has_partition_key() const { return has(kPartitionKey); }
  std::string_view partition_key() const { return partition_key_; }
  int32_t payload_size() const { return payload_size_; }
  bool compacted_out() const { return compacted_out_; }
  bool has_event_time() const { return has(kEventTime); }
  uint64_t event_time() const { return event_time_; }
  bool partition_key_b64_encoded() const { return partition_key_b64_encoded_; }
  bool has_ordering_key() const { return has(kOrderingKey); }
  std::string_view ordering_key() const { return ordering_key_; }
  bool has_sequence_id() const { return has(kSequenceId); }
  uint64_t sequence_id() const { return sequence_id_; }
  bool null_value() const { return null_value_; }
  bool null_partition_key() const { return null_partition_key_; }

  // Points properties() at this message's part of the storage parse_single_metadata appended to (call it once
  // that storage no longer grows: appending may move it).
  void bind_properties(const std::vector<KeyValueView>& storage) {
    properties_ = std::span<const KeyValueView>(storage).subspan(properties_begin_, properties_count_);
  }

 private:
  friend Status parse_single_metadata(std::string_view bytes, std::vector<KeyValueView>& properties,
                                      SingleMetadataView& out);
  enum Present : uint8_t { kPartitionKey = 1, kEventTime = 2, kOrderingKey = 4, kSequenceId = 8 };
  bool has(Present p) const { return (present_ & p) != 0; }

  std::span<const KeyValueView> properties_;  // empty until bind_properties
  std::string_view partition_key_;
  std::string_view ordering_key_;
  uint64_t event_time_ = 0;
  uint64_t sequence_id_ = 0;
  uint32_t properties_begin_ = 0;  // index of the first property in the storage parse_single_metadata appends to
  uint32_t properties_count_ = 0;
  int32_t payload_size_ = 0;
  uint8_t present_ = 0;
  bool compacted_out_ = false;
  bool partition_key_b64_encoded_ = false;
  bool null_value_ = false;
  bool null_partition_key_ = false;
};

// Reads `bytes` (one serialized SingleMessageMetadata) into `out`, appending its properties to `properties`.
// `out.properties()` is empty until the caller binds them (split_batch does, once every message is read).
// kMalformedInput naming the field when the bytes are not a valid message or lack a
// required field.
Status parse_single_metadata(std::string_view bytes, std::vector<KeyValueView>& properties, SingleMetadataView& out);

// Whether two readings of a metadata say the same (every field, presence included): ours against the generated
// class's (the fuzz target and the tests check our reader with it) or against another of ours.
bool same_fields(const SingleMetadataView& ours, const pb::SingleMessageMetadata& generated);
bool same_fields(const SingleMetadataView& a, const SingleMetadataView& b);

}  // namespace pk::pulsar::proto
