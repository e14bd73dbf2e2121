#include "pulsar/client/consumer_impl.h"

#include <algorithm>
#include <array>
#include <random>

#include <fmt/format.h>

#include "common/log.h"
#include "pulsar/client/client_log.h"
#include "pulsar/client/received_entry.h"
#include "pulsar/proto/batch.h"
#include "pulsar/proto/compression.h"
#include "pulsar/proto/frame.h"

namespace pk::pulsar {
namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

namespace {

pb::BaseCommand command(pb::BaseCommand::Type type) {
  pb::BaseCommand cmd;
  cmd.set_type(type);
  return cmd;
}

void set_id(pb::MessageIdData* out, const MessageId& id) {
  out->set_ledgerid(static_cast<uint64_t>(id.ledger));
  out->set_entryid(static_cast<uint64_t>(id.entry));
  if (id.partition >= 0) out->set_partition(id.partition);
}

}  // namespace

ConsumerImpl::ConsumerImpl(std::shared_ptr<ClientState> client, const ConsumerOptions& options, std::string topic,
                           int partition, uint32_t source, std::shared_ptr<ReceiveQueue> queue)
    : BrokerResource(client, std::move(topic), client->new_consumer_id()),
      options_(options),
      partition_(partition),
      source_(source),
      queue_(std::move(queue)),
      consumer_name_(options.consumer_name),
      max_message_size_(proto::kDefaultMaxMessageSize),
      flow_(options.receiver_queue_size),
      acks_(options.ack_group_time, options.ack_group_max),
      nacks_(options.negative_ack_delay) {
  if (consumer_name_.empty()) consumer_name_ = fmt::format("pk-{:x}-{}", std::random_device{}(), consumer_id().value);
}

asio::awaitable<Status> ConsumerImpl::start(std::shared_ptr<ConsumerImpl> self) {
  auto starting = start_attached(self, "subscribe to " + self->topic_);
  PK_CO_TRY(co_await std::move(starting));
  self->tasks_.spawn(self->ack_loop(self));
  self->tasks_.spawn(self->nack_loop(self));
  co_return ok_status();
}

bool ConsumerImpl::always_fatal(const Error& e) const {
  static constexpr std::array<std::string_view, 6> kFatal = {"InvalidTopicName",        "IncompatibleSchema",
                                                             "NotAllowedError",         "TopicNotFound",
                                                             "UnsupportedVersionError", "SubscriptionNotFound"};
  return std::find(kFatal.begin(), kFatal.end(), e.type) != kFatal.end();
}

void ConsumerImpl::on_failed(const Error& error) {
  if (!queue_->failure) queue_->failure = error.with_context("consumer on " + topic_);
  queue_->arrived.notify_all();
}

asio::awaitable<Status> ConsumerImpl::attach(std::shared_ptr<Connection> conn) {
  auto cmd = command(pb::BaseCommand::SUBSCRIBE);
  auto* s = cmd.mutable_subscribe();
  s->set_topic(topic_);
  s->set_subscription(options_.subscription);
  s->set_subtype(static_cast<pb::CommandSubscribe::SubType>(options_.type));
  s->set_consumer_id(consumer_id().value);
  s->set_consumer_name(consumer_name_);
  if (options_.priority_level != 0) s->set_priority_level(options_.priority_level);
  s->set_durable(options_.durable);
  if (options_.read_compacted) s->set_read_compacted(true);
  s->set_initialposition(static_cast<pb::CommandSubscribe::InitialPosition>(options_.initial_position));
  for (const auto& [k, v] : options_.properties) {
    auto* kv = s->add_metadata();
    kv->set_key(k);
    kv->set_value(v);
  }
  if (options_.type == SubscriptionType::kKeyShared) {
    s->mutable_keysharedmeta()->set_keysharedmode(pb::AUTO_SPLIT);
  }
  s->set_consumer_epoch(epoch_);
  auto subscribing = conn->request(std::move(cmd), "subscribe to " + topic_);
  PK_CO_TRY(co_await std::move(subscribing));
  max_message_size_ = conn->max_message_size();
  co_return ok_status();
}

void ConsumerImpl::on_attached() {
  // Whatever this consumer had queued and not handed out will come again from the broker.
  clear_queued();
  auto flow = command(pb::BaseCommand::FLOW);
  flow.mutable_flow()->set_consumer_id(consumer_id().value);
  flow.mutable_flow()->set_messagepermits(flow_.on_subscribed());
  connection_->send_command(flow);
  flush_acks();  // acks made while disconnected
  if (attaches_ > 1)
    client_log()->info("consumer {} on {} resubscribed via {}", consumer_name_, topic_, connection_->peer());
}

void ConsumerImpl::clear_queued() {
  std::erase_if(queue_->messages, [this](const Message& m) { return m.id().source == source_; });
}

void ConsumerImpl::on_frame(proto::Frame& frame) {
  const auto& cmd = frame.command;
  switch (cmd.type()) {
    case pb::BaseCommand::MESSAGE:
      return handle_message(frame);
    case pb::BaseCommand::CLOSE_CONSUMER:
      client_log()->info("consumer {} on {}: the broker closed it; resubscribing", consumer_name_, topic_);
      return detach(make_error(ErrorCode::kUnavailable, "broker closed the consumer on " + topic_), false);
    case pb::BaseCommand::TOPIC_MIGRATED:
      return detach(make_error(ErrorCode::kUnavailable, "topic " + topic_ + " migrated"), false);
    case pb::BaseCommand::ACTIVE_CONSUMER_CHANGE:
      active_ = cmd.active_consumer_change().is_active();
      return;
    case pb::BaseCommand::REACHED_END_OF_TOPIC:
      reached_end_ = true;
      queue_->arrived.notify_all();
      return;
    default:
      return;
  }
}

void ConsumerImpl::return_permits(uint32_t n) {
  const uint32_t grant = flow_.on_consumed(n);
  if (grant == 0 || !connection_ || state_ != State::kReady) return;
  auto flow = command(pb::BaseCommand::FLOW);
  flow.mutable_flow()->set_consumer_id(consumer_id().value);
  flow.mutable_flow()->set_messagepermits(grant);
  connection_->send_command(flow);
}

void ConsumerImpl::message_taken() {
  return_permits(1);
}

void ConsumerImpl::discard(const pb::CommandMessage& message, pb::CommandAck::ValidationError why, uint32_t permits) {
  client_log()->warn("consumer on {}: discarding entry {}:{} ({})", topic_, message.message_id().ledgerid(),
                     message.message_id().entryid(), pb::CommandAck::ValidationError_Name(why));
  if (connection_) {
    auto ack = command(pb::BaseCommand::ACK);
    auto* a = ack.mutable_ack();
    a->set_consumer_id(consumer_id().value);
    a->set_ack_type(pb::CommandAck::Individual);
    *a->add_message_id() = message.message_id();
    a->set_validation_error(why);
    connection_->send_command(ack);
  }
  return_permits(permits);
}

void ConsumerImpl::handle_message(proto::Frame& frame) {
  const pb::CommandMessage& m = frame.command.message();
  const uint32_t num = frame.has_payload && frame.metadata.has_num_messages_in_batch()
                           ? static_cast<uint32_t>(std::max(1, frame.metadata.num_messages_in_batch()))
                           : 1;
  if (!frame.has_payload) return discard(m, pb::CommandAck::BatchDeSerializeError, 1);
  if (!frame.checksum_valid) return discard(m, pb::CommandAck::ChecksumMismatch, num);
  if (m.has_consumer_epoch() && m.consumer_epoch() < epoch_) {
    return return_permits(num);  // sent before a redeliver-all: the broker sends it again
  }
  MessageId base;
  base.ledger = static_cast<int64_t>(m.message_id().ledgerid());
  base.entry = static_cast<int64_t>(m.message_id().entryid());
  base.partition = partition_;
  base.source = source_;
  if (acks_.is_acked(base)) return return_permits(num);  // acked a moment ago; the ack is on its way

  auto entry = std::make_shared<ReceivedEntry>();
  entry->topic = topic_;
  entry->redelivery_count = m.redelivery_count();
  entry->metadata = std::move(frame.metadata);
  const auto& md = entry->metadata;
  if (md.encryption_keys_size() > 0) {
    // An encrypted entry (we hold no keys to decrypt it): delivered whole and as it is, like the Java client with
    // ConsumerCryptoFailureAction.CONSUME. The payload was compressed before it was encrypted, so it can neither be
    // decompressed nor split into its batch's messages; the metadata (keys, algorithm, param, compression,
    // batch size) travels with it for a consumer that can decrypt. One message stands for the whole entry.
    entry->payload = std::move(frame.payload);
    entry->batched = false;
    queue_->messages.emplace_back(std::move(entry), 0, base);
    if (num > 1) return_permits(num - 1);
    queue_->arrived.notify_all();
    return;
  }
  if (md.compression() != pb::NONE) {
    auto plain = proto::decompress(md.compression(), frame.payload, md.uncompressed_size(), max_message_size_);
    if (!plain.ok()) {
      client_log()->warn("consumer on {}: {}", topic_, plain.error().message);
      return discard(m, pb::CommandAck::DecompressionError, num);
    }
    entry->payload = std::move(*plain);
  } else {
    entry->payload = std::move(frame.payload);
  }
  entry->batched = md.has_num_messages_in_batch();
  if (!entry->batched) {
    queue_->messages.emplace_back(std::move(entry), 0, base);
    queue_->arrived.notify_all();
    return;
  }
  auto split = proto::split_batch(entry->payload, static_cast<int>(num));
  if (!split.ok()) {
    client_log()->warn("consumer on {}: {}", topic_, split.error().message);
    return discard(m, pb::CommandAck::BatchDeSerializeError, num);
  }
  entry->singles = std::move(*split);
  base.batch_size = static_cast<int32_t>(num);
  const EntryKey key{base.ledger, base.entry};
  auto known = batch_acks_.find(key);
  uint32_t skipped = 0;
  std::shared_ptr<const ReceivedEntry> shared = std::move(entry);
  for (uint32_t i = 0; i < num; ++i) {
    const auto index = static_cast<int32_t>(i);
    const bool acked_before =
        !proto::should_deliver(m.ack_set(), index) || (known != batch_acks_.end() && !known->second.get(index));
    if (acked_before || shared->singles[i].metadata.compacted_out()) {
      // Never handed out, so never acked by the application: count it as acked in the entry's set.
      if (known == batch_acks_.end()) {
        known = batch_acks_.emplace(key, proto::AckSet::all_unacked(static_cast<int32_t>(num))).first;
      }
      known->second.clear(index);
      ++skipped;
      continue;
    }
    MessageId id = base;
    id.batch_index = index;
    queue_->messages.emplace_back(shared, i, id);
  }
  if (known != batch_acks_.end() && known->second.none()) {
    batch_acks_.erase(known);
    if (acks_.add_individual(base)) flush_acks();
  }
  if (skipped > 0) return_permits(skipped);
  if (skipped < num) queue_->arrived.notify_all();
}

Status ConsumerImpl::acknowledge(const MessageId& id) {
  if (state_ == State::kClosed) return make_error(ErrorCode::kCancelled, "consumer on " + topic_ + " is closed");
  MessageId entry = id.entry_id();
  std::vector<int64_t> ack_set;
  if (id.is_batched() && id.batch_size > 1) {
    const EntryKey key{id.ledger, id.entry};
    auto it = batch_acks_.find(key);
    if (it == batch_acks_.end()) it = batch_acks_.emplace(key, proto::AckSet::all_unacked(id.batch_size)).first;
    it->second.clear(id.batch_index);
    if (!it->second.none()) {
      if (!options_.batch_index_ack) return ok_status();  // the entry is acked when all its messages are
      ack_set = it->second.to_words();
      entry.batch_size = id.batch_size;
    } else {
      batch_acks_.erase(it);
    }
  }
  if (acks_.add_individual(entry, std::move(ack_set))) {
    flush_acks();
  } else {
    acks_pending_.notify_all();
  }
  return ok_status();
}

Status ConsumerImpl::acknowledge_cumulative(const MessageId& id) {
  if (state_ == State::kClosed) return make_error(ErrorCode::kCancelled, "consumer on " + topic_ + " is closed");
  if (options_.type == SubscriptionType::kShared || options_.type == SubscriptionType::kKeyShared) {
    return make_error(ErrorCode::kInvalidArgument,
                      "cumulative acks are not allowed on Shared/Key_Shared subscriptions");
  }
  MessageId target = id.entry_id();
  std::vector<int64_t> ack_set;
  if (id.is_batched() && id.batch_index < id.batch_size - 1) {
    if (options_.batch_index_ack) {
      auto set = proto::AckSet::all_unacked(id.batch_size);
      for (int32_t i = 0; i <= id.batch_index; ++i) set.clear(i);
      ack_set = set.to_words();
      target.batch_size = id.batch_size;
    } else {
      // Part of this entry is not covered yet: acknowledge up to the entry before it.
      if (id.entry == 0) return ok_status();
      target.entry = id.entry - 1;
    }
  }
  // Partly-acked batches at or below the cumulative position are covered now.
  const EntryKey upto{target.ledger, target.entry};
  for (auto it = batch_acks_.begin(); it != batch_acks_.end() && it->first <= upto;) {
    it = batch_acks_.erase(it);
  }
  if (acks_.add_cumulative(target, std::move(ack_set))) {
    flush_acks();
  } else {
    acks_pending_.notify_all();
  }
  return ok_status();
}

void ConsumerImpl::send_ack_command(pb::CommandAck::AckType type, const std::vector<AckEntry>& ids) {
  auto ack = command(pb::BaseCommand::ACK);
  auto* a = ack.mutable_ack();
  a->set_consumer_id(consumer_id().value);
  a->set_ack_type(type);
  for (const AckEntry& e : ids) {
    auto* id = a->add_message_id();
    set_id(id, e.id);
    for (int64_t w : e.ack_set) id->add_ack_set(w);
    if (!e.ack_set.empty()) id->set_batch_size(e.id.batch_size);
  }
  connection_->send_command(ack);
}

void ConsumerImpl::flush_acks() {
  if (acks_.empty() || state_ != State::kReady || !connection_) return;
  auto pending = acks_.take();
  if (!pending.individual.empty()) send_ack_command(pb::CommandAck::Individual, pending.individual);
  if (pending.cumulative) send_ack_command(pb::CommandAck::Cumulative, {*pending.cumulative});
}

void ConsumerImpl::negative_acknowledge(const MessageId& id) {
  const bool was_empty = nacks_.empty();
  nacks_.add(id, Clock::now());
  if (was_empty) nacks_pending_.notify_all();
}

void ConsumerImpl::redeliver(const std::vector<MessageId>& ids) {
  if (ids.empty() || state_ != State::kReady || !connection_) return;
  flush_acks();  // what was acked must not come back
  auto cmd = command(pb::BaseCommand::REDELIVER_UNACKNOWLEDGED_MESSAGES);
  auto* r = cmd.mutable_redeliverunacknowledgedmessages();
  r->set_consumer_id(consumer_id().value);
  if (options_.type == SubscriptionType::kShared || options_.type == SubscriptionType::kKeyShared) {
    for (const auto& id : ids) {
      set_id(r->add_message_ids(), id);
      batch_acks_.erase(EntryKey{id.ledger, id.entry});
    }
  } else {
    // Exclusive/Failover cannot redeliver single entries: everything unacked comes again under a new epoch, and
    // what is queued from the old epoch is dropped.
    r->set_consumer_epoch(++epoch_);
    clear_queued();
    batch_acks_.clear();
  }
  connection_->send_command(cmd);
}

asio::awaitable<void> ConsumerImpl::ack_loop(std::shared_ptr<ConsumerImpl> self) {
  const auto interval = options_.ack_group_time.count() > 0 ? options_.ack_group_time : std::chrono::milliseconds(100);
  while (running()) {
    if (acks_.empty()) {
      co_await acks_pending_.wait();
      continue;
    }
    co_await state_changed_.wait_until(Clock::now() + interval);
    flush_acks();
  }
  (void)self;
}

asio::awaitable<void> ConsumerImpl::nack_loop(std::shared_ptr<ConsumerImpl> self) {
  while (running()) {
    const auto next = nacks_.next_due();
    if (!next) {
      co_await nacks_pending_.wait();
      continue;
    }
    if (Clock::now() < *next) {
      co_await nacks_pending_.wait_until(*next);
      continue;
    }
    redeliver(nacks_.take_due(Clock::now()));
  }
  (void)self;
}

asio::awaitable<Status> ConsumerImpl::leave(pb::BaseCommand cmd, std::string what) {
  flush_acks();
  begin_close();
  auto leaving = request_on_current(std::move(cmd), std::move(what));
  auto result = co_await std::move(leaving);
  finish_close();
  clear_queued();
  co_await join_tasks();
  co_return result;
}

asio::awaitable<Status> ConsumerImpl::close() {
  if (closed()) {
    co_await join_tasks();  // another close is under way, or done: its tasks end with it
    co_return ok_status();
  }
  auto cmd = command(pb::BaseCommand::CLOSE_CONSUMER);
  cmd.mutable_close_consumer()->set_consumer_id(consumer_id().value);
  auto leaving = leave(std::move(cmd), "close consumer on " + topic_);
  auto result = co_await std::move(leaving);
  if (!result.ok()) client_log()->debug("{}", result.error().message);
  co_return ok_status();
}

asio::awaitable<Status> ConsumerImpl::unsubscribe() {
  PK_CO_TRY(check_usable());
  auto cmd = command(pb::BaseCommand::UNSUBSCRIBE);
  cmd.mutable_unsubscribe()->set_consumer_id(consumer_id().value);
  auto leaving = leave(std::move(cmd), "unsubscribe from " + topic_);
  co_return co_await std::move(leaving);
}

}  // namespace pk::pulsar
