#include "source/shard_worker.h"

#include <fmt/format.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "common/log.h"
#include "source/reader_factory.h"

namespace pk::source {

namespace asio = boost::asio;

namespace {
// How long a lost lease's worker waits for the confirmations of what it sent before its one last checkpoint try.
constexpr auto kConfirmWaitAfterLoss = std::chrono::seconds(2);
// How long a shutdown waits for the confirmations before the final checkpoint (the daemon's drain deadline is the
// real bound).
constexpr auto kConfirmWaitOnStop = std::chrono::seconds(30);
}  // namespace

ShardWorker::ShardWorker(SourceContext& context, kcl::Lease lease)
    : context_(context), lease_(std::move(lease)), timer_(context.executor) {}

ShardWorker::~ShardWorker() = default;

std::optional<kcl::ExtendedSequenceNumber> ShardWorker::checkpointed() const {
  if (!checkpointer_) return std::nullopt;
  return checkpointer_->written();
}

void ShardWorker::lose(const kcl::Lease& last_known) {
  lost_ = last_known;
  ++context_.counters.leases_lost;
  if (reader_) reader_->cancel();
  timer_.cancel();
  context_.in_flight.wake_all();
  confirmations_.notify_all();
}

void ShardWorker::stop() {
  stopping_ = true;
  if (reader_) reader_->cancel();
  timer_.cancel();
  context_.in_flight.wake_all();
  confirmations_.notify_all();
}

asio::awaitable<bool> ShardWorker::sleep(std::chrono::milliseconds d) {
  if (stopping_ || lost_) co_return false;
  timer_.expires_after(d);
  co_await timer_.async_wait(asio::as_tuple(asio::use_awaitable));
  co_return !stopping_ && !lost_;
}

asio::awaitable<bool> ShardWorker::wait_until_ready() {
  // A child shard is read only after every parent reached SHARD_END (per-key order across resharding).
  for (;;) {
    auto checking = context_.shard_sync.ready(lease_);
    auto ready = co_await std::move(checking);
    if (ready.ok() && *ready) co_return true;
    if (!ready.ok()) {
      logger("source")->warn("{}: shard {}: checking its parents: {}", context_.settings.name, shard().str(),
                             ready.error().to_string());
    }
    if (!co_await sleep(context_.settings.parent_poll_interval)) co_return false;
  }
}

asio::awaitable<Status> ShardWorker::open_producer() {
  if (!context_.settings.effectively_once) {
    producer_ = context_.shared_producer;
    co_return Status();
  }
  pulsar::ProducerOptions options = context_.settings.producer;
  options.topic = context_.settings.topic;
  options.producer_name = context_.settings.application_name + "/" + shard().str();
  options.send_timeout = std::chrono::milliseconds(0);  // retry until confirmed: a gap must not be skipped
  for (;;) {
    auto creating = context_.pulsar.create_producer(options);
    auto producer = co_await std::move(creating);
    if (producer.ok()) {
      own_producer_ = std::move(*producer);
      break;
    }
    if (producer.error().type != "ProducerBusy") {
      co_return producer.error().with_context("creating the effectively-once producer");
    }
    // The shard's previous reader (another process that lost the lease, or our own earlier hold winding down)
    // has not closed its producer yet: wait for it instead of failing the pipeline.
    logger("source")->warn("{}: shard {}: producer {} is still connected elsewhere; trying again in {} ms",
                           context_.settings.name, shard().str(), options.producer_name,
                           context_.settings.backoff.count());
    const bool slept = co_await sleep(context_.settings.backoff);
    if (!slept) co_return Status();
  }
  producer_ = own_producer_.get();
  broker_last_sequence_ = own_producer_->last_sequence_id();
  co_return Status();
}

void ShardWorker::open_metrics() {
  if (context_.metrics == nullptr) return;
  shard_cells_ = &context_.metrics->shard(shard().str());
  topic_cells_ = &context_.metrics->topic(context_.settings.topic);
}

void ShardWorker::count_reader_events() {
  if (shard_cells_ == nullptr || !reader_) return;
  const ReaderCounters& now = reader_->counters();
  shard_cells_->throttles.inc(now.throttled - reader_seen_.throttled);
  if (context_.settings.fan_out) shard_cells_->resubscriptions.inc(now.renewals - reader_seen_.renewals);
  context_.metrics->read_failures.inc(now.errors - reader_seen_.errors);
  reader_seen_ = now;
}

asio::awaitable<Status> ShardWorker::run() {
  auto log = logger("source");
  if (!co_await wait_until_ready()) co_return Status();
  if (lease_.finished()) {
    // Nothing left to read (a finished lease not cleaned up yet): hand it back.
    auto releasing = context_.coordinator.release(shard());
    (void)co_await std::move(releasing);
    co_return Status();
  }
  auto opening = open_producer();
  PK_CO_TRY(co_await std::move(opening));
  if (producer_ == nullptr) co_return Status();  // stopped (or lost) while waiting for the producer

  // Where reading resumes, and the record number there (effectively-once).
  resume_from_ = lease_.checkpoint;
  auto start = kcl::resume_position(lease_.checkpoint, context_.settings.start_at);
  if (!start.ok()) co_return start.error().with_context(fmt::format("shard {}", shard().str()));
  std::optional<uint64_t> count = lease_.records_at_checkpoint();
  if (!count && lease_.checkpoint.sentinel() == kcl::Sentinel::kTrimHorizon && !lease_.parent_shard_ids.empty()) {
    count = 0;  // a child shard read from its very beginning: numbered from 0, deterministically
  }
  uint64_t base_count = count.value_or(0);
  if (context_.settings.effectively_once && !count) {
    // No count stored with this checkpoint (a new lease of a shard with a history, a checkpoint a Java worker wrote,
    // or a start at LATEST / AT_TIMESTAMP, which a restart would not reproduce): number after everything the broker
    // has, so nothing new is mistaken for a duplicate. What the previous reader sent after the checkpoint comes
    // again; anchor_count() makes the numbers reproducible from the first record on.
    base_count = broker_last_sequence_ >= 0 ? static_cast<uint64_t>(broker_last_sequence_) + 1 : 0;
    count_pending_ = true;
    log->warn(
        "{}: shard {}: no record count with checkpoint {}: effectively-once holds from the first record's "
        "checkpoint",
        context_.settings.name, shard().str(), lease_.checkpoint.to_string());
  } else if (context_.settings.effectively_once && base_count > 0 && broker_last_sequence_ < 0) {
    // We numbered records of this shard before, yet the broker knows no sequence id for the name.
    log->warn(
        "{}: shard {}: {} records counted at checkpoint {}, but the broker knows no sequence id of producer {}/{}: "
        "deduplication is off on the topic, or the broker forgot the producer (inactive longer than "
        "brokerDeduplicationProducerInactivityTimeoutMinutes); records read again after the checkpoint may be "
        "written twice",
        context_.settings.name, shard().str(), base_count, lease_.checkpoint.to_string(),
        context_.settings.application_name, shard().str());
  }
  kcl::CheckpointerOptions checkpointing;
  checkpointing.interval = context_.settings.checkpoint_interval;
  checkpointing.record_count = context_.settings.effectively_once;
  checkpointer_ =
      std::make_unique<kcl::Checkpointer>(context_.executor, shard(), context_.coordinator,
                                          kcl::CheckpointTracker(lease_.checkpoint, base_count), checkpointing);
  checkpointer_->start();

  if (context_.settings.fan_out) {
    reader_ = make_fan_out_reader(context_.executor, context_.kinesis, context_.settings.stream, *context_.consumer_arn,
                                  shard(), *start, context_.settings.fan_out_settings);
  } else {
    reader_ = make_polling_reader(context_.executor, context_.kinesis, context_.settings.stream, shard(), *start,
                                  context_.settings.polling);
  }
  open_metrics();
  log->info("{}: reading shard {} from {}", context_.settings.name, shard().str(), lease_.checkpoint.to_string());
  auto reading = read();
  Status result = co_await std::move(reading);

  if (lost_) {
    co_await wait_for_confirmations(kConfirmWaitAfterLoss);
    auto writing = checkpointer_->write_after_loss(*context_.table, *lost_);
    (void)co_await std::move(writing);
    log->info("{}: shard {}: lease lost, stopped reading", context_.settings.name, shard().str());
  } else if (!ended_) {
    co_await wait_for_confirmations(kConfirmWaitOnStop);
    auto flushing = checkpointer_->flush();
    auto flushed = co_await std::move(flushing);
    if (!flushed.ok()) {
      log->warn("{}: shard {}: final checkpoint: {}", context_.settings.name, shard().str(),
                flushed.error().to_string());
    }
  }
  auto stopping = checkpointer_->stop();
  co_await std::move(stopping);
  if (own_producer_) {
    auto closing = own_producer_->close();
    (void)co_await std::move(closing);
  }
  if (send_failure_) co_return *send_failure_;
  co_return result;
}

asio::awaitable<Status> ShardWorker::read() {
  for (;;) {
    if (stopping_ || lost_) co_return Status();
    if (send_failure_) co_return *send_failure_;
    auto pulling = reader_->next();
    auto batch = co_await std::move(pulling);
    count_reader_events();
    if (!batch.ok()) {
      if (batch.error().code == ErrorCode::kCancelled) co_return Status();
      if (context_.metrics != nullptr) context_.metrics->read_failures.inc();
      co_return batch.error().with_context(fmt::format("reading shard {}", shard().str()));
    }
    millis_behind_latest_ = batch->millis_behind_latest;
    for (const kinesis::RecordView& record : batch->records) {
      ++context_.counters.records_in;
      const auto outcome = kpl::deaggregate_into(record.data, sub_records_);
      if (outcome == kpl::DeaggregateOutcome::kAggregate) {
        for (const kpl::SubRecord& sub : sub_records_) {
          auto sending = send(record, sub.partition_key, sub.data, static_cast<int64_t>(sub.sub_sequence_number));
          PK_CO_TRY(co_await std::move(sending));
        }
      } else {
        if (kpl::is_corrupt(outcome)) {
          ++context_.counters.corrupt_aggregates;
          if (shard_cells_ != nullptr) shard_cells_->corrupt_aggregates.inc();
          logger("source")->warn("{}: shard {}: record {} looks aggregated but is {}; passed on as it is",
                                 context_.settings.name, shard().str(), record.sequence_number,
                                 kpl::to_string(outcome));
        }
        auto sending = send(record, record.partition_key, record.data, 0);
        PK_CO_TRY(co_await std::move(sending));
      }
      if (stopping_ || lost_) co_return Status();
    }
    if (batch->shard_end) {
      auto ending = end_shard(std::move(batch->children));
      co_return co_await std::move(ending);
    }
  }
}

asio::awaitable<Status> ShardWorker::send(const kinesis::RecordView& parent, std::string_view partition_key,
                                          std::string_view data, int64_t sub_sequence) {
  if (!past_checkpoint_) {
    // Reading resumed at the checkpointed record (AT_SEQUENCE_NUMBER when it was inside an aggregate): skip what the
    // checkpoint covers. Records come in order, so once one is past it, all the rest are.
    if (kcl::already_processed(resume_from_, parent.sequence(), sub_sequence)) co_return Status();
    past_checkpoint_ = true;
  }
  ++context_.counters.user_records_in;
  context_.counters.bytes_in += data.size();
  if (shard_cells_ != nullptr) {
    shard_cells_->records_received.inc();
    shard_cells_->bytes_received.inc(data.size());
  }
  PK_CO_ASSIGN_OR_RETURN(const uint64_t ticket, checkpointer_->add(parent.sequence_number, sub_sequence));
  if (already_stored(ticket, partition_key)) {
    // The broker has this one already (a replay after a crash): confirmed without sending.
    ++context_.counters.messages_skipped;
    PK_CO_TRY(checkpointer_->confirm(ticket));
    co_return Status();
  }
  while (!context_.in_flight.has_room()) {
    if (stopping_ || lost_) co_return Status();
    auto waiting = context_.in_flight.wait();
    (void)co_await std::move(waiting);
  }
  to_message(context_.settings.converter, RecordParts{partition_key, data, &parent}, shard(), millis_behind_latest_,
             message_);
  if (context_.settings.effectively_once) message_.sequence_id = ticket;
  context_.in_flight.take();
  ++in_flight_;
  auto on_sent = [this, ticket, size = message_.payload.size()](const Result<pulsar::MessageId>& result) {
    if (topic_cells_ != nullptr && result.ok()) {
      topic_cells_->messages_published.inc();
      topic_cells_->bytes_published.inc(size);
    }
    confirmed(ticket, result);
  };
  Status queued = producer_->try_send(message_, on_sent);
  if (!queued.ok() && queued.error().code == ErrorCode::kResourceExhausted) {
    auto sending = producer_->send_async(std::move(message_), on_sent);
    queued = co_await std::move(sending);
  }
  if (!queued.ok()) confirmed(ticket, queued.error());
  if (count_pending_) co_await anchor_count();
  co_return Status();
}

bool ShardWorker::already_stored(uint64_t ticket, std::string_view partition_key) const {
  if (!context_.settings.effectively_once || broker_last_sequence_ < 0 ||
      ticket > static_cast<uint64_t>(broker_last_sequence_)) {
    return false;
  }
  // On a partitioned topic, what the record's own partition stored (the key routes it there again).
  const std::string_view key =
      context_.settings.converter.key_mode == KeyMode::kShardId ? shard().str() : partition_key;
  const int64_t stored = producer_->last_sequence_id_for_key(key);
  return stored >= 0 && ticket <= static_cast<uint64_t>(stored);
}

asio::awaitable<void> ShardWorker::anchor_count() {
  // Without a stored record count the numbers start after the broker's last one, which a restart would not
  // reproduce: a crash before the first periodic checkpoint (a minute by default) would send everything read so far
  // again. So the first record sent is confirmed and checkpointed, with its count, before the next one is read; from
  // then on a restart numbers the replay exactly as before. At most that one record can come twice.
  count_pending_ = false;
  while (in_flight_ > 0 && !stopping_ && !lost_ && !send_failure_) {
    auto waiting = confirmations_.wait();
    (void)co_await std::move(waiting);
  }
  if (in_flight_ > 0 || stopping_ || lost_ || send_failure_) co_return;
  auto flushing = checkpointer_->flush();
  auto flushed = co_await std::move(flushing);
  if (!flushed.ok()) {
    logger("source")->warn("{}: shard {}: first checkpoint: {}", context_.settings.name, shard().str(),
                           flushed.error().to_string());
  }
}

void ShardWorker::confirmed(uint64_t ticket, const Result<pulsar::MessageId>& result) {
  --in_flight_;
  context_.in_flight.give_back();
  confirmations_.notify_all();
  if (!result.ok()) {
    // Never checkpoint past it: stop the shard (the pipeline fails, a restart reads from the checkpoint again).
    ++context_.counters.send_failures;
    if (context_.metrics != nullptr) context_.metrics->publish_failures.inc();
    if (!send_failure_) {
      send_failure_ = result.error().with_context(fmt::format("sending a record of shard {} to Pulsar", shard().str()));
      if (reader_) reader_->cancel();
    }
    return;
  }
  ++context_.counters.messages_sent;
  (void)checkpointer_->confirm(ticket);
}

asio::awaitable<void> ShardWorker::wait_for_confirmations(std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  if (producer_ && in_flight_ > 0) {
    // Send what the producer still batches now instead of waiting for its batching delay.
    auto flushing = producer_->flush();
    (void)co_await std::move(flushing);
  }
  while (in_flight_ > 0 && std::chrono::steady_clock::now() < deadline) {
    auto waiting = confirmations_.wait_until(deadline);
    (void)co_await std::move(waiting);
  }
}

asio::awaitable<Status> ShardWorker::end_shard(std::vector<kinesis::ChildShard> children) {
  ended_ = true;
  ++context_.counters.shards_ended;
  auto log = logger("source");
  // The children's leases first (as the KCL does before SHARD_END), retried while a merge's other parent has none.
  for (;;) {
    auto recording = context_.shard_sync.on_shard_end(shard(), children);
    Status recorded = co_await std::move(recording);
    if (recorded.ok()) break;
    log->warn("{}: shard {} ended; recording its children: {}", context_.settings.name, shard().str(),
              recorded.error().to_string());
    if (!co_await sleep(context_.settings.backoff)) co_return Status();
  }
  // SHARD_END only once everything of the shard is confirmed by Pulsar.
  if (producer_ && in_flight_ > 0) {
    auto flushing = producer_->flush();
    (void)co_await std::move(flushing);
  }
  auto finishing = checkpointer_->finish_shard();
  auto finished = co_await std::move(finishing);
  if (!finished.ok()) co_return finished.error().with_context(fmt::format("finishing shard {}", shard().str()));
  if (!*finished) co_return Status();  // the lease was lost meanwhile: its next holder finishes it
  log->info("{}: shard {} read to its end and checkpointed SHARD_END", context_.settings.name, shard().str());
  auto releasing = context_.coordinator.release(shard());
  (void)co_await std::move(releasing);
  co_return Status();
}

}  // namespace pk::source
