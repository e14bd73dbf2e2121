#pragma once
// One connection to a Pulsar broker (or proxy), shared by every producer, consumer and lookup of a client that
// talks to that broker. Owns one ByteStream (plain or TLS) and three coroutines on the connection's loop (in its
// TaskGroup; join() waits for them):
//
//   reader:     socket -> FrameDecoder -> dispatch: responses to waiting requests (by request id),
//               SEND_RECEIPT/MESSAGE/CLOSE_* to the registered producer/consumer (by id), PING -> PONG,
//               AUTH_CHALLENGE -> AUTH_RESPONSE with fresh credentials
//   writer:     frames appended by any caller during one loop turn go out together in one write
//   keep-alive: every keep_alive interval without incoming bytes sends PING; a second silent interval closes
//
// Closing (peer gone, malformed frame, keep-alive, owner) fails every pending request with a retryable
// kUnavailable error and tells each registered listener, which then reconnects; the three coroutines then end.
// Created by ConnectionPool through connect(); held by shared_ptr by the pool and its users; used on its loop
// (executor) only.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include "common/result.h"
#include "net/byte_stream.h"
#include "net/task_group.h"
#include "net/tls.h"
#include "pulsar/client/auth.h"
#include "pulsar/client/ids.h"
#include "pulsar/proto/frame_decoder.h"

namespace pk::pulsar {

inline constexpr int kClientProtocolVersion = 21;
inline constexpr std::string_view kClientVersion = "pulsar-kinesis-cpp-0.1";

struct ConnectionOptions {
  AuthenticationPtr auth;  // null = anonymous
  net::TlsContextPtr tls;  // null = plain TCP
  std::chrono::milliseconds connect_timeout{10000};
  std::chrono::milliseconds operation_timeout{30000};
  std::chrono::milliseconds keep_alive{30000};
  int protocol_version = kClientProtocolVersion;
};

// A producer or consumer registered on a connection: receives the commands addressed to its id.
class ConnectionListener {
 public:
  virtual ~ConnectionListener() = default;
  // SEND_RECEIPT, SEND_ERROR, CLOSE_PRODUCER, TOPIC_MIGRATED for producers; MESSAGE, CLOSE_CONSUMER,
  // ACTIVE_CONSUMER_CHANGE, REACHED_END_OF_TOPIC, TOPIC_MIGRATED for consumers. The frame may be moved from.
  virtual void on_frame(proto::Frame& frame) = 0;
  // The connection is gone; the listener is already unregistered.
  virtual void on_connection_closed(const Error& reason) = 0;
};

class Connection {
 public:
  // Connects to `physical`, sends CONNECT (with `proxy_to_broker` "host:port" when going through a proxy) and
  // waits for CONNECTED, all within connect_timeout; then starts the loops. Runs on the caller's executor.
  static boost::asio::awaitable<Result<std::shared_ptr<Connection>>> connect(net::Endpoint physical,
                                                                             std::string proxy_to_broker,
                                                                             ConnectionOptions options);

  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Gives `cmd` the connection's next request id, writes it and waits for the response with that id, at most
  // operation_timeout. An ERROR response becomes its server_error(); `what` names the operation in errors.
  // PRODUCER_SUCCESS with producer_ready = false keeps waiting for the second one. kInternal for a command type
  // that carries no request id.
  boost::asio::awaitable<Result<pb::BaseCommand>> request(pb::BaseCommand cmd, std::string what);

  // Fire-and-forget commands (FLOW, ACK, REDELIVER, CLOSE_* ...). Dropped when closed.
  void send_command(const pb::BaseCommand& cmd);
  // A frame encoded by the caller (SEND). Dropped when closed.
  void send_frame(std::string_view frame);
  // Appends directly into the write buffer: `encode(std::string& out)` appends one or more frames.
  template <typename Encode>
  void send_with(Encode&& encode) {
    if (closed_) return;
    encode(out_);
    wake_writer();
  }
  // Bytes queued for writing and not yet written: producers use it to stop filling a slow socket.
  size_t queued_bytes() const { return out_.size() + writing_.size(); }

