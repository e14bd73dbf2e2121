#pragma once
// A subscription on one or more topics: a single topic, a partitioned topic (one ConsumerImpl per partition),
// a list of topics, or every topic of a namespace matching a regex (re-checked every pattern_refresh). All their
// messages arrive in one queue; acks find their way back to the right topic through MessageId::source.
//
//   auto consumer = co_await client.subscribe(options);            // awaitable<Result<unique_ptr<Consumer>>>
//   auto msg = co_await consumer->receive();                        // waits for the next message
//   consumer->acknowledge(msg->id());                               // grouped, sent every ack_group_time
//
// Created by Client::subscribe; owned by the caller; used on the client's loop only. What the pattern refresh
// touches lives in a state shared with it (it never holds the Consumer itself), and the refresh runs in the
// state's task group: close() stops it, waits for it and then closes every topic. Destroying the Consumer
// without close() does the same in the client's background task group (Client::close() joins those).

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "common/result.h"
#include "pulsar/client/message.h"
#include "pulsar/client/options.h"

namespace pk::pulsar {

class ConsumerImpl;
struct ClientState;
struct ReceiveQueue;

class Consumer {
 public:
  static boost::asio::awaitable<Result<std::unique_ptr<Consumer>>> create(std::shared_ptr<ClientState> client,
                                                                          ConsumerOptions options);
  ~Consumer();
  Consumer(const Consumer&) = delete;
  Consumer& operator=(const Consumer&) = delete;

  // The next message; waits for one. Fails when the consumer is closed or failed for good.
  boost::asio::awaitable<Result<Message>> receive();
  // The same with a deadline: kTimeout when nothing arrived in time.
  boost::asio::awaitable<Result<Message>> receive(std::chrono::milliseconds timeout);
  // Up to `max` messages: waits up to `timeout` for the first, then takes what is queued.
  boost::asio::awaitable<Result<std::vector<Message>>> receive_batch(size_t max, std::chrono::milliseconds timeout);
  // A queued message, if any (no waiting).
  std::optional<Message> try_receive();

  Status acknowledge(const MessageId& id);
  // Everything up to and including `id` on its topic (Exclusive / Failover only).
  Status acknowledge_cumulative(const MessageId& id);
  // Redelivered after negative_ack_delay (the whole entry for batch messages).
  void negative_acknowledge(const MessageId& id);
  // Sends grouped acks now.
  void flush_acks();

  // Stops the pattern refresh, closes every topic and waits until no background task of the consumer is left.
  boost::asio::awaitable<Status> close();
  // Removes the subscription from the broker (all topics), then closes.
  boost::asio::awaitable<Status> unsubscribe();

  // Full names of the topics/partitions currently subscribed.
  std::vector<std::string> topics() const;
  size_t queued() const;
  // Failover: whether this consumer is the active one on any of its topics.
  bool is_active() const;
  bool has_reached_end_of_topic() const;
  // One per topic or partition, in subscription order (index = MessageId::source); closed ones stay.
  const std::vector<std::shared_ptr<ConsumerImpl>>& impls() const;
  // Background coroutines of this consumer still running: its pattern refresh and its topics' loops (tests).
  size_t running_tasks() const;

  // What the consumer shares with its pattern refresh (defined in consumer.cc; nothing to use from outside).
  struct State;

 private:
  explicit Consumer(std::shared_ptr<State> state);
  std::optional<Message> take();
  ConsumerImpl* impl_for(const MessageId& id);

  std::shared_ptr<State> state_;
};

}  // namespace pk::pulsar
