#pragma once
// EventStreamServer: SubscribeToShard for the fake, over prior-knowledge HTTP/2 (h2c, nghttp2 server sessions).
// A subscription answers 200 with an AWS event stream: an initial-response event, then SubscribeToShardEvents of
// up to event_records records / about event_bytes of JSON from its starting position, each with the
// ContinuationSequenceNumber and MillisBehindLatest. Events are built only when HTTP/2 flow control lets the client
// take more (that is our source's back-pressure); a caught-up subscription waits for records to arrive (the store
// wakes it) and sends an empty event after `heartbeat` without any. After `lifetime` (AWS: 5 minutes) the stream
// ends cleanly and the client subscribes again from its continuation. Errors before the stream starts are AWS JSON
// errors (unknown consumer or shard, bad starting position).
// Owned by main; connections live on the fake's one loop and hold the server by reference (it outlives them).

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include <simdjson.h>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "kinesis_api.h"
#include "shard_store.h"

namespace pk::bench {

struct EventOptions {
  size_t event_records = 1000;
  size_t event_bytes = 1 << 20;
  std::chrono::milliseconds heartbeat{5000};
  std::chrono::milliseconds lifetime{5 * 60 * 1000};
};

class EventStreamServer {
 public:
  EventStreamServer(boost::asio::any_io_executor executor, ShardStore& store, KinesisApi& api, EventOptions options);
  EventStreamServer(const EventStreamServer&) = delete;
  EventStreamServer& operator=(const EventStreamServer&) = delete;

  // Serves a connection that began with the HTTP/2 client preface; `first_bytes` are what was read of it so far.
  void serve(boost::asio::ip::tcp::socket socket, std::string first_bytes);
  // Wakes the subscriptions of a shard that grew.
  void shard_grew(size_t shard);
  // Closes every connection and stops the heartbeat / lifetime ticker.
  void stop();

  struct Connection;
  struct Subscription;

 private:
  friend struct Connection;
  boost::asio::awaitable<void> tick();
  // On a request that ended: starts the event stream or answers an error.
  void subscribe(Connection& connection, int32_t stream_id, Subscription& s);
  // Fills s.pending with the next event, if there is one to send now.
  void next_event(Subscription& s);

  ShardStore& store_;
  KinesisApi& api_;
  EventOptions options_;
  boost::asio::steady_timer ticker_;
  bool stopped_ = false;
  simdjson::dom::parser parser_;
  std::vector<std::weak_ptr<Connection>> connections_;
};

}  // namespace pk::bench
