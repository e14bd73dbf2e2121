#include "kcl/lease_codec.h"

#include <charconv>

#include <fmt/format.h>

namespace pk::kcl {
namespace {

using dynamodb::AttributeValue;
using dynamodb::Item;

// The attributes lease_from_item turns into Lease fields (everything else goes to other_attributes).
constexpr std::string_view kModelled[] = {
    attr::kLeaseKey,          attr::kLeaseOwner,
    attr::kLeaseCounter,      attr::kOwnerSwitches,
    attr::kCheckpoint,        attr::kCheckpointSubSequence,
    attr::kPendingCheckpoint, attr::kPendingCheckpointSubSequence,
    attr::kParentShardId,     attr::kChildShardIds,
    attr::kStartingHashKey,   attr::kEndingHashKey,
    attr::kThroughputKbps,    attr::kCheckpointOwner,
    attr::kRecordCounter,     attr::kRecordCounterCheckpoint,
};

bool modelled(std::string_view name) {
  for (std::string_view m : kModelled) {
    if (m == name) return true;
  }
  return false;
}

// A string set (or, leniently, one string) as shard ids; absent = none.
Result<std::vector<kinesis::ShardId>> shard_ids(const Item& item, std::string_view name) {
  std::vector<kinesis::ShardId> ids;
  const AttributeValue* v = dynamodb::find(item, name);
  if (v == nullptr) return ids;
  if (const std::string* one = v->as_s()) {
    if (!one->empty()) ids.emplace_back(*one);
    return ids;
  }
  if (v->type() != dynamodb::AttributeType::kSS) {
    return make_error(ErrorCode::kMalformedInput,
                      fmt::format("{}: expected SS, got {}", name, dynamodb::to_string(v->type())));
  }
  for (const std::string& id : *v->as_set()) ids.emplace_back(id);
  return ids;
}

Result<std::optional<ExtendedSequenceNumber>> sequence_pair(const Item& item, std::string_view text_name,
                                                            std::string_view sub_name) {
  PK_ASSIGN_OR_RETURN(auto text, dynamodb::get_s(item, text_name));
  if (!text || text->empty()) return std::optional<ExtendedSequenceNumber>();
  PK_ASSIGN_OR_RETURN(auto sub, dynamodb::get_int64(item, sub_name));
  PK_ASSIGN_OR_RETURN(auto n, ExtendedSequenceNumber::parse(*text, sub.value_or(0), text_name));
  return std::optional<ExtendedSequenceNumber>(std::move(n));
}

// "<checkpoint text>/<sub-sequence>" back into a position; nullopt when malformed.
std::optional<ExtendedSequenceNumber> counter_position(std::string_view text) {
  const size_t slash = text.rfind('/');
  if (slash == std::string_view::npos) return std::nullopt;
  int64_t sub = 0;
  const std::string_view digits = text.substr(slash + 1);
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), sub);
  if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  auto position = ExtendedSequenceNumber::parse(text.substr(0, slash), sub);
  if (!position.ok()) return std::nullopt;
  return std::move(*position);
}

// Our counter, when both of its attributes are present and well-formed (otherwise it is as if never written).
std::optional<RecordCounter> record_counter(const Item& item) {
  const AttributeValue* count = dynamodb::find(item, attr::kRecordCounter);
  const AttributeValue* at = dynamodb::find(item, attr::kRecordCounterCheckpoint);
  if (count == nullptr || at == nullptr || count->as_n() == nullptr || at->as_s() == nullptr) return std::nullopt;
  const std::string& digits = *count->as_n();
  uint64_t n = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  auto position = counter_position(*at->as_s());
  if (!position) return std::nullopt;
  return RecordCounter{n, std::move(*position)};
}

