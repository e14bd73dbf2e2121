#include "pulsar/client/producer_impl.h"

#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "common/clock.h"
#include "common/log.h"
#include "pulsar/client/client_log.h"
#include "pulsar/client/server_error.h"
#include "pulsar/proto/batch.h"
#include "pulsar/proto/compression.h"
#include "pulsar/proto/frame.h"

namespace pk::pulsar {
namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

namespace {

uint64_t now_millis() {
  return static_cast<uint64_t>(SystemClock::instance().now_millis());
}

std::string_view batch_key_of(const OutgoingMessage& m) {
  if (m.ordering_key) return *m.ordering_key;
  if (m.key) return *m.key;
  return {};
}

}  // namespace

ProducerImpl::ProducerImpl(std::shared_ptr<ClientState> client, const ProducerOptions& options, std::string topic,
                           int partition)
    : BrokerResource(client, std::move(topic), client->new_producer_id()),
      options_(options),
      partition_(partition),
      producer_name_(options.producer_name),
      user_named_(!options.producer_name.empty()),
      max_message_size_(proto::kDefaultMaxMessageSize),
      compression_(static_cast<pb::CompressionType>(options.compression)),
      queue_(options.max_pending_messages, &client_->memory),
      batch_(options.batch, options.batch_by_key) {
  if (options.initial_sequence_id) next_sequence_id_ = static_cast<uint64_t>(*options.initial_sequence_id + 1);
}

asio::awaitable<Status> ProducerImpl::start(std::shared_ptr<ProducerImpl> self) {
  auto starting = start_attached(self, "create producer on " + self->topic_);
  PK_CO_TRY(co_await std::move(starting));
  self->tasks_.spawn(self->batch_loop(self));
  self->tasks_.spawn(self->timeout_loop(self));
  co_return ok_status();
}

bool ProducerImpl::always_fatal(const Error& e) const {
  static constexpr std::array<std::string_view, 7> kFatal = {
      "TopicTerminatedError", "ProducerFenced",          "InvalidTopicName", "IncompatibleSchema",
      "NotAllowedError",      "UnsupportedVersionError", "TopicNotFound"};
  return std::find(kFatal.begin(), kFatal.end(), e.type) != kFatal.end();
}

void ProducerImpl::on_failed(const Error& error) {
  fail_all(error.with_context("producer on " + topic_));
}

void ProducerImpl::on_attach_error(const Error& error) {
  // The backlog quota says "drop new messages": fail what waits, keep trying to reconnect.
  if (error.type == "ProducerBlockedQuotaExceededException") fail_all(error);
}

asio::awaitable<Status> ProducerImpl::attach(std::shared_ptr<Connection> conn) {
  pb::BaseCommand cmd;
  cmd.set_type(pb::BaseCommand::PRODUCER);
  auto* p = cmd.mutable_producer();
  p->set_topic(topic_);
  p->set_producer_id(producer_id().value);
  if (!producer_name_.empty()) p->set_producer_name(producer_name_);
  p->set_user_provided_producer_name(user_named_);
  p->set_epoch(epoch_++);
  p->set_producer_access_mode(static_cast<pb::ProducerAccessMode>(options_.access_mode));
  for (const auto& [k, v] : options_.properties) {
    auto* kv = p->add_metadata();
    kv->set_key(k);
    kv->set_value(v);
  }
  auto creating = conn->request(std::move(cmd), "create producer on " + topic_);
  PK_CO_ASSIGN_OR_RETURN(auto response, co_await std::move(creating));
  const auto& success = response.producer_success();
  producer_name_ = success.producer_name();
  if (!created_) {
    last_sequence_id_at_start_ = success.last_sequence_id();
    if (!options_.initial_sequence_id && last_sequence_id_at_start_ >= 0) {
      next_sequence_id_ = std::max(next_sequence_id_, static_cast<uint64_t>(last_sequence_id_at_start_) + 1);
    }
  }
  max_message_size_ = conn->max_message_size();
  batch_.cap_bytes(max_message_size_);
  co_return ok_status();
}

void ProducerImpl::on_attached() {
  // Everything not yet confirmed goes again, unchanged: same sequence ids, so the broker drops what it has.
  for (const SendOp& op : queue_.ops()) connection_->send_frame(op.frame);
  if (attaches_ > 1) {
    client_log()->info("producer {} on {} reconnected to {}; resent {} pending sends", producer_name_, topic_,
                       connection_->peer(), queue_.size());
  }
}

void ProducerImpl::on_frame(proto::Frame& frame) {
  const auto& cmd = frame.command;
  switch (cmd.type()) {
    case pb::BaseCommand::SEND_RECEIPT:
      return handle_receipt(cmd.send_receipt());
    case pb::BaseCommand::SEND_ERROR:
      return handle_send_error(cmd.send_error());
    case pb::BaseCommand::CLOSE_PRODUCER:
      client_log()->info("producer {} on {}: the broker closed it; reconnecting", producer_name_, topic_);
      return detach(make_error(ErrorCode::kUnavailable, "broker closed the producer on " + topic_), false);
    case pb::BaseCommand::TOPIC_MIGRATED:
      client_log()->info("producer {} on {}: topic migrated; looking it up again", producer_name_, topic_);
      return detach(make_error(ErrorCode::kUnavailable, "topic " + topic_ + " migrated"), false);
    default:
      return;
  }
}

void ProducerImpl::handle_receipt(const pb::CommandSendReceipt& receipt) {
  switch (queue_.match_receipt(receipt.sequence_id(), receipt.highest_sequence_id())) {
    case SendQueue::Match::kStale:
      return;
    case SendQueue::Match::kUnexpected:
      client_log()->warn("producer {} on {}: receipt for sequence id {} while {} was expected; reconnecting to resend",
                         producer_name_, topic_, receipt.sequence_id(), queue_.front().sequence_id);
      return detach(make_error(ErrorCode::kUnavailable, "out-of-order receipt"), true);
    case SendQueue::Match::kFront: {
      SendOp op = queue_.pop_front();
      MessageId id;
      id.ledger = static_cast<int64_t>(receipt.message_id().ledgerid());  // -1:-1 (duplicate) stays -1
      id.entry = static_cast<int64_t>(receipt.message_id().entryid());
      id.partition = partition_;
      complete_send_op(op, id);
      client_->memory_freed.notify_all();
      queue_drained_.notify_all();
      return;
    }
  }
}

void ProducerImpl::handle_send_error(const pb::CommandSendError& error) {
  Error e = server_error(error.error(), error.message(), "send to " + topic_);
  if (error.error() == pb::ChecksumError && !queue_.empty() && queue_.front().sequence_id == error.sequence_id()) {
    // The broker saw a corrupted frame: sending it again would not help.
    SendOp op = queue_.pop_front();
    fail_send_op(op, e);
    client_->memory_freed.notify_all();
    queue_drained_.notify_all();
    return;
  }
  client_log()->warn("producer {} on {}: {}; reconnecting to resend", producer_name_, topic_, e.message);
  detach(e, true);
}

Status ProducerImpl::try_send(OutgoingMessage& msg, SendCallback& callback) {
  PK_TRY(check_usable());
  const size_t bytes = msg.payload.size();
  if (bytes > max_message_size_) {
    return make_error(ErrorCode::kInvalidArgument,
                      fmt::format("message of {} bytes is larger than the broker's max message size {} ({})", bytes,
                                  max_message_size_, topic_));
  }
  if (!queue_.try_reserve(bytes)) {
    return make_error(ErrorCode::kResourceExhausted,
                      fmt::format("producer queue of {} is full ({} messages pending, {} bytes held by the client)",
                                  topic_, queue_.reserved_messages(), client_->memory.used()));
  }
  uint64_t sequence_id;
  if (msg.sequence_id) {
    sequence_id = *msg.sequence_id;
    next_sequence_id_ = std::max(next_sequence_id_, sequence_id + 1);
  } else {
    sequence_id = next_sequence_id_++;
  }
  Pending pending{std::move(msg), sequence_id, std::move(callback)};
  if (!options_.batching) {
    send_single(std::move(pending), bytes);
    return ok_status();
  }
  if (!batch_.fits(bytes)) flush_batch();
  const bool was_empty = batch_.empty();
  const std::string_view key = batch_key_of(pending.msg);
  if (batch_.add(std::move(pending), key, bytes, Clock::now())) {
    flush_batch();
  } else if (was_empty) {
    batch_opened_.notify_all();
  }
  return ok_status();
}

void ProducerImpl::fill_metadata(pb::MessageMetadata& md, uint64_t sequence_id, uint64_t publish_time) const {
  md.set_producer_name(producer_name_);
  md.set_sequence_id(sequence_id);
  md.set_publish_time(publish_time);
}

void ProducerImpl::send_single(Pending pending, size_t bytes) {
  const OutgoingMessage& m = pending.msg;
  metadata_.Clear();
  fill_metadata(metadata_, pending.sequence_id, now_millis());
  for (const auto& [k, v] : m.properties) {
    auto* kv = metadata_.add_properties();
    kv->set_key(k);
    kv->set_value(v);
  }
  if (m.key) metadata_.set_partition_key(*m.key);
  if (m.ordering_key) metadata_.set_ordering_key(*m.ordering_key);
  if (m.event_time != 0) metadata_.set_event_time(m.event_time);
  std::string_view payload = m.payload;
  std::string compressed;
  if (compression_ != pb::NONE && !m.payload.empty()) {
    auto c = proto::compress(compression_, m.payload);
    if (!c.ok()) {
      queue_.release(1, bytes);
      if (pending.callback) pending.callback(std::move(c).error());
      return;
    }
    compressed = std::move(*c);
    metadata_.set_compression(compression_);
    metadata_.set_uncompressed_size(static_cast<uint32_t>(m.payload.size()));
    payload = compressed;
  }
  send_cmd_.Clear();
  send_cmd_.set_type(pb::BaseCommand::SEND);
  auto* s = send_cmd_.mutable_send();
  s->set_producer_id(producer_id().value);
  s->set_sequence_id(pending.sequence_id);
  SendOp op;
  op.sequence_id = pending.sequence_id;
  op.highest_sequence_id = pending.sequence_id;
  op.num_messages = 1;
  op.bytes = bytes;
  op.created = Clock::now();
  proto::append_payload_command(op.frame, send_cmd_, metadata_, payload);
  op.callbacks.push_back(std::move(pending.callback));
  enqueue(std::move(op));
}

void ProducerImpl::flush_batch() {
  if (batch_.empty()) return;
  batch_.drain([this](std::span<Pending> group) { encode_batch(group, batch_key_of(group.front().msg)); });
}

void ProducerImpl::encode_batch(std::span<Pending> messages, std::string_view key) {
  batch_payload_.clear();
  uint64_t bytes = 0;
  for (const Pending& p : messages) {
    const OutgoingMessage& m = p.msg;
    single_.Clear();
    for (const auto& [k, v] : m.properties) {
      auto* kv = single_.add_properties();
      kv->set_key(k);
      kv->set_value(v);
    }
    if (m.key) single_.set_partition_key(*m.key);
    if (m.ordering_key) single_.set_ordering_key(*m.ordering_key);
    if (m.event_time != 0) single_.set_event_time(m.event_time);
    single_.set_sequence_id(p.sequence_id);
    proto::append_single_message(batch_payload_, single_, m.payload);
    bytes += m.payload.size();
  }
  const uint64_t first = messages.front().sequence_id;
  const uint64_t last = messages.back().sequence_id;
  metadata_.Clear();
  fill_metadata(metadata_, first, now_millis());
  metadata_.set_num_messages_in_batch(static_cast<int32_t>(messages.size()));
  metadata_.set_highest_sequence_id(last);
  if (options_.batch_by_key && !key.empty()) {
    // The broker dispatches a Key_Shared entry by the entry's key.
    const OutgoingMessage& head = messages.front().msg;
    if (head.ordering_key) {
      metadata_.set_ordering_key(std::string(key));
    } else {
      metadata_.set_partition_key(std::string(key));
    }
  }
  std::string_view payload = batch_payload_;
  std::string compressed;
  std::optional<Error> error;
  if (compression_ != pb::NONE) {
    auto c = proto::compress(compression_, batch_payload_);
    if (c.ok()) {
      compressed = std::move(*c);
      metadata_.set_compression(compression_);
      metadata_.set_uncompressed_size(static_cast<uint32_t>(batch_payload_.size()));
      payload = compressed;
    } else {
      error = std::move(c).error();
    }
  }
  SendOp op;
  op.sequence_id = first;
  op.highest_sequence_id = last;
  op.num_messages = static_cast<uint32_t>(messages.size());
  op.batched = true;
  op.bytes = bytes;
  op.created = Clock::now();
  op.callbacks.reserve(messages.size());
  for (Pending& p : messages) op.callbacks.push_back(std::move(p.callback));
  if (error) {
    queue_.release(op.num_messages, op.bytes);
    fail_send_op(op, *error);
    return;
  }
  send_cmd_.Clear();
  send_cmd_.set_type(pb::BaseCommand::SEND);
  auto* s = send_cmd_.mutable_send();
  s->set_producer_id(producer_id().value);
  s->set_sequence_id(first);
  s->set_num_messages(static_cast<int32_t>(messages.size()));
  s->set_highest_sequence_id(last);
  proto::append_payload_command(op.frame, send_cmd_, metadata_, payload);
  enqueue(std::move(op));
}

void ProducerImpl::enqueue(SendOp op) {
  if (state_ == State::kReady && connection_) connection_->send_frame(op.frame);
  queue_.push(std::move(op));
}

void ProducerImpl::fail_all(const Error& error) {
  if (!batch_.empty()) {
    batch_.drain([&](std::span<Pending> group) {
      for (Pending& p : group) {
        queue_.release(1, p.msg.payload.size());
        if (p.callback) p.callback(Result<MessageId>(error));
      }
    });
  }
  auto ops = queue_.take_all();
  for (SendOp& op : ops) fail_send_op(op, error);
  client_->memory_freed.notify_all();
  queue_drained_.notify_all();
}

asio::awaitable<void> ProducerImpl::batch_loop(std::shared_ptr<ProducerImpl> self) {
  while (running()) {
    if (batch_.empty()) {
      co_await batch_opened_.wait();
      continue;
    }
    const auto deadline = batch_.deadline();
    if (Clock::now() >= deadline) {
      flush_batch();
      continue;
    }
    co_await batch_opened_.wait_until(deadline);
  }
  (void)self;
}

asio::awaitable<void> ProducerImpl::timeout_loop(std::shared_ptr<ProducerImpl> self) {
  const auto timeout = options_.send_timeout;
  if (timeout.count() <= 0) co_return;
  const auto interval = std::clamp<std::chrono::milliseconds>(timeout / 10, std::chrono::milliseconds(10),
                                                              std::chrono::milliseconds(1000));
  while (running()) {
    co_await state_changed_.wait_until(Clock::now() + interval);
    if (queue_.front_expired(Clock::now(), timeout)) {
      // Like the Java client: once the oldest send timed out, everything after it fails too, so the application
      // sees failures in order and can resend in order.
      fail_all(make_error(ErrorCode::kTimeout,
                          fmt::format("send to {} not confirmed by the broker within {} ms", topic_, timeout.count())));
    }
  }
  (void)self;
}

asio::awaitable<Status> ProducerImpl::flush() {
  PK_CO_TRY(check_usable());
  flush_batch();
  while (!queue_.empty() && running()) {
    co_await queue_drained_.wait();
  }
  co_return check_usable();
}

asio::awaitable<Status> ProducerImpl::close() {
  if (closed()) {
    co_await join_tasks();  // another close is under way, or done: its tasks end with it
    co_return ok_status();
  }
  flush_batch();
  const auto deadline = Clock::now() + client_->options.operation_timeout;
  while (!queue_.empty() && running() && Clock::now() < deadline) co_await queue_drained_.wait_until(deadline);
  const bool failed = state_ == State::kFailed;
  begin_close();
  pb::BaseCommand cmd;
  cmd.set_type(pb::BaseCommand::CLOSE_PRODUCER);
  cmd.mutable_close_producer()->set_producer_id(producer_id().value);
  auto closing = request_on_current(std::move(cmd), "close producer on " + topic_);
  auto result = co_await std::move(closing);
  if (!result.ok()) client_log()->debug("{}", result.error().message);
  finish_close();
  fail_all(make_error(ErrorCode::kCancelled, "producer on " + topic_ + " closed before the broker confirmed"));
  co_await join_tasks();
  if (failed && failure_) co_return *failure_;
  co_return ok_status();
}

}  // namespace pk::pulsar
