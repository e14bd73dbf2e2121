#pragma once
// The sink pipeline: Pulsar topics -> Kinesis stream, at least once.
//
//   Pulsar consumer --receive--> in-flight window (bounded: messages, bytes) --encode--> (record bytes, partition key)
//        ^                                                                            |
//        |                                                            KinesisProducer (aggregate, collect, limit,
//        |                                                                             put, retry)
//        +--- ack (delivered) / nack or dead-letter (failed) <--- DeliveryListener ----+
//
// A message is acknowledged only after Kinesis accepted the record carrying it. A record that cannot be delivered
// is negatively acknowledged (Pulsar redelivers it), or sent to the dead-letter topic when one is set and the
// record can never be put (too big, invalid) or was redelivered maxMessageRetries times; the original is acked only
// once the dead-letter topic confirmed its copy. Nothing is dropped silently and the pipeline keeps running.
//
// stop() ends the intake; run() then drains: everything taken is delivered or failed (the producer flushes), the
// acks are sent, the consumer and producers close. Owned by the app; every call on the Pulsar client's loop (the
// producer, the encoder and the listener run there too).

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include "common/result.h"
#include "kinesis/model.h"
#include "metrics/pipeline_metrics.h"
#include "net/task_group.h"
#include "pulsar/client/client.h"
#include "sink/in_flight_messages.h"
#include "sink/kinesis_producer.h"
#include "sink/message_encoder.h"
#include "sink/producer_settings.h"

namespace pk::sink {

struct SinkPipelineSettings {
  std::string name;  // the pipeline's name in logs and metrics (tenant/namespace/name)
  pulsar::ConsumerOptions consumer;
  kinesis::StreamRef stream;
  ProducerSettings producer;
  size_t max_in_flight_messages = 20000;
  size_t max_in_flight_bytes = 64 * 1024 * 1024;
  std::string dead_letter_topic;  // empty: failed records are only nacked
  int max_message_retries = -1;   // with a dead-letter topic: redeliveries before an undeliverable record goes there
  size_t receive_batch = 1000;    // messages taken from the consumer per intake step
};

struct SinkCounters {
  uint64_t messages_in = 0;
  uint64_t messages_acked = 0;
  uint64_t messages_nacked = 0;
  uint64_t messages_dead_lettered = 0;
  uint64_t encode_failures = 0;
  uint64_t rejected = 0;       // records that can never be put (too big, bad key, not encodable)
  uint64_t undeliverable = 0;  // records Kinesis did not take before recordTtl
};

class SinkPipeline final : private DeliveryListener {
 public:
  SinkPipeline(pulsar::Client& client, SinkPipelineSettings settings, formats::FormatOptions format, PutRecordsFn put,
               ListShardsFn list_shards);
  ~SinkPipeline() override;

  // Subscribes, creates the dead-letter producer (if any) and the Kinesis producer (lists the shards).
  boost::asio::awaitable<Status> start();
  // Moves messages until stop() (or a consumer failure), then drains. Returns the consumer's failure, if any.
  boost::asio::awaitable<Status> run();
  void stop();
  // Ends the pipeline with `error` (a fatal condition found outside it, such as the stream being gone): stops the
  // intake, fails everything the producer holds (nacked: Pulsar redelivers it) and run() returns the error.
  void fail(Error error);

  // Where the pipeline counts what it does as it does it (received per topic, acknowledged, failures, the
  // aggregation ratio); the owner keeps `metrics` alive longer than the pipeline. Call before start().
  void set_metrics(metrics::SinkMetrics* metrics) { metrics_ = metrics; }

  const SinkCounters& counters() const { return counters_; }
  const EncoderCounters& encoder_counters() const { return encoder_.counters(); }
  const ProducerCounters& producer_counters() const { return producer_->core().counters(); }
  size_t in_flight_messages() const { return window_.count(); }
  size_t in_flight_bytes() const { return window_.bytes(); }
  const SinkPipelineSettings& settings() const { return settings_; }
  // Whether the pipeline started (subscribed, first shard map loaded) and its consumer is connected to the
  // broker of every topic it reads.
  bool connected() const;
  // What the producer delivered per shard lane (empty before start()).
  std::vector<LaneStats> lane_stats() const;
  uint64_t entry_retries() const { return started_ ? producer_->core().counters().entry_retries : 0; }

 private:
  void on_delivered(const TicketList& tickets) override;
  void on_failed(const TicketList& tickets, const Error& error, FailureKind kind) override;
  boost::asio::awaitable<void> take(pulsar::Message message);
  void encode_and_add(pulsar::Message&& message, TimePoint now);
  void settle_failed(uint64_t ticket, const Error& error, FailureKind kind);
  void dead_letter(pulsar::Message message, const Error& error, FailureKind kind);
  void count_received(const pulsar::Message& message);
  void publish_received();
  void count_failure(FailureKind kind);
  boost::asio::awaitable<void> drain();
  void wake_intake() { room_timer_.cancel(); }

  pulsar::Client& client_;
  SinkPipelineSettings settings_;
  MessageEncoder encoder_;
  std::unique_ptr<pulsar::Consumer> consumer_;
  std::unique_ptr<pulsar::Producer> dead_letters_;
  std::unique_ptr<KinesisProducer> producer_;
  InFlightMessages window_;
  boost::asio::steady_timer room_timer_;  // the intake waits on it for room in the window / the drain for settles
  size_t dead_letters_pending_ = 0;
  bool stopping_ = false;
  bool started_ = false;
  std::optional<Error> fatal_;
  SinkCounters counters_;
  metrics::SinkMetrics* metrics_ = nullptr;
  struct TopicCount {
    metrics::Counter* cell = nullptr;
    uint64_t pending = 0;  // counted since the last publish_received
  };
  std::vector<TopicCount> topic_cells_;  // by MessageId::source (the consumer's topic index)
  std::string data_buffer_;  // a message's record bytes, reused: the producer copies them where it keeps them
  std::string key_buffer_;   // its partition key, the same way
  net::TaskGroup tasks_;     // the dead-letter sends (declared last: destroyed first)
};

}  // namespace pk::sink
