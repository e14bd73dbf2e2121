#pragma once
// One SubscribeToShard subscription (enhanced fan-out): the signed request sent over an HTTP/2 stream, its
// `application/vnd.amazon.eventstream` response decoded frame by frame (aws/event_stream.h), and each
// SubscribeToShardEvent handed to the caller when it asks for the next one:
//
//   auto opening = kinesis.subscribe_to_shard(consumer_arn, shard, StartingPosition::after(checkpoint));
//   auto subscription = co_await std::move(opening);             // Result<unique_ptr<ShardSubscription>>
//   for (;;) {
//     auto pulling = (*subscription)->next();
//     auto event = co_await std::move(pulling);                   // Result<optional<SubscribeToShardEvent>>
//     if (!event.ok()) ...                                        // exception event, broken stream, idle timeout
//     if (!event->has_value()) break;                             // the service ended it (after ~5 minutes)
//     ... (*event)->records, continuation_sequence_number ...     // resubscribe AFTER_SEQUENCE_NUMBER of it
//   }
//
// Back-pressure: bytes are read from the stream only inside next(), and HTTP/2 flow control gives the server
// more room only as they are read, so a slow caller slows the server down instead of filling memory.
// The optional `initial-response` event is skipped (kinesis-mock sends none). An exception event becomes an
// Error whose `type` is its :exception-type (ResourceInUseException, ResourceNotFoundException, ...) and whose
// code follows the AWS error classes.
//
// Owned by the caller (unique_ptr); keeps its HTTP/2 connection alive. One next() at a time, from one coroutine
// at a time; may be awaited from any executor. Destroying it cancels the stream.

#include <chrono>
#include <deque>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "aws/event_stream.h"
#include "aws/json_client.h"
#include "common/result.h"
#include "http/http2_connection.h"
#include "http/http2_stream.h"
#include "kinesis/model.h"
#include "kinesis/subscribe_event_codec.h"

namespace pk::kinesis {

struct SubscriptionOptions {
  http::ClientOptions http;  // TLS, connect and response-header timeouts, HTTP/2 windows
  // next() fails with kTimeout when the server sends nothing for this long (the service sends an event at
  // least every few seconds, kinesis-mock every second).
  std::chrono::milliseconds idle_timeout{30000};
};

class ShardSubscription {
 public:
  // Signs SubscribeToShard with `json`'s credentials, connects over HTTP/2 to its endpoint and waits for the
  // response headers. A non-200 answer is the AWS error it carries; a 200 without the event-stream content type
  // is kMalformedInput.
  static boost::asio::awaitable<Result<std::unique_ptr<ShardSubscription>>> open(const aws::JsonClient& json,
                                                                                 SubscriptionOptions options,
                                                                                 ConsumerArn consumer, ShardId shard,
                                                                                 StartingPosition position);

  // The next event; nullopt when the service closed the stream cleanly.
  boost::asio::awaitable<Result<std::optional<SubscribeToShardEvent>>> next();

  // Stops the subscription (RST_STREAM); a pending or later next() fails with kCancelled. Any thread.
  void cancel();

  const ShardId& shard() const { return shard_; }
  // Events delivered so far (not counting initial-response).
  uint64_t events() const { return events_; }

  ShardSubscription(std::shared_ptr<http::Http2Connection> connection, std::shared_ptr<http::Http2Stream> stream,
                    ShardId shard, std::chrono::milliseconds idle_timeout);
  ~ShardSubscription();
  ShardSubscription(const ShardSubscription&) = delete;
  ShardSubscription& operator=(const ShardSubscription&) = delete;

 private:
  // Turns a decoded message into an event (true), nothing to deliver (false), or an error.
  Result<bool> take(aws::EventStreamMessage& message, SubscribeToShardEvent& event);
  // Reads the next piece of the body, cancelling the stream if nothing comes within the idle timeout.
  boost::asio::awaitable<Result<std::optional<std::string>>> read_with_deadline();

  std::shared_ptr<http::Http2Connection> connection_;
  std::shared_ptr<http::Http2Stream> stream_;  // shared with the idle watchdog, which may cancel it
  ShardId shard_;
  std::string what_;  // "Kinesis SubscribeToShard shardId-...": prefixes errors
  std::chrono::milliseconds idle_timeout_;
  aws::EventStreamDecoder decoder_;
  std::deque<aws::EventStreamMessage> pending_;
  std::optional<Error> broken_;  // a framing error, reported once the messages before it were delivered
  bool ended_ = false;
  uint64_t events_ = 0;
};

}  // namespace pk::kinesis
