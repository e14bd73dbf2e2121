#pragma once
// Lease <-> lease-table item, as the Java KCL 3.1.2 lays the item out (docs/leases.md): pure functions. Reading
// keeps every attribute it does not know in Lease::other_attributes; an item whose `entityType` is present and not
// "LEASE" (a newer KCL keeps other entities in the same table) is not a lease and reads as nullopt.

#include <optional>
#include <string_view>

#include "common/result.h"
#include "dynamodb/attribute_value.h"
#include "kcl/lease.h"

namespace pk::kcl {

// The attribute names of the lease table.
namespace attr {
inline constexpr std::string_view kLeaseKey = "leaseKey";                                                // S, hash key
inline constexpr std::string_view kLeaseOwner = "leaseOwner";                                            // S
inline constexpr std::string_view kLeaseCounter = "leaseCounter";                                        // N
inline constexpr std::string_view kOwnerSwitches = "ownerSwitchesSinceCheckpoint";                       // N
inline constexpr std::string_view kCheckpoint = "checkpoint";                                            // S
inline constexpr std::string_view kCheckpointSubSequence = "checkpointSubSequenceNumber";                // N
inline constexpr std::string_view kPendingCheckpoint = "pendingCheckpoint";                              // S
inline constexpr std::string_view kPendingCheckpointSubSequence = "pendingCheckpointSubSequenceNumber";  // N
inline constexpr std::string_view kPendingCheckpointState = "pendingCheckpointState";  // B (kept, not read)
inline constexpr std::string_view kParentShardId = "parentShardId";                    // SS
inline constexpr std::string_view kChildShardIds = "childShardIds";                    // SS
inline constexpr std::string_view kStartingHashKey = "startingHashKey";                // S, decimal
inline constexpr std::string_view kEndingHashKey = "endingHashKey";                    // S, decimal
inline constexpr std::string_view kThroughputKbps = "throughputKBps";                  // N
inline constexpr std::string_view kCheckpointOwner = "checkpointOwner";                // S
inline constexpr std::string_view kEntityType = "entityType";                          // S (newer KCLs)
// Ours (effectively-once): the record counter and the checkpoint it belongs to ("<checkpoint>/<sub-sequence>").
inline constexpr std::string_view kRecordCounter = "pkRecordCounter";                      // N
inline constexpr std::string_view kRecordCounterCheckpoint = "pkRecordCounterCheckpoint";  // S
}  // namespace attr

// The lease an item holds; nullopt when the item is another entity (entityType present and not "LEASE"). Errors
// name the lease key and the attribute ("lease shardId-1: leaseCounter: ...").
Result<std::optional<Lease>> lease_from_item(const dynamodb::Item& item);

// The whole item of a new lease (what PutItem writes when the lease is created): the known attributes the way
// the KCL writes them (absent ones left out), then Lease::other_attributes.
dynamodb::Item lease_to_item(const Lease& lease);

// {leaseKey: S}
dynamodb::Item lease_key_item(const kinesis::ShardId& key);

}  // namespace pk::kcl
