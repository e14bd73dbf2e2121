#include "kinesis/record_json.h"

namespace pk::kinesis::json {
namespace {

Status read_record(value v, Record& r) {
  bool has_sequence = false;
  bool has_key = false;
  bool has_data = false;
  PK_TRY(for_each_member(v, "record", [&](std::string_view key, value field) -> Status {
    if (key == "Data") {
      PK_ASSIGN_OR_RETURN(has_data, append_base64(field, "Data", r.data));
    } else if (key == "SequenceNumber") {
      PK_ASSIGN_OR_RETURN(auto n, optional_sequence_number(field, "SequenceNumber"));
      has_sequence = n.has_value();
      if (n) r.sequence_number = std::move(*n);
    } else if (key == "PartitionKey") {
      PK_ASSIGN_OR_RETURN(auto s, get_string(field, "PartitionKey"));
      has_key = s.has_value();
      if (s) r.partition_key.assign(*s);
    } else if (key == "ApproximateArrivalTimestamp") {
      PK_ASSIGN_OR_RETURN(auto t, get_timestamp(field, "ApproximateArrivalTimestamp"));
      if (t) r.approximate_arrival = *t;
    } else if (key == "EncryptionType") {
      PK_ASSIGN_OR_RETURN(auto s, get_string(field, "EncryptionType"));
      if (s && *s == "KMS") r.encryption_type = EncryptionType::kKms;
    }
    return ok_status();
  }));
  PK_TRY(require(has_sequence, "SequenceNumber"));
  PK_TRY(require(has_key, "PartitionKey"));
  PK_TRY(require(has_data, "Data"));
  return ok_status();
}

}  // namespace

Status read_records(value v, std::string_view field, std::vector<Record>& out) {
  return for_each_element(v, field, [&](size_t index, value element) -> Status {
    Record& r = out.emplace_back();
    Status s = read_record(element, r);
    if (!s.ok()) return in_element(std::move(s).error(), field, index);
    return ok_status();
  });
}

Status read_batch_member(std::string_view key, value v, RecordBatch batch) {
  if (key == "Records") return read_records(v, "Records", batch.records);
  if (key == "ChildShards") return read_child_shards(v, "ChildShards", batch.child_shards);
  if (key == "MillisBehindLatest") {
    PK_ASSIGN_OR_RETURN(auto n, get_int64(v, "MillisBehindLatest"));
    batch.millis_behind_latest = n.value_or(0);
  }
  return ok_status();
}

Result<HashKeyRange> read_hash_key_range(value v, std::string_view field) {
  HashKeyRange range;
  bool has_start = false;
  bool has_end = false;
  Status s = for_each_member(v, field, [&](std::string_view key, value member) -> Status {
    if (key == "StartingHashKey") {
      PK_ASSIGN_OR_RETURN(range.starting, required_hash_key(member, "StartingHashKey"));
      has_start = true;
    } else if (key == "EndingHashKey") {
      PK_ASSIGN_OR_RETURN(range.ending, required_hash_key(member, "EndingHashKey"));
      has_end = true;
    }
    return ok_status();
  });
  if (s.ok()) s = require(has_start, "StartingHashKey");
  if (s.ok()) s = require(has_end, "EndingHashKey");
  if (!s.ok()) return in_field(std::move(s).error(), field);
  return range;
}

Status read_child_shards(value v, std::string_view field, std::vector<ChildShard>& out) {
  return for_each_element(v, field, [&](size_t index, value element) -> Status {
    ChildShard& child = out.emplace_back();
    bool has_range = false;
    Status s = for_each_member(element, "child shard", [&](std::string_view key, value member) -> Status {
      if (key == "ShardId") {
        PK_ASSIGN_OR_RETURN(auto id, required_string(member, "ShardId"));
        child.shard_id = ShardId(std::move(id));
      } else if (key == "ParentShards") {
        return for_each_element(member, "ParentShards", [&](size_t i, value parent) -> Status {
          auto id = required_string(parent, "ParentShards");
          if (!id.ok()) return in_element(std::move(id).error(), "ParentShards", i);
          child.parent_shards.emplace_back(std::move(*id));
          return ok_status();
        });
      } else if (key == "HashKeyRange") {
        PK_ASSIGN_OR_RETURN(child.hash_key_range, read_hash_key_range(member, "HashKeyRange"));
        has_range = true;
      }
      return ok_status();
    });
    if (s.ok()) s = require(!child.shard_id.empty(), "ShardId");
    if (s.ok()) s = require(has_range, "HashKeyRange");
    if (!s.ok()) return in_element(std::move(s).error(), field, index);
    return ok_status();
  });
}

}  // namespace pk::kinesis::json
