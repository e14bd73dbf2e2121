#pragma once
// The consumer of one topic or one partition. A `Consumer` owns one per topic/partition and a queue they share.
//
//   attach (BrokerResource): SUBSCRIBE -> SUCCESS -> FLOW(queue size); detached by a closed connection,
//                    CLOSE_CONSUMER or TOPIC_MIGRATED -> backoff -> attach again
//   MESSAGE -> checksum, epoch, decompress, split batch, drop what is acked already -> shared ReceiveQueue
//   application takes a message -> message_taken() -> FlowControl -> FLOW when half the queue is free again
//   ack / ack_cumulative -> per-entry AckSet for batches -> AckGroupingTracker -> ACK every ack_group_time
//   negative_ack -> NegativeAckTracker -> REDELIVER_UNACKNOWLEDGED_MESSAGES after the delay
//
// Lives on the client's loop; held by shared_ptr by its Consumer and its background coroutines (which end when
// it closes).

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "common/result.h"
#include "net/loop_condition.h"
#include "pulsar/client/ack_grouping.h"
#include "pulsar/client/broker_resource.h"
#include "pulsar/client/client_state.h"
#include "pulsar/client/connection.h"
#include "pulsar/client/flow_control.h"
#include "pulsar/client/message.h"
#include "pulsar/client/negative_acks.h"
#include "pulsar/client/options.h"
#include "pulsar/proto/ack_set.h"

namespace pk::pulsar {

// Messages received and not yet taken by the application, from all of a Consumer's topics.
struct ReceiveQueue {
  std::deque<Message> messages;
  net::LoopCondition arrived;  // a message was queued, or the consumer closed/failed
  std::optional<Error> failure;
  bool closed = false;
};

class ConsumerImpl final : public BrokerResource {
 public:
  // `source` is this consumer's index within its Consumer (it goes into MessageId::source).
  ConsumerImpl(std::shared_ptr<ClientState> client, const ConsumerOptions& options, std::string topic, int partition,
               uint32_t source, std::shared_ptr<ReceiveQueue> queue);

  // Subscribes for the first time (retrying retryable errors until the operation timeout) and starts the
  // background coroutines.
  static boost::asio::awaitable<Status> start(std::shared_ptr<ConsumerImpl> self);

  // The application took one message of this consumer out of the shared queue.
  void message_taken();
  Status acknowledge(const MessageId& id);
  Status acknowledge_cumulative(const MessageId& id);
  void negative_acknowledge(const MessageId& id);
  // Sends grouped acks now (when connected).
  void flush_acks();
  boost::asio::awaitable<Status> close();
  boost::asio::awaitable<Status> unsubscribe();

  ConsumerId consumer_id() const { return std::get<ConsumerId>(id_); }
  bool active() const { return active_; }  // Failover: whether the broker picked this consumer
  bool reached_end_of_topic() const { return reached_end_; }

  // ConnectionListener
  void on_frame(proto::Frame& frame) override;

 private:
  struct EntryKey {
    int64_t ledger;
    int64_t entry;
    friend auto operator<=>(const EntryKey&, const EntryKey&) = default;
  };

  // BrokerResource
  boost::asio::awaitable<Status> attach(std::shared_ptr<Connection> conn) override;
  void on_attached() override;
  bool always_fatal(const Error& error) const override;
  void on_failed(const Error& error) override;

  boost::asio::awaitable<void> ack_loop(std::shared_ptr<ConsumerImpl> self);
  boost::asio::awaitable<void> nack_loop(std::shared_ptr<ConsumerImpl> self);
  void handle_message(proto::Frame& frame);
  void discard(const pb::CommandMessage& message, pb::CommandAck::ValidationError why, uint32_t permits);
  void return_permits(uint32_t n);
  void redeliver(const std::vector<MessageId>& ids);
  void clear_queued();
  void send_ack_command(pb::CommandAck::AckType type, const std::vector<AckEntry>& ids);
  // Stops the loops and leaves the broker with `cmd` (CLOSE_CONSUMER or UNSUBSCRIBE).
  boost::asio::awaitable<Status> leave(pb::BaseCommand cmd, std::string what);

  ConsumerOptions options_;
  int partition_;
  uint32_t source_;
  std::shared_ptr<ReceiveQueue> queue_;
  std::string consumer_name_;
  uint64_t epoch_ = 0;  // consumer_epoch: bumped by redeliver-all on Exclusive/Failover
  bool active_ = false;
  bool reached_end_ = false;
  size_t max_message_size_;

  FlowControl flow_;
  AckGroupingTracker acks_;
  NegativeAckTracker nacks_;
  std::map<EntryKey, proto::AckSet> batch_acks_;  // batch entries partly acknowledged by the application
  net::LoopCondition acks_pending_;
  net::LoopCondition nacks_pending_;
};

}  // namespace pk::pulsar