Status read_fields(const Item& item, Lease& lease) {
  PK_ASSIGN_OR_RETURN(auto owner, dynamodb::get_s(item, attr::kLeaseOwner));
  if (owner) lease.owner = WorkerId(std::move(*owner));
  PK_ASSIGN_OR_RETURN(auto counter, dynamodb::get_int64(item, attr::kLeaseCounter));
  if (!counter) return make_error(ErrorCode::kMalformedInput, fmt::format("{}: missing", attr::kLeaseCounter));
  lease.counter = *counter;
  PK_ASSIGN_OR_RETURN(auto switches, dynamodb::get_int64(item, attr::kOwnerSwitches));
  lease.owner_switches_since_checkpoint = switches.value_or(0);
  PK_ASSIGN_OR_RETURN(auto checkpoint, sequence_pair(item, attr::kCheckpoint, attr::kCheckpointSubSequence));
  if (!checkpoint) return make_error(ErrorCode::kMalformedInput, fmt::format("{}: missing", attr::kCheckpoint));
  lease.checkpoint = std::move(*checkpoint);
  PK_ASSIGN_OR_RETURN(lease.pending_checkpoint,
                      sequence_pair(item, attr::kPendingCheckpoint, attr::kPendingCheckpointSubSequence));
  PK_ASSIGN_OR_RETURN(lease.parent_shard_ids, shard_ids(item, attr::kParentShardId));
  PK_ASSIGN_OR_RETURN(lease.child_shard_ids, shard_ids(item, attr::kChildShardIds));
  PK_ASSIGN_OR_RETURN(auto starting, dynamodb::get_s(item, attr::kStartingHashKey));
  PK_ASSIGN_OR_RETURN(auto ending, dynamodb::get_s(item, attr::kEndingHashKey));
  if (starting && ending && !starting->empty() && !ending->empty()) {
    PK_ASSIGN_OR_RETURN(auto from, kinesis::HashKey::parse(*starting, attr::kStartingHashKey));
    PK_ASSIGN_OR_RETURN(auto to, kinesis::HashKey::parse(*ending, attr::kEndingHashKey));
    lease.hash_key_range = kinesis::HashKeyRange{from, to};
  }
  if (const AttributeValue* kbps = dynamodb::find(item, attr::kThroughputKbps); kbps && kbps->as_n()) {
    lease.throughput_kbps = *kbps->as_n();
  }
  PK_ASSIGN_OR_RETURN(auto checkpoint_owner, dynamodb::get_s(item, attr::kCheckpointOwner));
  if (checkpoint_owner) lease.checkpoint_owner = WorkerId(std::move(*checkpoint_owner));
  lease.record_counter = record_counter(item);
  return ok_status();
}

AttributeValue shard_set(const std::vector<kinesis::ShardId>& ids) {
  std::vector<std::string> texts;
  texts.reserve(ids.size());
  for (const kinesis::ShardId& id : ids) texts.push_back(id.str());
  return AttributeValue::ss(std::move(texts));
}

}  // namespace

Item lease_key_item(const kinesis::ShardId& key) {
  return Item{{std::string(attr::kLeaseKey), AttributeValue::s(key.str())}};
}

Result<std::optional<Lease>> lease_from_item(const Item& item) {
  auto key = dynamodb::get_s(item, attr::kLeaseKey);
  if (!key.ok()) return std::move(key).error().with_context("lease item");
  if (!*key) return make_error(ErrorCode::kMalformedInput, "lease item: leaseKey: missing");
  if (const AttributeValue* type = dynamodb::find(item, attr::kEntityType)) {
    if (type->as_s() == nullptr || *type->as_s() != "LEASE") return std::optional<Lease>();
  }
  Lease lease;
  lease.key = kinesis::ShardId(**key);
  Status read = read_fields(item, lease);
  if (!read.ok()) return std::move(read).error().with_context(fmt::format("lease {}", lease.key.str()));
  for (const auto& [name, value] : item) {
    if (!modelled(name)) lease.other_attributes.emplace(name, value);
  }
  return std::optional<Lease>(std::move(lease));
}

Item lease_to_item(const Lease& lease) {
  Item item = lease_key_item(lease.key);
  auto put = [&](std::string_view name, AttributeValue value) { item.insert_or_assign(std::string(name), value); };
  put(attr::kLeaseCounter, AttributeValue::n(lease.counter));
  if (lease.owner) put(attr::kLeaseOwner, AttributeValue::s(lease.owner->str()));
  put(attr::kOwnerSwitches, AttributeValue::n(lease.owner_switches_since_checkpoint));
  put(attr::kCheckpoint, AttributeValue::s(lease.checkpoint.text()));
  put(attr::kCheckpointSubSequence, AttributeValue::n(lease.checkpoint.sub_sequence_number()));
  if (!lease.parent_shard_ids.empty()) put(attr::kParentShardId, shard_set(lease.parent_shard_ids));
  if (!lease.child_shard_ids.empty()) put(attr::kChildShardIds, shard_set(lease.child_shard_ids));
  if (lease.pending_checkpoint) {
    put(attr::kPendingCheckpoint, AttributeValue::s(lease.pending_checkpoint->text()));
    put(attr::kPendingCheckpointSubSequence, AttributeValue::n(lease.pending_checkpoint->sub_sequence_number()));
  }
  if (lease.hash_key_range) {
    put(attr::kStartingHashKey, AttributeValue::s(lease.hash_key_range->starting.to_string()));
    put(attr::kEndingHashKey, AttributeValue::s(lease.hash_key_range->ending.to_string()));
  }
  if (lease.throughput_kbps) put(attr::kThroughputKbps, AttributeValue::n(*lease.throughput_kbps));
  if (lease.checkpoint_owner) put(attr::kCheckpointOwner, AttributeValue::s(lease.checkpoint_owner->str()));
  if (lease.record_counter) {
    put(attr::kRecordCounter, AttributeValue::n(std::to_string(lease.record_counter->count)));
    put(attr::kRecordCounterCheckpoint, AttributeValue::s(lease.record_counter->position.to_string()));
  }
  for (const auto& [name, value] : lease.other_attributes) item.emplace(name, value);
  return item;
}

}  // namespace pk::kcl
