#pragma once
// The conditional writes of the lease protocol as DynamoDB requests (pure functions; LeaseTable sends them). Each
// write after creation is an UpdateItem naming only the attributes it changes, so attributes we do not know stay as
// they are. The conditions are the KCL's (docs/leases.md), with two of ours made stricter where noted. Every
// UpdateItem asks for ALL_NEW: the lease as it is after the write.

#include <optional>
#include <string>

#include "dynamodb/item_ops_codec.h"
#include "kcl/lease.h"

namespace pk::kcl {

// PutItem of the whole new lease, if no item has its key: attribute_not_exists(leaseKey).
dynamodb::PutItemRequest create_lease_request(const std::string& table, const Lease& lease);

// Renew: leaseCounter = n+1 if leaseCounter = n and no checkpointOwner (a KCL 3 hand-off of the lease to another
// worker makes the renewal fail, as it does in the KCL).
dynamodb::UpdateItemRequest renew_lease_request(const std::string& table, const Lease& lease);

// Take (an expired or unowned lease) or steal (from a live worker): if leaseCounter = n: leaseCounter = n+1,
// leaseOwner = worker, checkpointOwner removed, and ownerSwitchesSinceCheckpoint + 1 when the lease had another
// owner (the KCL leaves it alone when nobody held it).
dynamodb::UpdateItemRequest take_lease_request(const std::string& table, const Lease& lease, const WorkerId& worker);

// Release (graceful, on shutdown or at shard end): if leaseCounter = n and leaseOwner = lease.owner and no
// checkpointOwner: leaseOwner removed, leaseCounter + 1, so every worker sees a change and an unowned lease (the
// KCL's evict conditions on the owner only; ours also on the counter: a lease taken meanwhile is not ours to
// release).
dynamodb::UpdateItemRequest release_lease_request(const std::string& table, const Lease& lease);

// Checkpoint: if leaseCounter = n and leaseOwner = lease.owner (the KCL conditions on the counter only; the
// counter changes with every change of owner, so the owner check only adds safety): leaseCounter = n+1,
// checkpoint and checkpointSubSequenceNumber = `checkpoint`, ownerSwitchesSinceCheckpoint = 0, the pending
// checkpoint (and its state) removed, and our record counter set to `counter` (removed when none is given, so a
// stale one never survives a checkpoint).
dynamodb::UpdateItemRequest checkpoint_lease_request(const std::string& table, const Lease& lease,
                                                     const ExtendedSequenceNumber& checkpoint,
                                                     const std::optional<uint64_t>& counter);

// childShardIds = `children` if the lease exists (the KCL's update of a finished lease's children; no counter
// change, so the owner's renewals are not disturbed).
dynamodb::UpdateItemRequest set_child_shards_request(const std::string& table, const kinesis::ShardId& key,
                                                     const std::vector<kinesis::ShardId>& children);

// DeleteItem of a finished lease, if its checkpoint is SHARD_END (the KCL deletes without a condition).
dynamodb::DeleteItemRequest delete_finished_lease_request(const std::string& table, const kinesis::ShardId& key);

}  // namespace pk::kcl
