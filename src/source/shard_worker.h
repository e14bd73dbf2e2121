#pragma once
// One held lease at work: waits until the shard may be read (every parent at SHARD_END), reads it from where its
// checkpoint says, turns each (sub-)record into a Pulsar message, and checkpoints only what Pulsar confirmed.
//
//   lease ──ready?──> reader (polling | fan-out) ──batch──> deaggregate ──> skip what the checkpoint covers
//        ──> tracker.add(position) ──> producer.send ──receipt──> tracker.confirm ──> Checkpointer (every
//            checkpointInterval, at shard end, on shutdown, after a loss)
//   shard end ──> child leases (ShardSync::on_shard_end) ──> every record confirmed ──> SHARD_END ──> release
//
// Effectively-once: the shard has its own producer named "<applicationName>/<shardId>", and each (sub-)record's
// Pulsar sequence id is its number in the shard (the tracker's ticket, continued from the count stored with the
// checkpoint), so a replay after a crash sends the same (name, sequence id) pairs and the broker drops them. Records
// the broker already has (up to the producer's last sequence id) are not sent at all.
//
// lose() (the lease was lost) stops reading at once; stop() (shutdown) stops reading, lets what was sent be
// confirmed and writes a last checkpoint. Owned by the SourcePipeline; used on the pipeline's loop; run() must have
// returned before it is destroyed.

#include <memory>
#include <optional>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include "kcl/checkpointer.h"
#include "kpl/deaggregator.h"
#include "source/shard_reader.h"
#include "source/source_context.h"

namespace pk::source {

class ShardWorker {
 public:
  ShardWorker(SourceContext& context, kcl::Lease lease);
  ~ShardWorker();

  // Runs until the shard ended (and was released), the lease was lost, stop(), or a failure (returned).
  boost::asio::awaitable<Status> run();
  // The lease was lost: stop reading now; what is confirmed later is checkpointed once, with `last_known` as the
  // condition (nothing is written if another worker took the lease).
  void lose(const kcl::Lease& last_known);
  // Shutdown: stop reading; run() then waits for the confirmations and writes a last checkpoint.
  void stop();

  const kinesis::ShardId& shard() const { return lease_.key; }
  const ReaderCounters* reader_counters() const { return reader_ ? &reader_->counters() : nullptr; }
  int64_t millis_behind_latest() const { return millis_behind_latest_; }
  std::optional<kcl::ExtendedSequenceNumber> checkpointed() const;
  // Records read and not covered by the checkpoint written last (0 before reading starts).
  uint64_t checkpoint_lag() const { return checkpointer_ ? checkpointer_->records_since_written() : 0; }

 private:
  boost::asio::awaitable<bool> wait_until_ready();
  boost::asio::awaitable<Status> open_producer();
  boost::asio::awaitable<Status> read();
  boost::asio::awaitable<Status> send(const kinesis::RecordView& parent, std::string_view partition_key,
                                      std::string_view data, int64_t sub_sequence);
  bool already_stored(uint64_t ticket, std::string_view partition_key) const;
  boost::asio::awaitable<void> anchor_count();
  boost::asio::awaitable<Status> end_shard(std::vector<kinesis::ChildShard> children);
  boost::asio::awaitable<void> wait_for_confirmations(std::chrono::milliseconds limit);
  boost::asio::awaitable<bool> sleep(std::chrono::milliseconds d);
  void confirmed(uint64_t ticket, const Result<pulsar::MessageId>& result);
  // Metrics (when the pipeline has them): the shard's and the topic's cells, looked up once.
  void open_metrics();
  void count_reader_events();

  SourceContext& context_;
  kcl::Lease lease_;
  std::unique_ptr<kcl::Checkpointer> checkpointer_;
  std::unique_ptr<ShardReader> reader_;
  std::unique_ptr<pulsar::Producer> own_producer_;  // effectively-once
  pulsar::Producer* producer_ = nullptr;
  int64_t broker_last_sequence_ = -1;  // effectively-once: the highest number the broker has of this shard
  bool count_pending_ = false;         // effectively-once: no record count stored yet (see anchor_count)
  kcl::ExtendedSequenceNumber resume_from_;
  std::vector<kpl::SubRecord> sub_records_;
  pulsar::OutgoingMessage message_;
  net::LoopCondition confirmations_;  // notified as sends are confirmed
  boost::asio::steady_timer timer_;
  size_t in_flight_ = 0;  // this shard's sends not yet confirmed
  int64_t millis_behind_latest_ = 0;
  std::optional<kcl::Lease> lost_;  // set by lose()
  std::optional<Error> send_failure_;
  bool stopping_ = false;
  bool ended_ = false;
  bool past_checkpoint_ = false;  // a record after the resume checkpoint was seen: no more skipping
  metrics::SourceMetrics::Shard* shard_cells_ = nullptr;
  metrics::SourceMetrics::Topic* topic_cells_ = nullptr;
  ReaderCounters reader_seen_;  // the reader's counters as last copied to the metrics
};

}  // namespace pk::source
