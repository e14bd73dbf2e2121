#include "pulsar/client/connection.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <fmt/format.h>

#include "common/log.h"
#include "net/scope_exit.h"
#include "net/timeout.h"
#include "pulsar/client/client_log.h"
#include "pulsar/client/server_error.h"
#include "pulsar/proto/frame.h"

namespace pk::pulsar {
namespace asio = boost::asio;
using asio::use_awaitable;

namespace {

constexpr auto kTuple = asio::as_tuple(use_awaitable);
constexpr size_t kReadChunk = 64 * 1024;
constexpr size_t kKeepBufferCapacity = 8 * 1024 * 1024;

// Writes `id` into the request id of `cmd`'s sub-command; false for a command that carries none.
bool set_request_id(pb::BaseCommand& cmd, RequestId id) {
  const uint64_t v = id.value;
  switch (cmd.type()) {
    case pb::BaseCommand::LOOKUP:
      cmd.mutable_lookuptopic()->set_request_id(v);
      return true;
    case pb::BaseCommand::PARTITIONED_METADATA:
      cmd.mutable_partitionmetadata()->set_request_id(v);
      return true;
    case pb::BaseCommand::GET_TOPICS_OF_NAMESPACE:
      cmd.mutable_gettopicsofnamespace()->set_request_id(v);
      return true;
    case pb::BaseCommand::GET_SCHEMA:
      cmd.mutable_getschema()->set_request_id(v);
      return true;
    case pb::BaseCommand::PRODUCER:
      cmd.mutable_producer()->set_request_id(v);
      return true;
    case pb::BaseCommand::SUBSCRIBE:
      cmd.mutable_subscribe()->set_request_id(v);
      return true;
    case pb::BaseCommand::CLOSE_PRODUCER:
      cmd.mutable_close_producer()->set_request_id(v);
      return true;
    case pb::BaseCommand::CLOSE_CONSUMER:
      cmd.mutable_close_consumer()->set_request_id(v);
      return true;
    case pb::BaseCommand::UNSUBSCRIBE:
      cmd.mutable_unsubscribe()->set_request_id(v);
      return true;
    case pb::BaseCommand::GET_LAST_MESSAGE_ID:
      cmd.mutable_getlastmessageid()->set_request_id(v);
      return true;
    case pb::BaseCommand::SEEK:
      cmd.mutable_seek()->set_request_id(v);
      return true;
    case pb::BaseCommand::ACK:
      cmd.mutable_ack()->set_request_id(v);
      return true;
    default:
      return false;
  }
}

}  // namespace

struct Connection::PendingRequest {
  PendingRequest(const asio::any_io_executor& ex, std::chrono::milliseconds timeout) : timer(ex, timeout) {}
  asio::steady_timer timer;
  std::optional<Result<pb::BaseCommand>> result;
};

Connection::Connection(std::unique_ptr<net::ByteStream> stream, std::string peer, ConnectionOptions options)
    : stream_(std::move(stream)),
      peer_(std::move(peer)),
      options_(std::move(options)),
      writer_wake_(stream_->get_executor()),
      keep_alive_timer_(stream_->get_executor()),
      tasks_(stream_->get_executor()) {}

Connection::~Connection() {
  if (!closed_) close(make_error(ErrorCode::kCancelled, "connection to " + peer_ + " released"));
}

asio::awaitable<Result<std::shared_ptr<Connection>>> Connection::connect(net::Endpoint physical,
                                                                         std::string proxy_to_broker,
                                                                         ConnectionOptions options) {
  std::string peer = proxy_to_broker.empty() ? physical.to_string()
                                             : fmt::format("{} (proxy to {})", physical.to_string(), proxy_to_broker);
  const auto timeout = options.connect_timeout;
  auto tls = options.tls;
  auto connecting = net::ByteStream::connect(physical, std::move(tls), timeout);
  auto stream = co_await std::move(connecting);
  if (!stream.ok()) co_return std::move(stream).error().with_context("Pulsar broker");
  auto conn = std::make_shared<Connection>(std::move(*stream), std::move(peer), std::move(options));
  auto handshake = conn->handshake(std::move(proxy_to_broker));
  auto guarded = net::with_timeout(std::move(handshake), timeout, "Pulsar handshake with " + conn->peer_);
  auto status = co_await std::move(guarded);
  if (!status.ok()) {
    conn->close(status.error());
    co_return std::move(status).error();
  }
  conn->start(conn);
  co_return conn;
}

Result<pb::BaseCommand> Connection::make_connect(const std::string& proxy_to_broker) const {
  pb::BaseCommand cmd;
  cmd.set_type(pb::BaseCommand::CONNECT);
  auto* c = cmd.mutable_connect();
  c->set_client_version(std::string(kClientVersion));
  c->set_protocol_version(options_.protocol_version);
  if (!proxy_to_broker.empty()) c->set_proxy_to_broker_url(proxy_to_broker);
  auto* flags = c->mutable_feature_flags();
  flags->set_supports_auth_refresh(true);
  flags->set_supports_broker_entry_metadata(true);
  flags->set_supports_partial_producer(true);
  if (options_.auth && !options_.auth->method().empty()) {
    auto data = options_.auth->auth_data();
    if (!data.ok()) return std::move(data).error().with_context("credentials for " + peer_);
    c->set_auth_method_name(std::string(options_.auth->method()));
    c->set_auth_data(std::move(*data));
  }
  return cmd;
}

asio::awaitable<Status> Connection::handshake(std::string proxy_to_broker) {
  PK_CO_ASSIGN_OR_RETURN(auto connect, make_connect(proxy_to_broker));
  std::string frame;
  proto::append_simple_command(frame, connect);
  PK_CO_TRY(co_await stream_->write_all(asio::buffer(frame)));
  for (;;) {
    for (;;) {
      auto next = decoder_.next();
      if (!next.ok()) co_return std::move(next).error().with_context("handshake with " + peer_);
      if (!next->has_value()) break;
      pb::BaseCommand& cmd = (**next).command;
      switch (cmd.type()) {
        case pb::BaseCommand::CONNECTED: {
          const auto& c = cmd.connected();
          server_version_ = c.server_version();
          protocol_version_ = std::min(options_.protocol_version, c.protocol_version());
          if (c.has_max_message_size() && c.max_message_size() > 0) {
            max_message_size_ = static_cast<size_t>(c.max_message_size());
          }
          decoder_.set_max_frame_size(max_message_size_ + proto::kFrameOverhead);
          client_log()->debug("connected to {} (server {}, protocol {}, max message {} B)", peer_, server_version_,
                              protocol_version_, max_message_size_);
          co_return ok_status();
        }
        case pb::BaseCommand::ERROR:
          co_return server_error(cmd.error().error(), cmd.error().message(), "connect to " + peer_);
        case pb::BaseCommand::AUTH_CHALLENGE: {
          answer_auth_challenge(cmd.authchallenge());
          std::string pending;
          pending.swap(out_);
          PK_CO_TRY(co_await stream_->write_all(asio::buffer(pending)));
          break;
        }
        case pb::BaseCommand::PING: {
          pb::BaseCommand pong;
          pong.set_type(pb::BaseCommand::PONG);
          pong.mutable_pong();
          std::string out;
          proto::append_simple_command(out, pong);
          PK_CO_TRY(co_await stream_->write_all(asio::buffer(out)));
          break;
        }
        default:
          co_return make_error(ErrorCode::kMalformedInput,
                               fmt::format("handshake with {}: unexpected command {} before CONNECTED", peer_,
                                           pb::BaseCommand::Type_Name(cmd.type())));
      }
    }
    auto room = decoder_.prepare(kReadChunk);
    auto n = co_await stream_->read_some(asio::buffer(room.data(), room.size()));
    if (!n.ok()) co_return std::move(n).error().with_context("handshake with " + peer_);
    decoder_.commit(*n);
  }
}

void Connection::start(const std::shared_ptr<Connection>& self) {
  tasks_.spawn(read_loop(self));
  tasks_.spawn(write_loop(self));
  tasks_.spawn(keep_alive_loop(self));
}

asio::awaitable<void> Connection::join() {
  co_await tasks_.join();
}

asio::awaitable<void> Connection::read_loop(std::shared_ptr<Connection> /*keep_alive*/) {
  for (;;) {
    // Frames may already be buffered (read together with CONNECTED): drain before reading more. One Frame is
    // decoded into again and again (its protobuf objects and buffers are reused: no allocation per frame once
    // they have grown); dispatch() may move parts out of it, and the next decode resets every part.
    for (;;) {
      auto next = decoder_.next(frame_);
      if (!next.ok()) {
        close(make_error(ErrorCode::kMalformedInput,
                         fmt::format("malformed frame from {}: {}", peer_, next.error().message)));
        co_return;
      }
      if (!*next) break;
      dispatch(frame_);
      if (closed_) co_return;
    }
    auto room = decoder_.prepare(kReadChunk);
    auto n = co_await stream_->read_some(asio::buffer(room.data(), room.size()));
    if (closed_) co_return;
    if (!n.ok()) {
      close(n.error());
      co_return;
    }
    decoder_.commit(*n);
    received_since_tick_ = true;
    ping_outstanding_ = false;
  }
}

asio::awaitable<void> Connection::write_loop(std::shared_ptr<Connection> /*keep_alive*/) {
  while (!closed_) {
    if (out_.empty()) {
      writer_idle_ = true;
      writer_wake_.expires_at(asio::steady_timer::time_point::max());
      auto [ec] = co_await writer_wake_.async_wait(kTuple);
      (void)ec;
      writer_idle_ = false;
      continue;
    }
    writing_.swap(out_);
    ++write_calls_;
    auto status = co_await stream_->write_all(asio::buffer(writing_));
    if (!status.ok()) {
      close(status.error());
      co_return;
    }
    if (writing_.capacity() > kKeepBufferCapacity) {
      std::string().swap(writing_);  // do not keep a burst's buffer forever
    } else {
      writing_.clear();
    }
  }
}

asio::awaitable<void> Connection::keep_alive_loop(std::shared_ptr<Connection> /*keep_alive*/) {
  while (!closed_) {
    keep_alive_timer_.expires_after(options_.keep_alive);
    auto [ec] = co_await keep_alive_timer_.async_wait(kTuple);
    if (ec || closed_) co_return;
    if (received_since_tick_) {
      received_since_tick_ = false;
      continue;
    }
    if (ping_outstanding_) {
      close(make_error(ErrorCode::kTimeout,
                       fmt::format("broker {} did not answer PING within {} ms", peer_, options_.keep_alive.count())));
      co_return;
    }
    pb::BaseCommand ping;
    ping.set_type(pb::BaseCommand::PING);
    ping.mutable_ping();
    send_command(ping);
    ping_outstanding_ = true;
    ++pings_sent_;
  }
}

void Connection::wake_writer() {
  if (writer_idle_) {
    writer_idle_ = false;
    writer_wake_.cancel();
  }
}

void Connection::send_command(const pb::BaseCommand& cmd) {
  if (closed_) return;
  proto::append_simple_command(out_, cmd);
  wake_writer();
}

void Connection::send_frame(std::string_view frame) {
  if (closed_) return;
  out_.append(frame);
  wake_writer();
}

asio::awaitable<Result<pb::BaseCommand>> Connection::request(pb::BaseCommand cmd, std::string what) {
  if (closed_) {
    co_return make_error(ErrorCode::kUnavailable,
                         fmt::format("{}: connection to {} is closed: {}", what, peer_,
                                     close_reason_ ? close_reason_->message : std::string("closed")));
  }
  const RequestId request_id(++last_request_id_);
  if (!set_request_id(cmd, request_id)) {
    co_return make_error(ErrorCode::kInternal,
                         fmt::format("{}: {} is not a request", what, pb::BaseCommand::Type_Name(cmd.type())));
  }
  auto executor = co_await asio::this_coro::executor;
  PendingRequest pending(executor, options_.operation_timeout);
  requests_[request_id] = &pending;
  // Off the map however the wait ends (answered, timed out, or this frame destroyed by a cancelled caller).
  net::ScopeExit unregister([this, request_id, &pending] {
    auto it = requests_.find(request_id);
    if (it != requests_.end() && it->second == &pending) requests_.erase(it);
  });
  send_command(cmd);
  auto [ec] = co_await pending.timer.async_wait(kTuple);
  (void)ec;
  if (!pending.result) {
    co_return make_error(ErrorCode::kTimeout, fmt::format("{}: no response from {} within {} ms", what, peer_,
                                                          options_.operation_timeout.count()));
  }
  if (!pending.result->ok()) co_return std::move(*pending.result).error().with_context(what);
  pb::BaseCommand& response = pending.result->value();
  if (response.type() == pb::BaseCommand::ERROR) {
    co_return server_error(response.error().error(), response.error().message(), what);
  }
  co_return std::move(response);
}

void Connection::complete_request(RequestId request_id, Result<pb::BaseCommand> result) {
  auto it = requests_.find(request_id);
  if (it == requests_.end()) {
    client_log()->debug("{}: response for unknown or timed-out request {}", peer_, request_id.value);
    return;
  }
  PendingRequest* pending = it->second;
  requests_.erase(it);
  pending->result.emplace(std::move(result));
  pending->timer.cancel();
}

void Connection::answer_auth_challenge(const pb::CommandAuthChallenge& challenge) {
  pb::BaseCommand cmd;
  cmd.set_type(pb::BaseCommand::AUTH_RESPONSE);
  auto* r = cmd.mutable_authresponse();
  r->set_client_version(std::string(kClientVersion));
  r->set_protocol_version(options_.protocol_version);
  auto* data = r->mutable_response();
  if (options_.auth && !options_.auth->method().empty()) {
    auto fresh = options_.auth->auth_data();
    if (!fresh.ok()) {
      client_log()->warn("{}: cannot refresh credentials: {}", peer_, fresh.error().message);
      close(std::move(fresh).error());
      return;
    }
    data->set_auth_method_name(std::string(options_.auth->method()));
    data->set_auth_data(std::move(*fresh));
  } else {
    data->set_auth_method_name("none");
  }
  (void)challenge;
  client_log()->debug("{}: answering AUTH_CHALLENGE with refreshed credentials", peer_);
  proto::append_simple_command(out_, cmd);
  wake_writer();
}

void Connection::to_producer(ProducerId id, proto::Frame& frame) {
  auto it = producers_.find(id);
  if (it == producers_.end()) {
    client_log()->debug("{}: {} for unknown producer {}", peer_, pb::BaseCommand::Type_Name(frame.command.type()),
                        id.value);
    return;
  }
  it->second->on_frame(frame);
}

void Connection::to_consumer(ConsumerId id, proto::Frame& frame) {
  auto it = consumers_.find(id);
  if (it == consumers_.end()) {
    client_log()->debug("{}: {} for unknown consumer {}", peer_, pb::BaseCommand::Type_Name(frame.command.type()),
                        id.value);
    return;
  }
  it->second->on_frame(frame);
}

void Connection::dispatch(proto::Frame& frame) {
  pb::BaseCommand& cmd = frame.command;
  // The id is read before the command is moved into the result (argument evaluation order is unspecified).
  auto respond = [this, &cmd](uint64_t request_id) { complete_request(RequestId(request_id), std::move(cmd)); };
  switch (cmd.type()) {
    case pb::BaseCommand::PING: {
      pb::BaseCommand pong;
      pong.set_type(pb::BaseCommand::PONG);
      pong.mutable_pong();
      send_command(pong);
      return;
    }
    case pb::BaseCommand::PONG:
      return;
    case pb::BaseCommand::SEND_RECEIPT:
      return to_producer(ProducerId(cmd.send_receipt().producer_id()), frame);
    case pb::BaseCommand::SEND_ERROR:
      return to_producer(ProducerId(cmd.send_error().producer_id()), frame);
    case pb::BaseCommand::CLOSE_PRODUCER:
      return to_producer(ProducerId(cmd.close_producer().producer_id()), frame);
    case pb::BaseCommand::MESSAGE:
      return to_consumer(ConsumerId(cmd.message().consumer_id()), frame);
    case pb::BaseCommand::CLOSE_CONSUMER:
      return to_consumer(ConsumerId(cmd.close_consumer().consumer_id()), frame);
    case pb::BaseCommand::ACTIVE_CONSUMER_CHANGE:
      return to_consumer(ConsumerId(cmd.active_consumer_change().consumer_id()), frame);
    case pb::BaseCommand::REACHED_END_OF_TOPIC:
      return to_consumer(ConsumerId(cmd.reachedendoftopic().consumer_id()), frame);
    case pb::BaseCommand::TOPIC_MIGRATED:
      if (cmd.topicmigrated().resource_type() == pb::CommandTopicMigrated::Producer) {
        return to_producer(ProducerId(cmd.topicmigrated().resource_id()), frame);
      }
      return to_consumer(ConsumerId(cmd.topicmigrated().resource_id()), frame);
    case pb::BaseCommand::SUCCESS:
      return respond(cmd.success().request_id());
    case pb::BaseCommand::ERROR:
      return respond(cmd.error().request_id());
    case pb::BaseCommand::PRODUCER_SUCCESS:
      if (!cmd.producer_success().producer_ready()) {
        client_log()->info("{}: producer {} is queued by the broker (waiting for exclusive access)", peer_,
                           cmd.producer_success().producer_name());
        return;
      }
      return respond(cmd.producer_success().request_id());
    case pb::BaseCommand::PARTITIONED_METADATA_RESPONSE:
      return respond(cmd.partitionmetadataresponse().request_id());
    case pb::BaseCommand::LOOKUP_RESPONSE:
      return respond(cmd.lookuptopicresponse().request_id());
    case pb::BaseCommand::GET_TOPICS_OF_NAMESPACE_RESPONSE:
      return respond(cmd.gettopicsofnamespaceresponse().request_id());
    case pb::BaseCommand::GET_SCHEMA_RESPONSE:
      return respond(cmd.getschemaresponse().request_id());
    case pb::BaseCommand::GET_LAST_MESSAGE_ID_RESPONSE:
      return respond(cmd.getlastmessageidresponse().request_id());
    case pb::BaseCommand::ACK_RESPONSE:
      if (cmd.ackresponse().has_request_id()) return respond(cmd.ackresponse().request_id());
      return;
    case pb::BaseCommand::AUTH_CHALLENGE:
      return answer_auth_challenge(cmd.authchallenge());
    case pb::BaseCommand::CONNECTED:
      return;
    default:
      client_log()->warn("{}: ignoring unexpected command {}", peer_, pb::BaseCommand::Type_Name(cmd.type()));
      return;
  }
}

void Connection::register_producer(ProducerId id, ConnectionListener* listener) {
  producers_[id] = listener;
}
void Connection::register_consumer(ConsumerId id, ConnectionListener* listener) {
  consumers_[id] = listener;
}
void Connection::unregister_producer(ProducerId id) {
  producers_.erase(id);
}
void Connection::unregister_consumer(ConsumerId id) {
  consumers_.erase(id);
}

void Connection::close(const Error& reason) {
  if (closed_) return;
  closed_ = true;
  close_reason_ = reason;
  if (reason.code != ErrorCode::kCancelled) client_log()->info("connection to {} closed: {}", peer_, reason.message);
  stream_->close();
  writer_wake_.cancel();
  keep_alive_timer_.cancel();
  const Error failed = make_error(ErrorCode::kUnavailable,
                                  fmt::format("connection to {} closed: {}", peer_, reason.message), reason.type);
  auto requests = std::move(requests_);
  requests_.clear();
  for (auto& [id, pending] : requests) {
    pending->result.emplace(failed);
    pending->timer.cancel();
  }
  auto producers = std::move(producers_);
  auto consumers = std::move(consumers_);
  producers_.clear();
  consumers_.clear();
  for (auto& [id, l] : producers) l->on_connection_closed(failed);
  for (auto& [id, l] : consumers) l->on_connection_closed(failed);
}

}  // namespace pk::pulsar
