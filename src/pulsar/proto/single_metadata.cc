#include "pulsar/proto/single_metadata.h"

#include <fmt/format.h>

#include "common/protobuf_wire.h"

namespace pk::pulsar::proto {
namespace {

using protobuf::kLengthDelimited;
using protobuf::kVarint;
using protobuf::WireReader;

Error malformed(const WireReader& in, std::string_view what) {
  return make_error(ErrorCode::kMalformedInput, fmt::format("{} (at metadata byte {})", what, in.offset()));
}

Result<KeyValueView> parse_key_value(std::string_view bytes) {
  WireReader in(bytes);
  KeyValueView kv;
  bool has_key = false;
  bool has_value = false;
  while (!in.at_end()) {
    uint64_t tag = 0;
    if (!in.tag(tag)) return malformed(in, "a property has a bad tag");
    if (tag == protobuf::tag(1, kLengthDelimited)) {
      if (!in.delimited(kv.key_)) return malformed(in, "a property's key runs past its end");
      has_key = true;
    } else if (tag == protobuf::tag(2, kLengthDelimited)) {
      if (!in.delimited(kv.value_)) return malformed(in, "a property's value runs past its end");
      has_value = true;
    } else if (!in.skip(tag)) {
      return malformed(in, fmt::format("a property's unknown field {} is malformed", tag >> 3));
    }
  }
  if (!has_key || !has_value) return malformed(in, "a property lacks its required key or value");
  return kv;
}

}  // namespace

Status parse_single_metadata(std::string_view bytes, std::vector<KeyValueView>& properties, SingleMetadataView& out) {
  out = SingleMetadataView();
  out.properties_begin_ = static_cast<uint32_t>(properties.size());
  WireReader in(bytes);
  bool has_payload_size = false;
  while (!in.at_end()) {
    uint64_t tag = 0;
    if (!in.tag(tag)) return malformed(in, "bad tag");
    const uint64_t field = tag >> 3;
    if ((tag & 7) == kLengthDelimited && (field == 1 || field == 2 || field == 7)) {
      std::string_view value;
      if (!in.delimited(value)) return malformed(in, fmt::format("field {} runs past the end", field));
      if (field == 1) {
        PK_ASSIGN_OR_RETURN(const KeyValueView kv, parse_key_value(value));
        properties.push_back(kv);
        ++out.properties_count_;
      } else if (field == 2) {
        out.partition_key_ = value;
        out.present_ |= SingleMetadataView::kPartitionKey;
      } else {
        out.ordering_key_ = value;
        out.present_ |= SingleMetadataView::kOrderingKey;
      }
      continue;
    }
    if ((tag & 7) == kVarint && field >= 3 && field <= 10 && field != 7) {
      uint64_t v = 0;
      if (!in.varint(v)) return malformed(in, fmt::format("field {} has a bad varint", field));
      switch (field) {
        case 3:
          out.payload_size_ = static_cast<int32_t>(v);  // int32: the low 32 bits of the (sign-extended) varint
          has_payload_size = true;
          break;
        case 4:
          out.compacted_out_ = v != 0;
          break;
        case 5:
          out.event_time_ = v;
          out.present_ |= SingleMetadataView::kEventTime;
          break;
        case 6:
          out.partition_key_b64_encoded_ = v != 0;
          break;
        case 8:
          out.sequence_id_ = v;
          out.present_ |= SingleMetadataView::kSequenceId;
          break;
        case 9:
          out.null_value_ = v != 0;
          break;
        default:  // 10
          out.null_partition_key_ = v != 0;
          break;
      }
      continue;
    }
    if (!in.skip(tag)) return malformed(in, fmt::format("unknown field {} is malformed", field));
  }
  if (!has_payload_size) return malformed(in, "the required payload_size is missing");
  return Status();
}

namespace {
// Both readings have the generated class's accessor names, so one comparison serves both.
template <typename Other>
bool fields_equal(const SingleMetadataView& a, const Other& b) {
  if (a.properties_size() != b.properties_size()) return false;
  for (int i = 0; i < a.properties_size(); ++i) {
    if (a.properties(i).key() != b.properties(i).key() || a.properties(i).value() != b.properties(i).value()) {
      return false;
    }
  }
  return a.has_partition_key() == b.has_partition_key() && a.partition_key() == b.partition_key() &&
         a.payload_size() == b.payload_size() && a.compacted_out() == b.compacted_out() &&
         a.has_event_time() == b.has_event_time() && a.event_time() == b.event_time() &&
         a.partition_key_b64_encoded() == b.partition_key_b64_encoded() &&
         a.has_ordering_key() == b.has_ordering_key() && a.ordering_key() == b.ordering_key() &&
         a.has_sequence_id() == b.has_sequence_id() && a.sequence_id() == b.sequence_id() &&
         a.null_value() == b.null_value() && a.null_partition_key() == b.null_partition_key();
}
}  // namespace

bool same_fields(const SingleMetadataView& ours, const pb::SingleMessageMetadata& generated) {
  return fields_equal(ours, generated);
}

bool same_fields(const SingleMetadataView& a, const SingleMetadataView& b) {
  return fields_equal(a, b);
}

}  // namespace pk::pulsar::proto
