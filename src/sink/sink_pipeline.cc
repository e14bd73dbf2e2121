#include "sink/sink_pipeline.h"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "common/log.h"
#include "kinesis/hash_key.h"
#include "pulsar/client/consumer_impl.h"  // connected(): the state of each topic's consumer

namespace pk::sink {

namespace asio = boost::asio;

namespace {
constexpr auto kReceiveWait = std::chrono::milliseconds(200);  // how soon the intake notices stop()
}  // namespace

SinkPipeline::SinkPipeline(pulsar::Client& client, SinkPipelineSettings settings, formats::FormatOptions format,
                           PutRecordsFn put, ListShardsFn list_shards)
    : client_(client),
      settings_(std::move(settings)),
      encoder_(format, &client),
      window_(settings_.max_in_flight_messages, settings_.max_in_flight_bytes),
      room_timer_(client.executor()),
      tasks_(client.executor()) {
  producer_ = std::make_unique<KinesisProducer>(client.executor(), settings_.stream, settings_.producer, std::move(put),
                                                std::move(list_shards), static_cast<DeliveryListener&>(*this));
}

SinkPipeline::~SinkPipeline() = default;

asio::awaitable<Status> SinkPipeline::start() {
  auto starting = producer_->start();
  PK_CO_TRY(co_await std::move(starting));
  if (!settings_.dead_letter_topic.empty()) {
    pulsar::ProducerOptions options;
    options.topic = settings_.dead_letter_topic;
    auto creating = client_.create_producer(options);
    auto producer = co_await std::move(creating);
    if (!producer.ok()) co_return producer.error().with_context("creating the dead-letter producer");
    dead_letters_ = std::move(*producer);
  }
  auto subscribing = client_.subscribe(settings_.consumer);
  auto consumer = co_await std::move(subscribing);
  if (!consumer.ok()) co_return consumer.error().with_context("subscribing");
  consumer_ = std::move(*consumer);
  started_ = true;
  const std::vector<std::string> topics = consumer_->topics();
  const std::string subscribed =
      topics.size() <= 3 ? fmt::format("{}", fmt::join(topics, ", ")) : fmt::format("{} topics", topics.size());
  logger("sink")->info("{}: subscribed to {} as '{}', writing to Kinesis stream {}", settings_.name, subscribed,
                       settings_.consumer.subscription, settings_.stream.display());
  co_return Status();
}

void SinkPipeline::stop() {
  stopping_ = true;
  wake_intake();
}

void SinkPipeline::fail(Error error) {
  if (fatal_) return;
  logger("sink")->error("{}: {}; stopping", settings_.name, error.to_string());
  fatal_ = error;
  stop();
  if (started_) producer_->abandon(error);
}

bool SinkPipeline::connected() const {
  if (!started_ || !consumer_) return false;
  for (const auto& impl : consumer_->impls()) {
    if (!impl->closed() && !impl->connected()) return false;
  }
  return true;
}

std::vector<LaneStats> SinkPipeline::lane_stats() const {
  if (!started_) return {};
  return producer_->core().lane_stats();
}

void SinkPipeline::count_received(const pulsar::Message& message) {
  ++counters_.messages_in;
  if (metrics_ == nullptr) return;
  // One lookup per topic (partition) when it is first seen, then a plain add per message: the shared cells get
  // the sums once per received batch (publish_received), because a locked add per message, a full fence on x86,
  // waited for the stores before it and cost about a tenth of the sink's CPU.
  const uint32_t source = message.id().source;
  if (source >= topic_cells_.size()) topic_cells_.resize(source + 1);
  TopicCount& count = topic_cells_[source];
  if (count.cell == nullptr) count.cell = &metrics_->topic(message.topic()).messages_received;
  ++count.pending;
}

void SinkPipeline::publish_received() {
  for (TopicCount& count : topic_cells_) {
    if (count.pending == 0) continue;
    count.cell->inc(count.pending);
    count.pending = 0;
  }
}

void SinkPipeline::count_failure(FailureKind kind) {
  if (metrics_ == nullptr) return;
  if (kind == FailureKind::kRejected) {
    metrics_->rejected.inc();
  } else {
    metrics_->undeliverable.inc();
  }
}

asio::awaitable<Status> SinkPipeline::run() {
  Status failure;
  while (!stopping_) {
    if (!window_.has_room()) {
      producer_->hurry();  // nothing more comes to fill the aggregates until something is acknowledged
      room_timer_.expires_at(TimePoint::max());
      co_await room_timer_.async_wait(asio::as_tuple(asio::use_awaitable));
      continue;
    }
    const size_t want = std::clamp<size_t>(window_.room(), 1, settings_.receive_batch);
    auto receiving = consumer_->receive_batch(want, kReceiveWait);
    auto batch = co_await std::move(receiving);
    if (!batch.ok()) {
      if (!stopping_) {
        failure = batch.error().with_context("receiving from Pulsar");
        logger("sink")->error("{}: {}", settings_.name, failure.error().to_string());
      }
      break;
    }
    const TimePoint now = std::chrono::steady_clock::now();
    constexpr size_t kPrefetchAhead = 4;
    std::vector<pulsar::Message>& messages = *batch;
    for (size_t i = 0; i < std::min(kPrefetchAhead, messages.size()); ++i) messages[i].prefetch();
    for (size_t i = 0; i < messages.size(); ++i) {
      if (i + kPrefetchAhead < messages.size()) messages[i + kPrefetchAhead].prefetch();
      pulsar::Message& message = messages[i];
      if (encoder_.ready(message)) {
        encode_and_add(std::move(message), now);
      } else {
        auto taking = take(std::move(message));  // fetches the schema first
        co_await std::move(taking);
      }
    }
    publish_received();
  }
  publish_received();
  co_await drain();
  if (fatal_) co_return *fatal_;
  co_return failure;
}

asio::awaitable<void> SinkPipeline::take(pulsar::Message message) {
  auto preparing = encoder_.prepare(message);
  Status prepared = co_await std::move(preparing);
  if (!prepared.ok()) {
    count_received(message);
    ++counters_.encode_failures;
    settle_failed(window_.insert(message), prepared.error(), FailureKind::kRejected);
    co_return;
  }
  encode_and_add(std::move(message), std::chrono::steady_clock::now());
}

void SinkPipeline::encode_and_add(pulsar::Message&& message, TimePoint now) {
  count_received(message);
  const uint64_t ticket = window_.insert(std::move(message));
  const pulsar::Message& stored = *window_.find(ticket);
  data_buffer_.clear();
  Status encoded = encoder_.encode(stored, data_buffer_, key_buffer_);
  if (!encoded.ok()) {
    ++counters_.encode_failures;
    settle_failed(ticket, encoded.error(), FailureKind::kRejected);
    return;
  }
  UserRecord record;
  record.ticket = ticket;
  record.partition_key = key_buffer_;
  record.data = data_buffer_;
  record.hash = kinesis::HashKey::of_partition_key(key_buffer_);
  producer_->add(record, now);
}

void SinkPipeline::on_delivered(const TicketList& tickets) {
  uint64_t acked = 0;
  constexpr size_t kPrefetchAhead = 8;
  for (size_t i = 0; i < std::min(kPrefetchAhead, tickets.size()); ++i) window_.prefetch(tickets[i]);
  for (size_t i = 0; i < tickets.size(); ++i) {
    if (i + kPrefetchAhead < tickets.size()) window_.prefetch(tickets[i + kPrefetchAhead]);
    auto message = window_.take(tickets[i]);
    if (!message) continue;
    (void)consumer_->acknowledge(message->id());
    ++acked;
  }
  counters_.messages_acked += acked;
  if (metrics_ != nullptr) {
    metrics_->messages_acknowledged.inc(acked);
    metrics_->user_records_per_record.observe(static_cast<double>(tickets.size()));
  }
  wake_intake();
}

void SinkPipeline::on_failed(const TicketList& tickets, const Error& error, FailureKind kind) {
  for (size_t i = 0; i < tickets.size(); ++i) settle_failed(tickets[i], error, kind);
}

void SinkPipeline::settle_failed(uint64_t ticket, const Error& error, FailureKind kind) {
  const pulsar::Message* message = window_.find(ticket);
  if (message == nullptr) return;
  if (kind == FailureKind::kRejected) {
    ++counters_.rejected;
  } else {
    ++counters_.undeliverable;
  }
  const bool exhausted = settings_.max_message_retries >= 0 &&
                         message->redelivery_count() >= static_cast<uint32_t>(settings_.max_message_retries);
  if (dead_letters_ && (kind == FailureKind::kRejected || exhausted)) {
    dead_letter(*window_.take(ticket), error, kind);
    return;
  }
  count_failure(kind);
  auto taken = window_.take(ticket);
  logger("sink")->warn("{}: message {} of {} not delivered, negatively acknowledged (Pulsar redelivers it): {}",
                       settings_.name, taken->id().to_string(), taken->topic(), error.to_string());
  consumer_->negative_acknowledge(taken->id());
  ++counters_.messages_nacked;
  wake_intake();
}

void SinkPipeline::dead_letter(pulsar::Message message, const Error& error, FailureKind kind) {
  pulsar::OutgoingMessage copy;
  copy.payload = std::string(message.payload());
  if (message.has_key()) copy.key = std::string(message.key());
  copy.properties = message.properties();
  copy.properties.emplace_back("REAL_TOPIC", message.topic());
  copy.properties.emplace_back("ORIGIN_MESSAGE_ID", message.id().to_string());
  copy.properties.emplace_back("pulsar-kinesis.error", error.to_string());
  if (message.event_time() != 0) copy.event_time = message.event_time();
  ++dead_letters_pending_;
  auto done = [this, message, kind](const Result<pulsar::MessageId>& sent) {
    --dead_letters_pending_;
    if (sent.ok()) {
      (void)consumer_->acknowledge(message.id());
      ++counters_.messages_dead_lettered;
      if (metrics_ != nullptr) metrics_->dead_lettered.inc();
      logger("sink")->warn("{}: message {} of {} sent to dead-letter topic {}", settings_.name,
                           message.id().to_string(), message.topic(), settings_.dead_letter_topic);
    } else {
      consumer_->negative_acknowledge(message.id());
      ++counters_.messages_nacked;
      count_failure(kind);
      logger("sink")->error("{}: dead-letter topic {} refused message {}: {}; negatively acknowledged", settings_.name,
                            settings_.dead_letter_topic, message.id().to_string(), sent.error().to_string());
    }
    wake_intake();
  };
  auto sending = [](pulsar::Producer& producer, pulsar::OutgoingMessage outgoing,
                    pulsar::SendCallback on_sent) -> asio::awaitable<void> {
    auto queued = producer.send_async(std::move(outgoing), on_sent);
    auto status = co_await std::move(queued);
    if (!status.ok()) on_sent(status.error());
  };
  // The drain waits until every copy is confirmed or failed (dead_letters_pending_), then joins these tasks.
  tasks_.spawn(sending(*dead_letters_, std::move(copy), std::move(done)));
}

asio::awaitable<void> SinkPipeline::drain() {
  logger("sink")->info("{}: draining {} in-flight message(s)", settings_.name, window_.count());
  auto flushing = producer_->flush();
  co_await std::move(flushing);
  while (dead_letters_pending_ > 0) {
    room_timer_.expires_at(TimePoint::max());
    co_await room_timer_.async_wait(asio::as_tuple(asio::use_awaitable));
  }
  co_await tasks_.join();
  consumer_->flush_acks();
  auto closing_consumer = consumer_->close();
  (void)co_await std::move(closing_consumer);
  if (dead_letters_) {
    auto closing = dead_letters_->close();
    (void)co_await std::move(closing);
  }
  auto closing_producer = producer_->close();
  co_await std::move(closing_producer);
  logger("sink")->info("{}: stopped ({} acked, {} nacked, {} dead-lettered)", settings_.name, counters_.messages_acked,
                       counters_.messages_nacked, counters_.messages_dead_lettered);
}

}  // namespace pk::sink
