#pragma once
// One worker's part in the lease protocol (the KCL 2.x taker / renewer protocol that the Java KCL keeps for its
// leases; docs/leases.md): it takes leases (expired or unowned ones, up to its share; steals one at a time from the
// most loaded worker), renews the ones it holds, tells its listener when it got a lease and when it lost one, writes
// checkpoints for the holder of each lease, and releases its leases when it stops.
//
// Safety: a lease is lost locally when its deadline passes (HeldLeases: the last successful write's sending time
// plus failover minus a margin), even if no answer from DynamoDB ever comes, so the listener stops reading the shard
// before any other worker may take it. A stolen lease is handed to the listener only `failover` after the steal:
// by then the previous holder has stopped reading (at its next failed renewal, at the latest at its deadline).
//
// Runs on one loop (the executor given): every method, the listener's callbacks and the loops started by start() run
// there. Owned by its creator; stop() must have completed before it is destroyed.

#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include "common/clock.h"
#include "common/result.h"
#include "kcl/async_mutex.h"
#include "kcl/held_leases.h"
#include "kcl/lease_observer.h"
#include "kcl/lease_table.h"
#include "kcl/lease_taker.h"
#include "kcl/lease_timing.h"
#include "net/task_group.h"

namespace pk::kcl {

class ShardSync;
class Kcl3Guard;

enum class LossReason {
  kTaken,    // a conditional write failed: another worker owns the lease now
  kExpired,  // the local deadline passed without a successful write
};
std::string_view to_string(LossReason reason);

// Told about leases; called on the coordinator's loop, must not block.
class LeaseListener {
 public:
  virtual ~LeaseListener() = default;
  // This worker holds `lease` and may read its shard (check ready_to_process first: parents before children).
  virtual void on_lease_acquired(const Lease& lease) = 0;
  // Stop reading the shard now. `last_known` is the lease as our last successful write left it (a best-effort
  // final checkpoint may use it: Checkpointer::write_after_loss).
  virtual void on_lease_lost(const Lease& last_known, LossReason reason) = 0;
  // The coordinator stopped taking leases for good (a live KCL 3 leader appeared); the owner should shut down.
  virtual void on_coordinator_error(const Error& error) = 0;
};

// Where checkpoints of held leases are written (the coordinator; a fake in tests).
class CheckpointWriter {
 public:
  virtual ~CheckpointWriter() = default;
  // kLost (or nullopt lease) when the lease is not held (any more).
  virtual boost::asio::awaitable<Result<LeaseWrite>> write_checkpoint(kinesis::ShardId key,
                                                                      ExtendedSequenceNumber position,
                                                                      std::optional<uint64_t> record_count) = 0;
};

// What one take round did.
struct TakeRound {
  TakePlan plan;         // plan_take's decision
  int taken = 0;         // takes that won their condition
  bool skipped = false;  // nothing tried: a KCL 3 leader lock is being watched or is live
};

struct CoordinatorOptions {
  WorkerId worker;  // make_worker_id() unless configured
  LeaseTiming timing;
  uint64_t random_seed = std::random_device{}();
};

class LeaseCoordinator final : public CheckpointWriter {
 public:
  LeaseCoordinator(boost::asio::any_io_executor executor, std::shared_ptr<const LeaseTable> table,
                   LeaseListener& listener, CoordinatorOptions options, const Clock& clock = SystemClock::instance());
  ~LeaseCoordinator() override;
  LeaseCoordinator(const LeaseCoordinator&) = delete;
  LeaseCoordinator& operator=(const LeaseCoordinator&) = delete;

  // Optional duties of the take loop: shard sync every shard_sync_interval (first before the first take), and the
  // KCL 3 leader watch (no take while a leader lock is being watched; a live one stops taking for good). Both must
  // outlive the coordinator's loops. Set before start().
  void set_shard_sync(ShardSync* sync) { shard_sync_ = sync; }
  void set_kcl3_guard(Kcl3Guard* guard) { guard_ = guard; }

  // Starts the renew loop (renewals, local expiry, deferred hand-over of stolen leases) and the take loop.
  void start();
  // Stops both loops and waits for them and every write in flight; then, when `release_leases`, releases every
  // held lease (the caller has stopped its readers and written its final checkpoints before). Without it the
  // leases are simply left to expire (what a crash does).
  boost::asio::awaitable<void> stop(bool release_leases = true);

  // The rounds the loops run (public for tests and tools). Loses every lease past its deadline and hands over
  // stolen leases whose wait is over:
  void expire_round();
  // Scans the table and takes what plan_take says (and runs the shard sync when it is due):
  boost::asio::awaitable<Result<TakeRound>> take_round();

  // CheckpointWriter: serialised with the renewals of the same lease.
  boost::asio::awaitable<Result<LeaseWrite>> write_checkpoint(kinesis::ShardId key, ExtendedSequenceNumber position,
                                                              std::optional<uint64_t> record_count) override;
  // Gives up a held lease (after SHARD_END was checkpointed, or to hand the shard to another worker); the caller
  // stopped reading it. Ok also when it was no longer held.
  boost::asio::awaitable<Status> release(kinesis::ShardId key);

  const WorkerId& worker() const { return options_.worker; }
  std::vector<Lease> held_leases() const { return held_.all(); }
  std::optional<Lease> held_lease(std::string_view key) const;
  const LeaseObserver& observed() const { return observer_; }
  bool taking_stopped() const { return taking_stopped_; }

 private:
  boost::asio::awaitable<void> renew_loop();
  boost::asio::awaitable<void> take_loop();
  boost::asio::awaitable<void> renew_one(Lease lease, AsyncMutex::Guard guard);
  boost::asio::awaitable<bool> take_one(Lease lease, bool steal);
  boost::asio::awaitable<bool> guard_allows_taking();
  void lose(std::string_view key, LossReason reason);
  std::shared_ptr<AsyncMutex> mutex_for(std::string_view key);
  SteadyTime next_wake() const;

  boost::asio::any_io_executor executor_;
  std::shared_ptr<const LeaseTable> table_;
  LeaseListener& listener_;
  CoordinatorOptions options_;
  const Clock& clock_;
  std::mt19937_64 random_;

  HeldLeases held_;
  LeaseObserver observer_;
  std::map<std::string, std::shared_ptr<AsyncMutex>, std::less<>> mutexes_;  // one per held lease
  std::map<std::string, SteadyTime, std::less<>> hand_over_at_;              // stolen, not yet handed over

  ShardSync* shard_sync_ = nullptr;
  Kcl3Guard* guard_ = nullptr;
  std::optional<SteadyTime> next_shard_sync_;

  net::TaskGroup tasks_;
  boost::asio::steady_timer renew_wake_;
  boost::asio::steady_timer take_wake_;
  bool started_ = false;
  bool stopping_ = false;
  bool taking_stopped_ = false;
};

}  // namespace pk::kcl
