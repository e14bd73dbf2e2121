#pragma once
// A producer on one topic; on a partitioned topic, one ProducerImpl per partition with messages routed like the
// Java client (Murmur3 hash of the key modulo partitions; messages without a key rotate over partitions per batch
// window so batches stay full). Back-pressure: try_send fails with kResourceExhausted and send_async waits while
// the producer's pending messages or the client's memory are at their bounds.
//
//   auto producer = co_await client.create_producer(options);           // awaitable<Result<unique_ptr<Producer>>>
//   co_await producer->send_async(std::move(msg), [](const Result<MessageId>& r) { ... });  // receipts in order
//
// Created by Client::create_producer; owned by the caller; used on the client's loop only. Destroying it without
// close() closes it in the client's background task group (pending sends are then flushed for up to the
// operation timeout); Client::close() joins those closes.

#include <memory>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "common/result.h"
#include "pulsar/client/message.h"
#include "pulsar/client/options.h"
#include "pulsar/client/send_queue.h"

namespace pk::pulsar {

class ProducerImpl;
struct ClientState;

class Producer {
 public:
  static boost::asio::awaitable<Result<std::unique_ptr<Producer>>> create(std::shared_ptr<ClientState> client,
                                                                          ProducerOptions options);
  ~Producer();
  Producer(const Producer&) = delete;
  Producer& operator=(const Producer&) = delete;

  // Queues `msg` without waiting; `msg` is moved from only on success. The callback runs on the client's loop once
  // the broker confirms (message id) or the send fails; callbacks of one partition run in send order.
  Status try_send(OutgoingMessage& msg, SendCallback callback);
  // The same, waiting for room instead of failing when the queue is full.
  boost::asio::awaitable<Status> send_async(OutgoingMessage msg, SendCallback callback);
  // Sends one message and waits for its receipt.
  boost::asio::awaitable<Result<MessageId>> send(OutgoingMessage msg);
  // Sends open batches now and waits until every queued message is confirmed or failed.
  boost::asio::awaitable<Status> flush();
  // Flushes (bounded by the operation timeout), closes every partition's producer and waits until their
  // background tasks have ended.
  boost::asio::awaitable<Status> close();

  const std::string& topic() const { return topic_; }
  // 0 for a non-partitioned topic.
  size_t partitions() const { return partitioned_ ? impls_.size() : 0; }
  // The producer name (the broker's choice when none was given).
  const std::string& producer_name() const;
  // The highest sequence id the broker had persisted for this producer name when it was created (-1 if none;
  // the maximum over partitions): with deduplication, messages up to it are already stored.
  int64_t last_sequence_id() const;
  // The last sequence id at creation of the partition a message with `key` is routed to (of the topic, when it is
  // not partitioned): with deduplication, such a message numbered up to it is stored there already. Partitions
  // store a producer's messages apart from each other, so a replay must start above it partition by partition (the
  // broker drops a whole batch whose first message is a duplicate).
  int64_t last_sequence_id_for_key(std::string_view key) const;
  size_t pending_messages() const;
  // The per-partition producers (one for a non-partitioned topic), for stats and tests.
  const std::vector<std::shared_ptr<ProducerImpl>>& impls() const { return impls_; }
  // Background coroutines of this producer's partitions still running (tests).
  size_t running_tasks() const;

 private:
  Producer(std::shared_ptr<ClientState> client, ProducerOptions options, std::string topic);
  ProducerImpl& route(const OutgoingMessage& msg);

  std::shared_ptr<ClientState> client_;
  ProducerOptions options_;
  std::string topic_;
  bool partitioned_ = false;
  bool closed_ = false;
  std::vector<std::shared_ptr<ProducerImpl>> impls_;
  size_t round_robin_start_ = 0;
};

}  // namespace pk::pulsar
