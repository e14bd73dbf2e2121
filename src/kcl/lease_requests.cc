#include "kcl/lease_requests.h"

#include "kcl/lease_codec.h"

namespace pk::kcl {
namespace {

using dynamodb::AttributeValue;
using dynamodb::ExpressionAttributes;

// Placeholders for the attribute names the expressions use (placeholders everywhere: no reserved-word surprises).
ExpressionAttributes names(std::initializer_list<std::pair<const char*, std::string_view>> pairs) {
  ExpressionAttributes a;
  for (const auto& [placeholder, name] : pairs) a.names.emplace(placeholder, std::string(name));
  return a;
}

dynamodb::UpdateItemRequest update(const std::string& table, const kinesis::ShardId& key) {
  dynamodb::UpdateItemRequest r;
  r.table = table;
  r.key = lease_key_item(key);
  r.return_values = dynamodb::ReturnValues::kAllNew;
  return r;
}

// "#counter = :counter" with :counter = the lease's counter and :next = counter + 1.
void counter_values(ExpressionAttributes& a, const Lease& lease) {
  a.names.emplace("#counter", std::string(attr::kLeaseCounter));
  a.values.emplace(":counter", AttributeValue::n(lease.counter));
  a.values.emplace(":next", AttributeValue::n(lease.counter + 1));
}

}  // namespace

dynamodb::PutItemRequest create_lease_request(const std::string& table, const Lease& lease) {
  dynamodb::PutItemRequest r;
  r.table = table;
  r.item = lease_to_item(lease);
  r.condition_expression = "attribute_not_exists(#key)";
  r.attributes = names({{"#key", attr::kLeaseKey}});
  return r;
}

dynamodb::UpdateItemRequest renew_lease_request(const std::string& table, const Lease& lease) {
  auto r = update(table, lease.key);
  r.attributes = names({{"#cpowner", attr::kCheckpointOwner}});
  counter_values(r.attributes, lease);
  r.update_expression = "SET #counter = :next";
  r.condition_expression = "#counter = :counter AND attribute_not_exists(#cpowner)";
  return r;
}

dynamodb::UpdateItemRequest take_lease_request(const std::string& table, const Lease& lease, const WorkerId& worker) {
  auto r = update(table, lease.key);
  r.attributes = names({{"#owner", attr::kLeaseOwner}, {"#cpowner", attr::kCheckpointOwner}});
  counter_values(r.attributes, lease);
  r.attributes.values.emplace(":owner", AttributeValue::s(worker.str()));
  r.update_expression = "SET #counter = :next, #owner = :owner REMOVE #cpowner";
  const bool switches = (lease.owner && *lease.owner != worker) || lease.checkpoint_owner == worker;
  if (switches) {
    r.attributes.names.emplace("#switches", std::string(attr::kOwnerSwitches));
    r.attributes.values.emplace(":one", AttributeValue::n(1));
    r.update_expression += " ADD #switches :one";
  }
  r.condition_expression = "#counter = :counter";
  return r;
}

dynamodb::UpdateItemRequest release_lease_request(const std::string& table, const Lease& lease) {
  auto r = update(table, lease.key);
  r.attributes = names({{"#owner", attr::kLeaseOwner}, {"#cpowner", attr::kCheckpointOwner}});
  counter_values(r.attributes, lease);
  r.attributes.values.emplace(":owner", AttributeValue::s(lease.owner ? lease.owner->str() : std::string()));
  r.update_expression = "SET #counter = :next REMOVE #owner";
  r.condition_expression = "#counter = :counter AND #owner = :owner AND attribute_not_exists(#cpowner)";
  return r;
}

dynamodb::UpdateItemRequest checkpoint_lease_request(const std::string& table, const Lease& lease,
                                                     const ExtendedSequenceNumber& checkpoint,
                                                     const std::optional<uint64_t>& counter) {
  auto r = update(table, lease.key);
  r.attributes = names({{"#owner", attr::kLeaseOwner},
                        {"#cp", attr::kCheckpoint},
                        {"#cpsub", attr::kCheckpointSubSequence},
                        {"#switches", attr::kOwnerSwitches},
                        {"#pending", attr::kPendingCheckpoint},
                        {"#pendingsub", attr::kPendingCheckpointSubSequence},
                        {"#pendingstate", attr::kPendingCheckpointState},
                        {"#rc", attr::kRecordCounter},
                        {"#rcat", attr::kRecordCounterCheckpoint}});
  counter_values(r.attributes, lease);
  auto& v = r.attributes.values;
  v.emplace(":owner", AttributeValue::s(lease.owner ? lease.owner->str() : std::string()));
  v.emplace(":cp", AttributeValue::s(checkpoint.text()));
  v.emplace(":cpsub", AttributeValue::n(checkpoint.sub_sequence_number()));
  v.emplace(":zero", AttributeValue::n(0));
  r.update_expression = "SET #counter = :next, #cp = :cp, #cpsub = :cpsub, #switches = :zero";
  if (counter) {
    v.emplace(":rc", AttributeValue::n(std::to_string(*counter)));
    v.emplace(":rcat", AttributeValue::s(checkpoint.to_string()));
    r.update_expression += ", #rc = :rc, #rcat = :rcat REMOVE #pending, #pendingsub, #pendingstate";
  } else {
    r.update_expression += " REMOVE #pending, #pendingsub, #pendingstate, #rc, #rcat";
  }
  r.condition_expression = "#counter = :counter AND #owner = :owner";
  return r;
}

dynamodb::UpdateItemRequest set_child_shards_request(const std::string& table, const kinesis::ShardId& key,
                                                     const std::vector<kinesis::ShardId>& children) {
  auto r = update(table, key);
  r.attributes = names({{"#key", attr::kLeaseKey}, {"#children", attr::kChildShardIds}});
  std::vector<std::string> ids;
  for (const kinesis::ShardId& c : children) ids.push_back(c.str());
  r.attributes.values.emplace(":children", AttributeValue::ss(std::move(ids)));
  r.update_expression = "SET #children = :children";
  r.condition_expression = "attribute_exists(#key)";
  return r;
}

dynamodb::DeleteItemRequest delete_finished_lease_request(const std::string& table, const kinesis::ShardId& key) {
  dynamodb::DeleteItemRequest r;
  r.table = table;
  r.key = lease_key_item(key);
  r.attributes = names({{"#cp", attr::kCheckpoint}});
  r.attributes.values.emplace(":end", AttributeValue::s(std::string(to_string(Sentinel::kShardEnd))));
  r.condition_expression = "#cp = :end";
  return r;
}

}  // namespace pk::kcl
