#pragma once
// A lease: the row of the lease table that says which worker reads a shard and where reading resumes. The fields
// are those the Java KCL 3.1.2 writes (docs/leases.md lists each attribute), plus our effectively-once record
// counter, plus every other attribute of the item as it was read (kept so that nothing we do not know is lost;
// our writes are UpdateItems that touch only the attributes they are about). Pure value type.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dynamodb/attribute_value.h"
#include "kcl/extended_sequence_number.h"
#include "kinesis/hash_key.h"
#include "kinesis/model.h"

namespace pk::kcl {

// Who holds leases: a worker id as the lease table's leaseOwner attribute holds it.
using WorkerId = kinesis::Id<struct WorkerIdTag>;

// Our effectively-once counter (delivery-notes: the broker deduplicates on (producer name, sequence id)): the number
// of (sub-)records of the shard at or before `position`, i.e. the records numbered 0 .. count-1 in stream order.
// Stored next to the checkpoint with the position it belongs to, so a checkpoint written by someone else (a Java
// worker, which keeps the attribute but does not update it) is recognised as not matching it.
struct RecordCounter {
  uint64_t count = 0;
  ExtendedSequenceNumber position;

  friend bool operator==(const RecordCounter&, const RecordCounter&) = default;
};

struct Lease {
  kinesis::ShardId key;                                      // leaseKey: the shard id
  std::optional<WorkerId> owner;                             // leaseOwner; none = nobody holds it
  int64_t counter = 0;                                       // leaseCounter: every write of the lease adds 1
  ExtendedSequenceNumber checkpoint;                         // checkpoint, checkpointSubSequenceNumber
  std::optional<ExtendedSequenceNumber> pending_checkpoint;  // pendingCheckpoint(SubSequenceNumber)
  int64_t owner_switches_since_checkpoint = 0;               // ownerSwitchesSinceCheckpoint
  std::vector<kinesis::ShardId> parent_shard_ids;            // parentShardId (SS): every parent
  std::vector<kinesis::ShardId> child_shard_ids;             // childShardIds (SS): set when the shard ended
  std::optional<kinesis::HashKeyRange> hash_key_range;       // startingHashKey / endingHashKey (S, decimal)
  std::optional<WorkerId> checkpoint_owner;                  // checkpointOwner (KCL 3 graceful hand-off in progress)
  std::optional<std::string> throughput_kbps;                // throughputKBps (N, kept as its text)
  std::optional<RecordCounter> record_counter;               // pkRecordCounter / pkRecordCounterCheckpoint (ours)
  dynamodb::Item other_attributes;                           // every attribute not named above, as read

  // The record counter when it belongs to the current checkpoint; nullopt otherwise (never written, or the lease
  // was checkpointed since by a worker that does not keep it).
  std::optional<uint64_t> records_at_checkpoint() const;
  // The shard was read to its end and everything of it was processed.
  bool finished() const { return checkpoint.is_shard_end(); }
  bool owned_by(const WorkerId& worker) const { return owner && *owner == worker; }

  friend bool operator==(const Lease&, const Lease&) = default;
};

}  // namespace pk::kcl
