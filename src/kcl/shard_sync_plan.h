#pragma once
// Shard discovery and resharding decisions as pure functions, following the KCL's HierarchicalShardSyncer,
// ShutdownTask, BlockOnParentShardTask and LeaseCleanupManager (docs/leases.md):
//  - plan_new_leases: which leases to create for the shards ListShards returned;
//  - child_leases: the leases of the children a shard reports at its end (checkpoint TRIM_HORIZON, parents set);
//  - ready_to_process: a lease is read only after every parent lease is gone or at SHARD_END;
//  - plan_cleanup: which finished leases may be deleted (all children started, own parents already gone).

#include <functional>
#include <optional>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "kcl/lease.h"
#include "kinesis/model.h"

namespace pk::kcl {

enum class InitialPosition { kLatest, kTrimHorizon, kAtTimestamp };
std::string_view to_string(InitialPosition position);
// LATEST, TRIM_HORIZON, AT_TIMESTAMP as the checkpoint of a lease nobody read yet.
ExtendedSequenceNumber initial_checkpoint(InitialPosition position);

// The leases to create, ordered by their shards' starting sequence numbers (created in that order, an interrupted
// sync leaves no child without its parent). For every open shard without a lease whose parent is not also open:
// if an ancestor has a lease (or will get one: TRIM_HORIZON and AT_TIMESTAMP read the whole history), the leases
// of the first ancestors still to read are created (checkpoint TRIM_HORIZON, AT_TIMESTAMP for AT_TIMESTAMP) and the
// shard itself waits for its parents' end; otherwise the shard gets a lease at the initial position. The same rules
// on an empty table read every shard from the initial position (what the KCL's filtered listing gives).
std::vector<Lease> plan_new_leases(const std::vector<kinesis::Shard>& shards, const std::vector<Lease>& existing,
                                   InitialPosition initial);

// The leases of `children` (as GetRecords / SubscribeToShard report them at a shard's end): unowned, counter 0,
// checkpoint TRIM_HORIZON, every parent, the hash key range.
std::vector<Lease> child_leases(const std::vector<kinesis::ChildShard>& children);

// Finds a lease by shard id (nullptr: no such lease).
using LeaseLookup = std::function<const Lease*(const kinesis::ShardId&)>;

// Before creating the child of a merge (the only child, two parents): both parent leases exist or neither does,
// as the KCL requires; otherwise an error (kUnavailable: try again later) naming the missing parent.
Status check_merge_parents(const kinesis::ShardId& ended, const std::vector<kinesis::ChildShard>& children,
                           const LeaseLookup& lookup);

// Whether the lease's shard may be read: every parent lease is absent (cleaned up, or never needed) or finished.
bool ready_to_process(const Lease& lease, const LeaseLookup& lookup);

// Finished leases that may be deleted: it knows its children, every child lease exists and has checkpointed past
// its start (a sequence number or SHARD_END: the KCL accepts anything but TRIM_HORIZON / AT_TIMESTAMP; we do not
// count LATEST either), and none of its own parent leases is left.
std::vector<kinesis::ShardId> plan_cleanup(const std::vector<Lease>& leases);

// Finished leases without childShardIds whose children the listing shows: (lease key, children) to record, as the
// KCL does before cleaning up.
std::vector<std::pair<kinesis::ShardId, std::vector<kinesis::ShardId>>> plan_child_backfill(
    const std::vector<Lease>& leases, const std::vector<kinesis::Shard>& shards);

}  // namespace pk::kcl
