#pragma once
// The source pipeline: a Kinesis stream -> a Pulsar topic, at least once (effectively-once with broker
// deduplication and `effectivelyOnce`).
//
//   start: lease table (created if missing, the KCL's layout) -> no live KCL 3 leader next to us -> the EFO consumer
//          (registered or found) -> the Pulsar producer -> lease coordinator (shard sync, take, renew)
//   each lease acquired -> a ShardWorker (shard_worker.h) on this loop; a lease lost -> its worker stops reading now
//   stop(): every worker stops reading, lets Pulsar confirm what was sent and checkpoints it; then the leases are
//           released and the clients closed.
//
// Owned by the app; every call on the Pulsar client's loop.

#include <map>
#include <memory>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "dynamodb/client.h"
#include "kcl/kcl3_guard.h"
#include "kcl/lease_coordinator.h"
#include "kcl/shard_sync.h"
#include "kinesis/client.h"
#include "net/loop_condition.h"
#include "net/task_group.h"
#include "pulsar/client/client.h"
#include "source/shard_worker.h"
#include "source/source_context.h"
#include "source/source_settings.h"

namespace pk::source {

// One shard being read now, as the status shows it.
struct ShardProgress {
  std::string shard;
  int64_t millis_behind_latest = 0;
  uint64_t checkpoint_lag = 0;  // records read and not covered by the checkpoint written last
};

class SourcePipeline final : private kcl::LeaseListener {
 public:
  SourcePipeline(pulsar::Client& pulsar, std::shared_ptr<const kinesis::KinesisClient> kinesis,
                 std::shared_ptr<dynamodb::DynamoDbClient> dynamodb, SourceSettings settings);
  ~SourcePipeline() override;

  boost::asio::awaitable<Status> start();
  // Runs until stop() or a failure (a shard that cannot be sent to Pulsar, a live KCL 3 leader); then drains.
  boost::asio::awaitable<Status> run();
  void stop();

  const SourceSettings& settings() const { return settings_; }
  const SourceCounters& counters() const { return counters_; }
  const kcl::LeaseCoordinator* coordinator() const { return coordinator_.get(); }
  size_t in_flight() const { return in_flight_.count(); }
  // The shards being read now, with how far behind they are.
  std::map<std::string, int64_t> shards() const;
  // The same with each shard's checkpoint lag, by shard id.
  std::vector<ShardProgress> shard_progress() const;
  // Where the workers count what they read and publish (per shard and topic); the owner keeps `metrics` alive
  // longer than the pipeline. Call before start().
  void set_metrics(metrics::SourceMetrics* metrics) { metrics_ = metrics; }

 private:
  struct Running {
    std::unique_ptr<ShardWorker> worker;
    std::optional<kcl::Lease> next;  // acquired again while the worker was still winding down: started after it
  };

  void on_lease_acquired(const kcl::Lease& lease) override;
  void on_lease_lost(const kcl::Lease& last_known, kcl::LossReason reason) override;
  void on_coordinator_error(const Error& error) override;
  void start_worker(const kcl::Lease& lease);
  boost::asio::awaitable<void> run_worker(std::string key);
  void fail(Error error);

  pulsar::Client& pulsar_;
  std::shared_ptr<const kinesis::KinesisClient> kinesis_;
  std::shared_ptr<dynamodb::DynamoDbClient> dynamodb_;
  SourceSettings settings_;
  std::shared_ptr<const kcl::LeaseTable> table_;
  std::unique_ptr<kcl::ShardSync> shard_sync_;
  std::unique_ptr<kcl::Kcl3Guard> guard_;
  std::unique_ptr<kcl::LeaseCoordinator> coordinator_;
  std::unique_ptr<pulsar::Producer> producer_;
  std::optional<kinesis::ConsumerArn> consumer_arn_;
  InFlightLimit in_flight_;
  SourceCounters counters_;
  std::unique_ptr<SourceContext> context_;
  std::map<std::string, Running> workers_;  // by shard id
  size_t workers_running_ = 0;
  net::LoopCondition changed_;  // a worker finished, stop() or a failure
  std::optional<Error> failure_;
  bool stopping_ = false;
  metrics::SourceMetrics* metrics_ = nullptr;
  net::TaskGroup worker_tasks_;  // one run_worker per shard worker (declared last: destroyed first)
};

}  // namespace pk::source
