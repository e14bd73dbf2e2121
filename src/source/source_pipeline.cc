#include "source/source_pipeline.h"

#include <fmt/format.h>

#include "common/log.h"

namespace pk::source {

namespace asio = boost::asio;

SourcePipeline::SourcePipeline(pulsar::Client& pulsar, std::shared_ptr<const kinesis::KinesisClient> kinesis,
                               std::shared_ptr<dynamodb::DynamoDbClient> dynamodb, SourceSettings settings)
    : pulsar_(pulsar),
      kinesis_(std::move(kinesis)),
      dynamodb_(std::move(dynamodb)),
      settings_(std::move(settings)),
      in_flight_(settings_.receive_queue_size),
      worker_tasks_(pulsar.executor()) {
  table_ = std::make_shared<const kcl::LeaseTable>(dynamodb_, settings_.application_name, settings_.lease_table);
  shard_sync_ = std::make_unique<kcl::ShardSync>(kinesis_, settings_.stream, table_, settings_.initial_position);
  guard_ = std::make_unique<kcl::Kcl3Guard>(dynamodb_, settings_.application_name);
  coordinator_ = std::make_unique<kcl::LeaseCoordinator>(
      pulsar_.executor(), table_, static_cast<kcl::LeaseListener&>(*this), settings_.coordinator);
  coordinator_->set_shard_sync(shard_sync_.get());
  coordinator_->set_kcl3_guard(guard_.get());
}

SourcePipeline::~SourcePipeline() = default;

asio::awaitable<Status> SourcePipeline::start() {
  auto log = logger("source");
  auto creating = table_->create_if_missing();
  auto table = co_await std::move(creating);
  if (!table.ok()) co_return table.error().with_context("the lease table " + settings_.application_name);
  auto checking = guard_->check_at_start();
  PK_CO_TRY(co_await std::move(checking));

  if (settings_.fan_out) {
    auto describing = kinesis_->describe_stream_summary(settings_.stream);
    auto summary = co_await std::move(describing);
    if (!summary.ok()) co_return summary.error().with_context("describing the stream");
    auto ensuring =
        kinesis_->ensure_stream_consumer(summary->stream_arn, kinesis::ConsumerName(settings_.application_name));
    auto consumer = co_await std::move(ensuring);
    if (!consumer.ok()) co_return consumer.error().with_context("registering the enhanced fan-out consumer");
    consumer_arn_ = consumer->consumer_arn;
    log->info("{}: enhanced fan-out consumer {} is active", settings_.name, settings_.application_name);
  }
  pulsar::Producer* shared = nullptr;
  if (!settings_.effectively_once) {
    pulsar::ProducerOptions options = settings_.producer;
    options.topic = settings_.topic;
    options.send_timeout = std::chrono::milliseconds(0);  // retry until confirmed: a gap must not be skipped
    auto producing = pulsar_.create_producer(options);
    auto producer = co_await std::move(producing);
    if (!producer.ok()) co_return producer.error().with_context("creating the producer of " + settings_.topic);
    producer_ = std::move(*producer);
    shared = producer_.get();
  }
  context_ = std::make_unique<SourceContext>(SourceContext{pulsar_.executor(), settings_, pulsar_, *kinesis_, table_,
                                                           *shard_sync_, *coordinator_, shared, consumer_arn_,
                                                           in_flight_, counters_, metrics_});
  coordinator_->start();
  log->info("{}: worker {} started on stream {} -> {}", settings_.name, coordinator_->worker().str(),
            settings_.stream.display(), settings_.topic);
  co_return Status();
}

void SourcePipeline::on_lease_acquired(const kcl::Lease& lease) {
  if (stopping_ || failure_) return;
  auto it = workers_.find(lease.key.str());
  if (it != workers_.end()) {
    it->second.next = lease;  // the worker of an earlier hold is still winding down: this one starts after it
    return;
  }
  start_worker(lease);
}

void SourcePipeline::start_worker(const kcl::Lease& lease) {
  const std::string key = lease.key.str();
  workers_[key].worker = std::make_unique<ShardWorker>(*context_, lease);
  ++workers_running_;
  worker_tasks_.spawn(run_worker(key));
}

void SourcePipeline::on_lease_lost(const kcl::Lease& last_known, kcl::LossReason reason) {
  logger("source")->warn("{}: lease of shard {} lost ({})", settings_.name, last_known.key.str(),
                         kcl::to_string(reason));
  auto it = workers_.find(last_known.key.str());
  if (it == workers_.end()) return;
  it->second.next.reset();
  it->second.worker->lose(last_known);
}

void SourcePipeline::on_coordinator_error(const Error& error) {
  fail(error);
}

void SourcePipeline::fail(Error error) {
  if (!failure_) {
    logger("source")->error("{}: {}", settings_.name, error.to_string());
    failure_ = std::move(error);
  }
  changed_.notify_all();
}

asio::awaitable<void> SourcePipeline::run_worker(std::string key) {
  auto running = workers_[key].worker->run();
  Status result = co_await std::move(running);
  if (!result.ok()) fail(result.error());
  std::optional<kcl::Lease> next = std::move(workers_[key].next);
  workers_.erase(key);
  --workers_running_;
  if (next && !stopping_ && !failure_) start_worker(*next);
  changed_.notify_all();
}

void SourcePipeline::stop() {
  stopping_ = true;
  changed_.notify_all();
}

std::map<std::string, int64_t> SourcePipeline::shards() const {
  std::map<std::string, int64_t> out;
  for (const auto& [key, running] : workers_) out[key] = running.worker->millis_behind_latest();
  return out;
}

std::vector<ShardProgress> SourcePipeline::shard_progress() const {
  std::vector<ShardProgress> out;
  out.reserve(workers_.size());
  for (const auto& [key, running] : workers_) {
    out.push_back(ShardProgress{key, running.worker->millis_behind_latest(), running.worker->checkpoint_lag()});
  }
  return out;
}

asio::awaitable<Status> SourcePipeline::run() {
  while (!stopping_ && !failure_) {
    auto waiting = changed_.wait();
    (void)co_await std::move(waiting);
  }
  // Drain: every worker stops reading, lets Pulsar confirm what it sent and checkpoints it.
  logger("source")->info("{}: stopping {} shard worker(s)", settings_.name, workers_running_);
  for (auto& [key, running] : workers_) running.worker->stop();
  while (workers_running_ > 0) {
    auto waiting = changed_.wait();
    (void)co_await std::move(waiting);
  }
  co_await worker_tasks_.join();
  auto stopping = coordinator_->stop(/*release_leases=*/true);
  co_await std::move(stopping);
  if (producer_) {
    auto closing = producer_->close();
    (void)co_await std::move(closing);
  }
  logger("source")->info("{}: stopped ({} records sent, {} skipped as duplicates)", settings_.name,
                         counters_.messages_sent, counters_.messages_skipped);
  if (failure_) co_return *failure_;
  co_return Status();
}

}  // namespace pk::source
