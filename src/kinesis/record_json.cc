#include "kinesis/record_json.h"

namespace pk::kinesis::json {

RecordMember record_member_of(std::string_view key) {
  switch (key.size()) {
    case 4:
      return key == "Data" ? RecordMember::kData : RecordMember::kOther;
    case 12:
      return key == "PartitionKey" ? RecordMember::kPartitionKey : RecordMember::kOther;
    case 14:
      return key == "SequenceNumber"   ? RecordMember::kSequenceNumber
             : key == "EncryptionType" ? RecordMember::kEncryptionType
                                       : RecordMember::kOther;
    case 27:
      return key == "ApproximateArrivalTimestamp" ? RecordMember::kArrival : RecordMember::kOther;
    default:
      return RecordMember::kOther;
  }
}

namespace {

using simdjson::ondemand::json_type;

// The hot path of GetRecords and SubscribeToShard: one record, read with no Status per member (building and
// dropping an Error for every member costs as much as the base64 decoding); `error` is set only on failure.
bool read_record(value v, OwnedRecord& r, Error& error) {
  const auto fail = [&](std::string_view field, simdjson::error_code e) {
    error = json_error(field, e);
    return false;
  };
  simdjson::ondemand::object object;
  if (auto e = v.get_object().get(object)) return fail("record", e);
  bool has_sequence = false;
  bool has_key = false;
  bool has_data = false;
  for (auto member : object) {
    simdjson::ondemand::field f;
    if (auto e = std::move(member).get(f)) return fail("record", e);
    std::string_view key = raw_key(f);
    if (key.data() == nullptr) {
      if (auto e = f.unescaped_key().get(key)) return fail("record", e);
    }
    const RecordMember which = record_member_of(key);
    if (which == RecordMember::kOther) continue;
    value field = f.value();
    json_type type;
    if (auto e = field.type().get(type)) return fail(key, e);
    if (type == json_type::null) continue;
    switch (which) {
      case RecordMember::kData: {
        auto has = append_base64(field, "Data", r.data);
        if (!has.ok()) {
          error = std::move(has).error();
          return false;
        }
        has_data = true;
        break;
      }
      case RecordMember::kSequenceNumber:
      case RecordMember::kPartitionKey:
      case RecordMember::kEncryptionType: {
        std::string_view text;
        if (type != json_type::string) return fail(key, simdjson::INCORRECT_TYPE);
        if (auto e = field.get_string().get(text)) return fail(key, e);
        if (which == RecordMember::kSequenceNumber) {
          auto n = SequenceNumber::parse(text, "SequenceNumber");
          if (!n.ok()) {
            error = std::move(n).error();
            return false;
          }
          r.sequence_number = std::move(*n);
          has_sequence = true;
        } else if (which == RecordMember::kPartitionKey) {
          r.partition_key.assign(text);
          has_key = true;
        } else if (text == "KMS") {
          r.encryption_type = EncryptionType::kKms;
        }
        break;
      }
      case RecordMember::kArrival: {
        auto t = get_timestamp(field, "ApproximateArrivalTimestamp");
        if (!t.ok()) {
          error = std::move(t).error();
          return false;
        }
        if (*t) r.approximate_arrival = **t;
        break;
      }
      case RecordMember::kOther:
        break;
    }
  }
  if (!has_sequence || !has_key || !has_data) {
    error = field_error(!has_sequence ? "SequenceNumber" : !has_key ? "PartitionKey" : "Data", "missing");
    return false;
  }
  return true;
}

}  // namespace

Status read_records(value v, std::string_view field, std::vector<OwnedRecord>& out) {
  json_type type;
  if (auto e = v.type().get(type)) return json_error(field, e);
  if (type == json_type::null) return ok_status();
  simdjson::ondemand::array array;
  if (auto e = v.get_array().get(array)) return json_error(field, e);
  size_t count = 0;
  if (array.count_elements().get(count) == simdjson::SUCCESS) out.reserve(out.size() + count);
  Error error;
  size_t index = 0;
  for (auto element : array) {
    value item;
    if (auto e = std::move(element).get(item)) return in_element(json_error("", e), field, index);
    if (!read_record(item, out.emplace_back(), error)) return in_element(std::move(error), field, index);
    ++index;
  }
  return ok_status();
}

namespace {
struct OwnedRecordStorage : RecordStorage {
  std::vector<OwnedRecord> records;
};
}  // namespace

RecordBatch share_records(std::vector<OwnedRecord> owned) {
  auto texts = std::make_shared<OwnedRecordStorage>();
  texts->records = std::move(owned);
  std::vector<RecordView> records(texts->records.size());
  for (size_t i = 0; i < records.size(); ++i) {
    const OwnedRecord& o = texts->records[i];
    RecordView& r = records[i];
    r.storage = texts.get();
    r.sequence_number = o.sequence_number.str();
    r.partition_key = o.partition_key;
    r.data = o.data;
    r.approximate_arrival = o.approximate_arrival;
    r.encryption_type = o.encryption_type;
  }
  return RecordBatch(std::move(records), std::move(texts));
}

Status read_batch_member(std::string_view key, value v, BatchMembers batch) {
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
