#include "fake_broker.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include "pulsar/proto/frame_decoder.h"

namespace pk::testing {
namespace asio = boost::asio;
namespace {
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

// A command of `type` with its (possibly empty) sub-command present, as the codec requires.
pb::BaseCommand command(pb::BaseCommand::Type type) {
  pb::BaseCommand cmd;
  cmd.set_type(type);
  if (const auto* field = pb::BaseCommand::descriptor()->FindFieldByNumber(type)) {
    (void)pb::BaseCommand::GetReflection()->MutableMessage(&cmd, field);
  }
  return cmd;
}
}  // namespace

// ---- Session --------------------------------------------------------------------------------------------------

FakeBroker::Session::Session(FakeBroker& broker, asio::ip::tcp::socket socket)
    : broker_(broker),
      socket_(std::move(socket)),
      wake_(std::make_unique<asio::steady_timer>(socket_.get_executor())) {}

void FakeBroker::Session::send(const pb::BaseCommand& cmd) {
  if (!open_) return;
  proto::append_simple_command(out_, cmd);
  wake();
}

void FakeBroker::Session::send_payload(const pb::BaseCommand& cmd, const pb::MessageMetadata& metadata,
                                       std::string_view payload) {
  if (!open_) return;
  proto::append_payload_command(out_, cmd, metadata, payload);
  wake();
}

void FakeBroker::Session::send_raw(std::string_view bytes) {
  if (!open_) return;
  out_.append(bytes);
  wake();
}

void FakeBroker::Session::wake() {
  if (idle_) {
    idle_ = false;
    wake_->cancel();
  }
}

void FakeBroker::Session::close_after_flush() {
  closing_ = true;
  if (out_.empty() && writing_.empty()) close();
}

void FakeBroker::Session::close() {
  if (!open_) return;
  open_ = false;
  boost::system::error_code ignored;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
  wake_->cancel();
  broker_.on_session_closed(this);
}

asio::awaitable<void> FakeBroker::Session::write_loop(std::shared_ptr<Session> /*keep_alive*/) {
  while (open_) {
    if (out_.empty()) {
      idle_ = true;
      wake_->expires_at(asio::steady_timer::time_point::max());
      co_await wake_->async_wait(kTuple);
      idle_ = false;
      continue;
    }
    writing_.swap(out_);
    auto [ec, n] = co_await asio::async_write(socket_, asio::buffer(writing_), kTuple);
    (void)n;
    writing_.clear();
    if (ec || (closing_ && out_.empty())) {
      close();
      co_return;
    }
  }
}

asio::awaitable<void> FakeBroker::Session::read_loop(std::shared_ptr<Session> self) {
  proto::FrameDecoder decoder;
  while (open_) {
    auto room = decoder.prepare(64 * 1024);
    auto [ec, n] = co_await socket_.async_read_some(asio::buffer(room.data(), room.size()), kTuple);
    if (ec || broker_.stopped_) {
      close();
      co_return;
    }
    decoder.commit(n);
    for (;;) {
      auto next = decoder.next();
      if (!next.ok()) {
        close();
        co_return;
      }
      if (!next->has_value()) break;
      broker_.handle(self, **next);
      if (!open_) co_return;
    }
  }
}

// ---- Broker ---------------------------------------------------------------------------------------------------

FakeBroker::FakeBroker(asio::any_io_executor executor)
    : acceptor_(executor, asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
  asio::co_spawn(executor, accept_loop(), asio::detached);
}

FakeBroker::~FakeBroker() {
  stopped_ = true;
  boost::system::error_code ignored;
  acceptor_.close(ignored);
  close_all();
}

uint16_t FakeBroker::port() const {
  return acceptor_.local_endpoint().port();
}

std::string FakeBroker::url() const {
  return "pulsar://127.0.0.1:" + std::to_string(port());
}

asio::awaitable<void> FakeBroker::accept_loop() {
  for (;;) {
    auto [ec, socket] = co_await acceptor_.async_accept(kTuple);
    if (ec || stopped_) co_return;
    ++accepted_;
    std::shared_ptr<Session> session(new Session(*this, std::move(socket)));
    sessions_.push_back(session);
    auto ex = acceptor_.get_executor();
    asio::co_spawn(ex, session->read_loop(session), asio::detached);
    asio::co_spawn(ex, session->write_loop(session), asio::detached);
  }
}

void FakeBroker::on_session_closed(Session* session) {
  for (auto it = consumers_.begin(); it != consumers_.end();) {
    auto s = it->second.session.lock();
    if (s && s.get() != session) {
      ++it;
      continue;
    }
    it = release_consumer(it);
  }
}

std::map<uint64_t, FakeBroker::ConsumerState>::iterator FakeBroker::release_consumer(
    std::map<uint64_t, ConsumerState>::iterator it) {
  // Like a broker: what the consumer had not acked goes to the next consumer of the subscription.
  Subscription& sub = subscriptions_[it->second.topic + "|" + it->second.subscription];
  for (size_t index : it->second.outstanding) {
    if (!sub.acked.contains(index)) sub.redeliver.push_back(index);
  }
  return consumers_.erase(it);
}

size_t FakeBroker::open_sessions() const {
  size_t n = 0;
  for (const auto& w : sessions_) {
    if (auto s = w.lock(); s && s->is_open()) ++n;
  }
  return n;
}

void FakeBroker::close_all() {
  for (auto& w : sessions_) {
    if (auto s = w.lock()) s->close();
  }
}

void FakeBroker::send_raw_to_all(const std::string& bytes) {
  for (auto& w : sessions_) {
    if (auto s = w.lock()) s->send_raw(bytes);
  }
}

void FakeBroker::send_to_all(const pb::BaseCommand& cmd) {
  for (auto& w : sessions_) {
    if (auto s = w.lock()) s->send(cmd);
  }
}

size_t FakeBroker::count(pb::BaseCommand::Type type) const {
  size_t n = 0;
  for (const auto& c : commands_) n += c.type() == type ? 1 : 0;
  return n;
}

void FakeBroker::publish(const std::string& topic, pb::MessageMetadata metadata, std::string payload) {
  auto& log = topics_[topic];
  log.push_back(StoredMessage{1, static_cast<int64_t>(log.size()), std::move(metadata), std::move(payload)});
  for (auto& [id, c] : consumers_) {
    if (c.topic == topic) deliver(id);
  }
}

std::optional<int64_t> FakeBroker::persist(const proto::Frame& frame) {
  const auto& s = frame.command.send();
  sends_.push_back(SendSeen{s.producer_id(), s.sequence_id(), s.highest_sequence_id(), s.num_messages(), frame.metadata,
                            frame.payload});
  const std::string& name = producer_names_[s.producer_id()];
  const std::string& topic = producer_topics_[s.producer_id()];
  const uint64_t highest = std::max(s.sequence_id(), s.highest_sequence_id());
  auto last = last_sequence_.find({topic, name});
  if (dedup_ && last != last_sequence_.end() && static_cast<int64_t>(s.sequence_id()) <= last->second) {
    return std::nullopt;
  }
  last_sequence_[{topic, name}] = static_cast<int64_t>(highest);
  publish(topic, frame.metadata, frame.payload);
  return static_cast<int64_t>(topics_[topic].size() - 1);
}

void FakeBroker::handle(const std::shared_ptr<Session>& session, proto::Frame& frame) {
  commands_.push_back(frame.command);
  if (hook_ && hook_(*session, frame)) return;
  handle_default(session, frame);
}

void FakeBroker::deliver(uint64_t consumer_id) {
  auto cit = consumers_.find(consumer_id);
  if (cit == consumers_.end()) return;
  ConsumerState& c = cit->second;
  auto session = c.session.lock();
  if (!session || !session->is_open()) return;
  Subscription& sub = subscriptions_[c.topic + "|" + c.subscription];
  const auto topic = topics_.find(c.topic);
  if (topic == topics_.end()) return;  // nothing published yet, or deleted
  auto& log = topic->second;
  while (c.permits > 0) {
    size_t index;
    if (!sub.redeliver.empty()) {
      index = sub.redeliver.front();
      sub.redeliver.erase(sub.redeliver.begin());
      if (sub.acked.contains(index)) continue;
    } else if (sub.cursor < log.size()) {
      index = sub.cursor++;
      if (sub.acked.contains(index)) continue;
    } else {
      break;
    }
    const StoredMessage& m = log[index];
    auto cmd = command(pb::BaseCommand::MESSAGE);
    auto* msg = cmd.mutable_message();
    msg->set_consumer_id(consumer_id);
    msg->mutable_message_id()->set_ledgerid(static_cast<uint64_t>(m.ledger));
    msg->mutable_message_id()->set_entryid(static_cast<uint64_t>(m.entry));
    msg->set_redelivery_count(sub.redelivery_counts[index]);
    session->send_payload(cmd, m.metadata, m.payload);
    c.outstanding.insert(index);
    const uint64_t n = static_cast<uint64_t>(m.metadata.num_messages_in_batch());
    c.permits = c.permits > n ? c.permits - n : 0;
  }
}

void FakeBroker::handle_default(const std::shared_ptr<Session>& session, proto::Frame& frame) {
  const pb::BaseCommand& cmd = frame.command;
  switch (cmd.type()) {
    case pb::BaseCommand::CONNECT: {
      connects_.push_back(cmd.connect());
      if (!required_token_.empty() &&
          (cmd.connect().auth_method_name() != "token" || cmd.connect().auth_data() != required_token_)) {
        auto err = command(pb::BaseCommand::ERROR);
        err.mutable_error()->set_request_id(0);
        err.mutable_error()->set_error(pb::AuthenticationError);
        err.mutable_error()->set_message("Unable to authenticate");
        session->send(err);
        session->close_after_flush();
        return;
      }
      if (challenge_on_connect_) {
        auto challenge = command(pb::BaseCommand::AUTH_CHALLENGE);
        challenge.mutable_authchallenge()->mutable_challenge()->set_auth_method_name("token");
        challenge.mutable_authchallenge()->mutable_challenge()->set_auth_data("refresh");
        session->send(challenge);
        return;
      }
      [[fallthrough]];
    }
    case pb::BaseCommand::AUTH_RESPONSE: {
      if (cmd.type() == pb::BaseCommand::AUTH_RESPONSE) {
        auth_responses_.push_back(cmd.authresponse());
        if (!required_token_.empty() && cmd.authresponse().response().auth_data() != required_token_) {
          session->close();
          return;
        }
        if (!challenge_on_connect_) return;  // a refresh on an established connection needs no answer
      }
      auto connected = command(pb::BaseCommand::CONNECTED);
      connected.mutable_connected()->set_server_version("fake-broker");
      connected.mutable_connected()->set_protocol_version(
          cmd.type() == pb::BaseCommand::CONNECT ? std::min(cmd.connect().protocol_version(), 21) : 21);
      connected.mutable_connected()->set_max_message_size(max_message_size_);
      session->send(connected);
      return;
    }
    case pb::BaseCommand::PING:
      if (answer_pings_) session->send(command(pb::BaseCommand::PONG));
      return;
    case pb::BaseCommand::PARTITIONED_METADATA: {
      auto r = command(pb::BaseCommand::PARTITIONED_METADATA_RESPONSE);
      r.mutable_partitionmetadataresponse()->set_request_id(cmd.partitionmetadata().request_id());
      r.mutable_partitionmetadataresponse()->set_response(pb::CommandPartitionedTopicMetadataResponse::Success);
      auto it = partitions_.find(cmd.partitionmetadata().topic());
      r.mutable_partitionmetadataresponse()->set_partitions(it == partitions_.end() ? 0 : it->second);
      session->send(r);
      return;
    }
    case pb::BaseCommand::LOOKUP: {
      auto r = command(pb::BaseCommand::LOOKUP_RESPONSE);
      auto* l = r.mutable_lookuptopicresponse();
      l->set_request_id(cmd.lookuptopic().request_id());
      l->set_response(pb::CommandLookupTopicResponse::Connect);
      l->set_brokerserviceurl(url());
      l->set_authoritative(true);
      session->send(r);
      return;
    }
    case pb::BaseCommand::PRODUCER: {
      const auto& p = cmd.producer();
      std::string name = p.has_producer_name() ? p.producer_name() : "fake-" + std::to_string(next_producer_name_++);
      producer_topics_[p.producer_id()] = p.topic();
      producer_names_[p.producer_id()] = name;
      auto r = command(pb::BaseCommand::PRODUCER_SUCCESS);
      r.mutable_producer_success()->set_request_id(p.request_id());
      r.mutable_producer_success()->set_producer_name(name);
      auto last = last_sequence_.find({p.topic(), name});
      r.mutable_producer_success()->set_last_sequence_id(last == last_sequence_.end() ? -1 : last->second);
      session->send(r);
      return;
    }
    case pb::BaseCommand::SEND: {
      const auto& s = cmd.send();
      auto r = command(pb::BaseCommand::SEND_RECEIPT);
      auto* receipt = r.mutable_send_receipt();
      receipt->set_producer_id(s.producer_id());
      receipt->set_sequence_id(s.sequence_id());
      receipt->set_highest_sequence_id(s.highest_sequence_id());
      const auto entry = persist(frame);
      receipt->mutable_message_id()->set_ledgerid(entry ? 1 : static_cast<uint64_t>(-1));
      receipt->mutable_message_id()->set_entryid(entry ? static_cast<uint64_t>(*entry) : static_cast<uint64_t>(-1));
      session->send(r);
      return;
    }
    case pb::BaseCommand::SUBSCRIBE: {
      const auto& s = cmd.subscribe();
      consumers_[s.consumer_id()] = ConsumerState{session, s.topic(), s.subscription(), 0, {}};
      auto& sub = subscriptions_[s.topic() + "|" + s.subscription()];
      (void)sub;
      auto r = command(pb::BaseCommand::SUCCESS);
      r.mutable_success()->set_request_id(s.request_id());
      session->send(r);
      return;
    }
    case pb::BaseCommand::FLOW: {
      auto it = consumers_.find(cmd.flow().consumer_id());
      if (it == consumers_.end()) return;
      it->second.permits += cmd.flow().messagepermits();
      deliver(cmd.flow().consumer_id());
      return;
    }
    case pb::BaseCommand::ACK: {
      acks_.push_back(cmd.ack());
      auto it = consumers_.find(cmd.ack().consumer_id());
      if (it == consumers_.end()) return;
      Subscription& sub = subscriptions_[it->second.topic + "|" + it->second.subscription];
      for (const auto& id : cmd.ack().message_id()) {
        if (id.ack_set_size() > 0) continue;  // partial batch ack: the entry stays
        if (cmd.ack().ack_type() == pb::CommandAck::Cumulative) {
          for (size_t i = 0; i <= id.entryid(); ++i) sub.acked.insert(i);
        } else {
          sub.acked.insert(static_cast<size_t>(id.entryid()));
        }
      }
      if (cmd.ack().has_request_id()) {
        auto r = command(pb::BaseCommand::ACK_RESPONSE);
        r.mutable_ackresponse()->set_consumer_id(cmd.ack().consumer_id());
        r.mutable_ackresponse()->set_request_id(cmd.ack().request_id());
        session->send(r);
      }
      return;
    }
    case pb::BaseCommand::REDELIVER_UNACKNOWLEDGED_MESSAGES: {
      const auto& r = cmd.redeliverunacknowledgedmessages();
      auto it = consumers_.find(r.consumer_id());
      if (it == consumers_.end()) return;
      Subscription& sub = subscriptions_[it->second.topic + "|" + it->second.subscription];
      for (const auto& id : r.message_ids()) {
        const auto index = static_cast<size_t>(id.entryid());
        sub.redeliver.push_back(index);
        ++sub.redelivery_counts[index];
        ++it->second.permits;  // the broker returns the permits of redelivered messages
      }
      deliver(r.consumer_id());
      return;
    }
    case pb::BaseCommand::CLOSE_PRODUCER:
    case pb::BaseCommand::CLOSE_CONSUMER:
    case pb::BaseCommand::UNSUBSCRIBE: {
      uint64_t request_id = cmd.type() == pb::BaseCommand::CLOSE_PRODUCER   ? cmd.close_producer().request_id()
                            : cmd.type() == pb::BaseCommand::CLOSE_CONSUMER ? cmd.close_consumer().request_id()
                                                                            : cmd.unsubscribe().request_id();
      if (cmd.type() == pb::BaseCommand::CLOSE_CONSUMER) {
        auto it = consumers_.find(cmd.close_consumer().consumer_id());
        if (it != consumers_.end()) release_consumer(it);
      }
      auto r = command(pb::BaseCommand::SUCCESS);
      r.mutable_success()->set_request_id(request_id);
      session->send(r);
      return;
    }
    case pb::BaseCommand::GET_TOPICS_OF_NAMESPACE: {
      auto r = command(pb::BaseCommand::GET_TOPICS_OF_NAMESPACE_RESPONSE);
      r.mutable_gettopicsofnamespaceresponse()->set_request_id(cmd.gettopicsofnamespace().request_id());
      const std::string prefix = "persistent://" + cmd.gettopicsofnamespace().namespace_() + "/";
      for (const auto& [topic, log] : topics_) {
        if (topic.starts_with(prefix)) r.mutable_gettopicsofnamespaceresponse()->add_topics(topic);
      }
      session->send(r);
      return;
    }
    case pb::BaseCommand::GET_SCHEMA: {
      auto r = command(pb::BaseCommand::GET_SCHEMA_RESPONSE);
      r.mutable_getschemaresponse()->set_request_id(cmd.getschema().request_id());
      r.mutable_getschemaresponse()->set_error_code(pb::TopicNotFound);
      r.mutable_getschemaresponse()->set_error_message("Topic not found or no-schema");
      session->send(r);
      return;
    }
    default:
      return;
  }
}

}  // namespace pk::testing
