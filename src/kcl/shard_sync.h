#pragma once
// Shard discovery and resharding against the real stream and lease table (the decisions are shard_sync_plan.h's):
//  - run_once(): ListShards, then create the leases plan_new_leases asks for (attribute_not_exists: any number of
//    workers may run it at once), record the children of finished leases that lack them, and delete finished leases
//    plan_cleanup allows (conditionally on SHARD_END);
//  - on_shard_end(): what a reader does when its shard ended (ChildShards in the last GetRecords answer or
//    SubscribeToShard event), before it checkpoints SHARD_END: create the children's leases (TRIM_HORIZON, parents
//    set) and record them on the parent, as the KCL's ShutdownTask does;
//  - ready(): whether a lease's shard may be read now (every parent lease gone or at SHARD_END).
// Stateless apart from its configuration; its coroutines may run on any loop.

#include <memory>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "common/result.h"
#include "kcl/lease_table.h"
#include "kcl/shard_sync_plan.h"
#include "kinesis/client.h"

namespace pk::kcl {

struct ShardSyncReport {
  int shards = 0;             // listed
  int created = 0;            // leases created by us
  int children_recorded = 0;  // finished leases given their childShardIds
  int deleted = 0;            // finished leases deleted
};

class ShardSync {
 public:
  ShardSync(std::shared_ptr<const kinesis::KinesisClient> kinesis, kinesis::StreamRef stream,
            std::shared_ptr<const LeaseTable> table, InitialPosition initial);

  boost::asio::awaitable<Result<ShardSyncReport>> run_once() const;
  // `children` as the shard's last records batch reported them. An error of kUnavailable means "not yet" (the other
  // parent of a merge has no lease yet): try again later, before checkpointing SHARD_END.
  boost::asio::awaitable<Status> on_shard_end(kinesis::ShardId ended, std::vector<kinesis::ChildShard> children) const;
  boost::asio::awaitable<Result<bool>> ready(Lease lease) const;

 private:
  std::shared_ptr<const kinesis::KinesisClient> kinesis_;
  kinesis::StreamRef stream_;
  std::shared_ptr<const LeaseTable> table_;
  InitialPosition initial_;
};

}  // namespace pk::kcl
