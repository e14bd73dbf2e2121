#pragma once
// The producer of one topic or one partition. A `Producer` owns one per partition.
//
//   try_send(msg) -> reserve room -> [BatchContainer] --full / max_delay--> flush_batch()
//                                  -> SendOp (SEND frame, kept for resending) -> SendQueue -> connection
//   attach (BrokerResource): PRODUCER -> PRODUCER_SUCCESS -> resend every queued op; detached by a closed
//                     connection, CLOSE_PRODUCER, TOPIC_MIGRATED or SEND_ERROR -> backoff -> attach again
//                     (fatal broker errors end it and fail pending sends)
//   SEND_RECEIPT -> SendQueue::match_receipt -> callbacks in order -> room released (wakes waiting senders)
//
// Lives on the client's loop; held by shared_ptr by its Producer and by its own background coroutines, which end
// when it is closed.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "common/backoff.h"
#include "common/result.h"
#include "net/loop_condition.h"
#include "pulsar/client/batch_container.h"
#include "pulsar/client/broker_resource.h"
#include "pulsar/client/client_state.h"
#include "pulsar/client/connection.h"
#include "pulsar/client/message.h"
#include "pulsar/client/options.h"
#include "pulsar/client/send_queue.h"

namespace pk::pulsar {

class ProducerImpl final : public BrokerResource {
 public:
  // `topic` is the full name of the topic or partition; `partition` its index (-1 when not partitioned).
  ProducerImpl(std::shared_ptr<ClientState> client, const ProducerOptions& options, std::string topic, int partition);

  // Creates the producer on the broker, retrying retryable errors until the operation timeout, and starts the
  // background coroutines (they hold `self`).
  static boost::asio::awaitable<Status> start(std::shared_ptr<ProducerImpl> self);

  // Queues `msg` (moved from only on success). kResourceExhausted when the pending-message or memory bound is
  // reached; other errors when closed/failed or the message can never be sent (too big).
  Status try_send(OutgoingMessage& msg, SendCallback& callback);
  // Sends the open batch now.
  void flush_batch();
  // Sends the open batch and waits until every queued message is confirmed or failed.
  boost::asio::awaitable<Status> flush();
  // Flushes (bounded by the operation timeout), closes the producer on the broker, fails what is left.
  boost::asio::awaitable<Status> close();

  ProducerId producer_id() const { return std::get<ProducerId>(id_); }
  int partition() const { return partition_; }
  const std::string& producer_name() const { return producer_name_; }
  // The broker's last persisted sequence id for this producer name when it was first created (-1 if none).
  int64_t last_sequence_id_at_start() const { return last_sequence_id_at_start_; }
  // The sequence id the next message without its own id gets.
  uint64_t next_sequence_id() const { return next_sequence_id_; }
  size_t pending_messages() const { return queue_.reserved_messages(); }

  // ConnectionListener
  void on_frame(proto::Frame& frame) override;

 private:
  struct Pending {
    OutgoingMessage msg;
    uint64_t sequence_id;
    SendCallback callback;
  };

  // BrokerResource
  boost::asio::awaitable<Status> attach(std::shared_ptr<Connection> conn) override;
  void on_attached() override;
  bool always_fatal(const Error& error) const override;
  void on_failed(const Error& error) override;
  void on_attach_error(const Error& error) override;

  boost::asio::awaitable<void> batch_loop(std::shared_ptr<ProducerImpl> self);
  boost::asio::awaitable<void> timeout_loop(std::shared_ptr<ProducerImpl> self);
  void send_single(Pending pending, size_t bytes);
  void encode_batch(std::span<Pending> messages, std::string_view key);
  void enqueue(SendOp op);
  void handle_receipt(const pb::CommandSendReceipt& receipt);
  void handle_send_error(const pb::CommandSendError& error);
  void fail_all(const Error& error);
  void fill_metadata(pb::MessageMetadata& md, uint64_t sequence_id, uint64_t publish_time) const;

  ProducerOptions options_;
  int partition_;
  std::string producer_name_;  // the user's, or the one the broker assigned (kept across reconnects)
  bool user_named_;
  uint64_t epoch_ = 0;
  int64_t last_sequence_id_at_start_ = -1;
  uint64_t next_sequence_id_ = 0;
  size_t max_message_size_;
  pb::CompressionType compression_;

  SendQueue queue_;
  BatchContainer<Pending> batch_;
  net::LoopCondition batch_opened_;   // the batch container went from empty to not empty
  net::LoopCondition queue_drained_;  // an op completed (flush waits on it)

  // Scratch buffers reused for every batch (no allocation per message).
  std::string batch_payload_;
  pb::MessageMetadata metadata_;
  pb::SingleMessageMetadata single_;
  pb::BaseCommand send_cmd_;
};

}  // namespace pk::pulsar
