#pragma once
// What every shard worker of one source pipeline shares: the settings, the clients, the lease machinery, the
// Pulsar producer (unless each shard has its own, for effectively-once), the bound on records in flight, the
// counters. Owned by the SourcePipeline; everything here is used on the pipeline's loop only.

#include <cstdint>
#include <memory>

#include <boost/asio/any_io_executor.hpp>

#include "kcl/lease_coordinator.h"
#include "kcl/lease_table.h"
#include "kcl/shard_sync.h"
#include "kinesis/client.h"
#include "metrics/pipeline_metrics.h"
#include "net/loop_condition.h"
#include "pulsar/client/client.h"
#include "source/source_settings.h"

namespace pk::source {

struct SourceCounters {
  uint64_t records_in = 0;          // Kinesis records read (aggregates count once)
  uint64_t user_records_in = 0;     // (sub-)records read
  uint64_t bytes_in = 0;            // data bytes of the (sub-)records
  uint64_t messages_sent = 0;       // confirmed by Pulsar
  uint64_t messages_skipped = 0;    // effectively-once: already in Pulsar (below the producer's last sequence id)
  uint64_t corrupt_aggregates = 0;  // magic but not a valid aggregate: passed on as one record
  uint64_t send_failures = 0;
  uint64_t shards_ended = 0;
  uint64_t leases_lost = 0;
};

// The bound on (sub-)records sent to Pulsar and not yet confirmed (receiveQueueSize), over all shards.
class InFlightLimit {
 public:
  explicit InFlightLimit(size_t limit) : limit_(limit == 0 ? 1 : limit) {}
  bool has_room() const { return count_ < limit_; }
  void take() { ++count_; }
  void give_back() {
    --count_;
    if (count_ + 1 == limit_ || count_ == 0) room_.notify_all();
  }
  // Waits until there is room (or the wait is cancelled); the caller re-checks.
  boost::asio::awaitable<bool> wait() { return room_.wait(); }
  // Wakes every waiter (shutdown, lease loss).
  void wake_all() { room_.notify_all(); }
  size_t count() const { return count_; }

 private:
  size_t limit_;
  size_t count_ = 0;
  net::LoopCondition room_;
};

struct SourceContext {
  boost::asio::any_io_executor executor;
  const SourceSettings& settings;
  pulsar::Client& pulsar;
  const kinesis::KinesisClient& kinesis;
  std::shared_ptr<const kcl::LeaseTable> table;
  kcl::ShardSync& shard_sync;
  kcl::LeaseCoordinator& coordinator;
  pulsar::Producer* shared_producer;                 // null with effectively-once (each shard has its own)
  std::optional<kinesis::ConsumerArn> consumer_arn;  // enhanced fan-out
  InFlightLimit& in_flight;
  SourceCounters& counters;
  metrics::SourceMetrics* metrics = nullptr;  // where the workers count as they go; null: not counted
};

}  // namespace pk::source
