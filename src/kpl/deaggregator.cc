#include "kpl/deaggregator.h"

#include <cstring>

#include "common/md5.h"
#include "common/protobuf_wire.h"
#include "kpl/format.h"

namespace pk::kpl {
namespace {

using protobuf::WireReader;

// A Record's key indices, kept beside its SubRecord until the tables are complete (protobuf allows the tables
// after the records).
struct RecordIndices {
  uint64_t partition_key;
  uint64_t explicit_hash_key;
  bool has_explicit_hash_key;
};

// Reusable per-thread scratch space, so that decoding allocates nothing once warm.
struct Scratch {
  std::vector<std::string_view> partition_keys;
  std::vector<std::string_view> explicit_hash_keys;
  std::vector<RecordIndices> indices;
};

DeaggregateOutcome parse_tag_message(std::string_view bytes) {
  WireReader in(bytes);
  bool has_key = false;
  while (!in.at_end()) {
    uint64_t t = 0;
    std::string_view ignored;
    if (!in.tag(t)) return DeaggregateOutcome::kMalformed;
    if (t == wire::tag(1, wire::kLengthDelimited)) {
      if (!in.delimited(ignored)) return DeaggregateOutcome::kMalformed;
      has_key = true;
    } else if (!in.skip(t)) {
      return DeaggregateOutcome::kMalformed;
    }
  }
  return has_key ? DeaggregateOutcome::kAggregate : DeaggregateOutcome::kMissingField;
}

DeaggregateOutcome parse_record(std::string_view bytes, RecordIndices& indices, std::string_view& data) {
  WireReader in(bytes);
  bool has_partition_key = false;
  bool has_data = false;
  indices = RecordIndices{0, 0, false};
  while (!in.at_end()) {
    uint64_t t = 0;
    if (!in.tag(t)) return DeaggregateOutcome::kMalformed;
    bool ok = true;
    switch (t) {
      case wire::kPartitionKeyIndexTag:
        ok = in.varint(indices.partition_key);
        has_partition_key = true;
        break;
      case wire::kExplicitHashKeyIndexTag:
        ok = in.varint(indices.explicit_hash_key);
        indices.has_explicit_hash_key = true;
        break;
      case wire::kDataTag:
        ok = in.delimited(data);
        has_data = true;
        break;
      case wire::tag(4, wire::kLengthDelimited): {
        std::string_view tag_bytes;
        if (!in.delimited(tag_bytes)) return DeaggregateOutcome::kMalformed;
        const DeaggregateOutcome tag_outcome = parse_tag_message(tag_bytes);
        if (tag_outcome != DeaggregateOutcome::kAggregate) return tag_outcome;
        break;
      }
      default:
        ok = in.skip(t);
        break;
    }
    if (!ok) return DeaggregateOutcome::kMalformed;
  }
  return has_partition_key && has_data ? DeaggregateOutcome::kAggregate : DeaggregateOutcome::kMissingField;
}

DeaggregateOutcome parse_aggregate(std::string_view proto, Scratch& scratch, std::vector<SubRecord>& out) {
  WireReader in(proto);
  while (!in.at_end()) {
    uint64_t t = 0;
    if (!in.tag(t)) return DeaggregateOutcome::kMalformed;
    std::string_view value;
    switch (t) {
      case wire::kPartitionKeyTableTag:
        if (!in.delimited(value)) return DeaggregateOutcome::kMalformed;
        scratch.partition_keys.push_back(value);
        break;
      case wire::kExplicitHashKeyTableTag:
        if (!in.delimited(value)) return DeaggregateOutcome::kMalformed;
        scratch.explicit_hash_keys.push_back(value);
        break;
      case wire::kRecordsTag: {
        if (!in.delimited(value)) return DeaggregateOutcome::kMalformed;
        RecordIndices indices{};
        std::string_view data;
        const DeaggregateOutcome record_outcome = parse_record(value, indices, data);
        if (record_outcome != DeaggregateOutcome::kAggregate) return record_outcome;
        scratch.indices.push_back(indices);
        out.push_back(SubRecord{{}, std::nullopt, data, out.size()});
        break;
      }
      default:
        if (!in.skip(t)) return DeaggregateOutcome::kMalformed;
        break;
    }
  }
  if (out.empty()) return DeaggregateOutcome::kNoRecords;
  for (size_t i = 0; i < out.size(); ++i) {
    const RecordIndices& indices = scratch.indices[i];
    if (indices.partition_key >= scratch.partition_keys.size()) return DeaggregateOutcome::kIndexOutOfRange;
    out[i].partition_key = scratch.partition_keys[indices.partition_key];
    if (indices.has_explicit_hash_key) {
      if (indices.explicit_hash_key >= scratch.explicit_hash_keys.size()) {
        return DeaggregateOutcome::kIndexOutOfRange;
      }
      out[i].explicit_hash_key = scratch.explicit_hash_keys[indices.explicit_hash_key];
    }
  }
  return DeaggregateOutcome::kAggregate;
}

}  // namespace

std::string_view to_string(DeaggregateOutcome outcome) {
  switch (outcome) {
    case DeaggregateOutcome::kAggregate:
      return "aggregate";
    case DeaggregateOutcome::kNotAggregate:
      return "not an aggregate";
    case DeaggregateOutcome::kTooShort:
      return "too short";
    case DeaggregateOutcome::kDigestMismatch:
      return "digest mismatch";
    case DeaggregateOutcome::kMalformed:
      return "malformed protobuf";
    case DeaggregateOutcome::kMissingField:
      return "missing required field";
    case DeaggregateOutcome::kIndexOutOfRange:
      return "key index out of range";
    case DeaggregateOutcome::kNoRecords:
      return "no records";
  }
  return "unknown";
}

bool has_magic(std::string_view bytes) {
  return bytes.size() >= kMagic.size() && std::memcmp(bytes.data(), kMagic.data(), kMagic.size()) == 0;
}

DeaggregateOutcome deaggregate_into(std::string_view bytes, std::vector<SubRecord>& out) {
  out.clear();
  if (!has_magic(bytes)) return DeaggregateOutcome::kNotAggregate;
  if (bytes.size() < kFramingSize) return DeaggregateOutcome::kTooShort;
  const std::string_view proto = bytes.substr(kMagic.size(), bytes.size() - kFramingSize);
  const Md5Digest digest = md5(proto);
  if (std::memcmp(digest.data(), bytes.data() + bytes.size() - kDigestSize, kDigestSize) != 0) {
    return DeaggregateOutcome::kDigestMismatch;
  }
  thread_local Scratch scratch;
  scratch.partition_keys.clear();
  scratch.explicit_hash_keys.clear();
  scratch.indices.clear();
  const DeaggregateOutcome outcome = parse_aggregate(proto, scratch, out);
  if (outcome != DeaggregateOutcome::kAggregate) out.clear();
  return outcome;
}

Deaggregation deaggregate(std::string_view bytes) {
  Deaggregation result;
  result.outcome = deaggregate_into(bytes, result.records);
  return result;
}

}  // namespace pk::kpl
