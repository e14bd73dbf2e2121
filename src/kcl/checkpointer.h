#pragma once
// Writes one shard's checkpoints: the CheckpointTracker's checkpointable position (and, for effectively-once, the
// record count at it), every `interval` when it moved, at shard end (SHARD_END, only once every record was
// confirmed), on shutdown (flush) and after the lease was lost (best effort, with the lease as last known: written
// only if nobody took it meanwhile). A write that finds the lease gone marks the checkpointer lost: it writes nothing
// more.
//
// Owned by the shard's reader; runs on the lease coordinator's loop (the tracker is fed from there too); stop() must
// complete before it is destroyed.

#include <chrono>
#include <memory>
#include <optional>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include "common/clock.h"
#include "common/result.h"
#include "kcl/async_mutex.h"
#include "kcl/checkpoint_tracker.h"
#include "kcl/lease_coordinator.h"
#include "kcl/lease_table.h"
#include "net/signal.h"
#include "net/task_group.h"

namespace pk::kcl {

struct CheckpointerOptions {
  std::chrono::milliseconds interval{60000};  // checkpointInterval
  bool record_count = false;                  // write pkRecordCounter with each checkpoint (effectively-once)
};

class Checkpointer {
 public:
  // `tracker` starts where reading resumes (its base is taken as written).
  Checkpointer(boost::asio::any_io_executor executor, kinesis::ShardId shard, CheckpointWriter& writer,
               CheckpointTracker tracker, CheckpointerOptions options, const Clock& clock = SystemClock::instance());
  ~Checkpointer();
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  // The reader registers records in delivery order and confirms them as Pulsar acknowledges them.
  Result<CheckpointTracker::Ticket> add(std::string_view sequence, int64_t sub_sequence = 0) {
    return tracker_.add(sequence, sub_sequence);
  }
  Status confirm(CheckpointTracker::Ticket ticket);
  const CheckpointTracker& tracker() const { return tracker_; }

  // Starts the periodic writes.
  void start();
  boost::asio::awaitable<void> stop();

  // Writes the checkpointable position now if it moved. True when the lease holds it (written now or before);
  // false when the lease is lost.
  boost::asio::awaitable<Result<bool>> flush();
  // At the shard's end: waits until every registered record is confirmed (or `wait_limit` passed: an error
  // kTimeout), then writes SHARD_END. The caller has created the child leases (ShardSync::on_shard_end) first.
  boost::asio::awaitable<Result<bool>> finish_shard(std::chrono::milliseconds wait_limit = std::chrono::minutes(5));
  // After the lease was lost: one try to write the checkpointable position with the lease as last known (its counter
  // is the condition: nothing is written if another worker took the lease). True when written.
  boost::asio::awaitable<Result<bool>> write_after_loss(const LeaseTable& table, Lease last_known);

  const ExtendedSequenceNumber& written() const { return written_; }
  bool lost() const { return lost_; }
  // Records registered and not covered by the checkpoint written last: the checkpoint lag (a restart would read
  // these again).
  uint64_t records_since_written() const {
    return tracker_.checkpointable_count() + tracker_.in_flight() - written_count_;
  }

 private:
  // `position_count`: the tracker's record count at `position` (for records_since_written()); `count` is what is
  // stored with the checkpoint (effectively-once) or nothing.
  boost::asio::awaitable<Result<bool>> write(ExtendedSequenceNumber position, std::optional<uint64_t> count,
                                             uint64_t position_count);
  boost::asio::awaitable<void> loop();

  boost::asio::any_io_executor executor_;
  kinesis::ShardId shard_;
  CheckpointWriter& writer_;
  CheckpointTracker tracker_;
  CheckpointerOptions options_;
  const Clock& clock_;
  ExtendedSequenceNumber written_;
  uint64_t written_count_ = 0;  // the tracker's record count at written_
  SteadyTime last_write_;
  bool lost_ = false;
  bool stopping_ = false;
  std::shared_ptr<AsyncMutex> writing_;
  net::Signal confirmed_;
  boost::asio::steady_timer wake_;
  net::TaskGroup tasks_;
};

}  // namespace pk::kcl