  void register_producer(ProducerId id, ConnectionListener* listener);
  void register_consumer(ConsumerId id, ConnectionListener* listener);
  void unregister_producer(ProducerId id);
  void unregister_consumer(ConsumerId id);

  // Closes the socket, fails pending requests, tells listeners. Idempotent.
  void close(const Error& reason);
  // Returns once the reader, writer and keep-alive coroutines have ended (they end soon after close()). Not from
  // a coroutine of the connection itself.
  boost::asio::awaitable<void> join();
  // The connection's coroutines still running (tests).
  size_t running_tasks() const { return tasks_.size(); }
  bool is_open() const { return !closed_; }
  // Why it closed (when !is_open()).
  const std::optional<Error>& close_reason() const { return close_reason_; }

  const net::Endpoint& endpoint() const { return stream_->endpoint(); }
  // "host:port" (+ " via proxy to <broker>") for messages.
  const std::string& peer() const { return peer_; }
  int protocol_version() const { return protocol_version_; }
  const std::string& server_version() const { return server_version_; }
  // The broker's max_message_size from CONNECTED (the default 5 MiB if it sent none).
  size_t max_message_size() const { return max_message_size_; }
  boost::asio::any_io_executor get_executor() { return stream_->get_executor(); }

  // Counters for tests: PINGs sent, socket writes made (coalescing means far fewer writes than frames).
  uint64_t pings_sent() const { return pings_sent_; }
  uint64_t write_calls() const { return write_calls_; }

  // Public for make_shared; use connect().
  Connection(std::unique_ptr<net::ByteStream> stream, std::string peer, ConnectionOptions options);

 private:
  struct PendingRequest;

  boost::asio::awaitable<Status> handshake(std::string proxy_to_broker);
  void start(const std::shared_ptr<Connection>& self);
  // Each loop holds a reference so the connection lives until all three have returned.
  boost::asio::awaitable<void> read_loop(std::shared_ptr<Connection> self);
  boost::asio::awaitable<void> write_loop(std::shared_ptr<Connection> self);
  boost::asio::awaitable<void> keep_alive_loop(std::shared_ptr<Connection> self);
  void dispatch(proto::Frame& frame);
  void complete_request(RequestId id, Result<pb::BaseCommand> result);
  void answer_auth_challenge(const pb::CommandAuthChallenge& challenge);
  void to_producer(ProducerId id, proto::Frame& frame);
  void to_consumer(ConsumerId id, proto::Frame& frame);
  void wake_writer();
  Result<pb::BaseCommand> make_connect(const std::string& proxy_to_broker) const;

  std::unique_ptr<net::ByteStream> stream_;
  std::string peer_;
  ConnectionOptions options_;
  proto::FrameDecoder decoder_;
  proto::Frame frame_;  // the read loop decodes every frame into this one

  std::string out_;      // frames waiting for the writer
  std::string writing_;  // frames being written
  bool writer_idle_ = false;
  boost::asio::steady_timer writer_wake_;
  boost::asio::steady_timer keep_alive_timer_;

  uint64_t last_request_id_ = 0;
  std::unordered_map<RequestId, PendingRequest*> requests_;
  std::unordered_map<ProducerId, ConnectionListener*> producers_;
  std::unordered_map<ConsumerId, ConnectionListener*> consumers_;

  bool closed_ = false;
  std::optional<Error> close_reason_;
  bool received_since_tick_ = true;
  bool ping_outstanding_ = false;
  uint64_t pings_sent_ = 0;
  uint64_t write_calls_ = 0;
  int protocol_version_ = 0;
  std::string server_version_;
  size_t max_message_size_ = proto::kDefaultMaxMessageSize;
  net::TaskGroup tasks_;  // the three loops; each holds a shared_ptr to the connection
};

}  // namespace pk::pulsar
