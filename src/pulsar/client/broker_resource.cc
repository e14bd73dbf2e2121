#include "pulsar/client/broker_resource.h"

#include <fmt/format.h>

#include "common/backoff.h"
#include "common/log.h"

namespace pk::pulsar {
namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

namespace {
// A connection that lasted this long resets the reconnect backoff.
constexpr auto kStableConnection = std::chrono::seconds(5);
}  // namespace

BrokerResource::BrokerResource(std::shared_ptr<ClientState> client, std::string topic, ResourceId id)
    : client_(std::move(client)), topic_(std::move(topic)), id_(id), tasks_(client_->executor) {}

BrokerResource::~BrokerResource() {
  if (connection_) unregister_from(*connection_);
}

void BrokerResource::register_on(Connection& conn) {
  if (const auto* producer = std::get_if<ProducerId>(&id_)) {
    conn.register_producer(*producer, this);
  } else {
    conn.register_consumer(std::get<ConsumerId>(id_), this);
  }
}

void BrokerResource::unregister_from(Connection& conn) {
  if (const auto* producer = std::get_if<ProducerId>(&id_)) {
    conn.unregister_producer(*producer);
  } else {
    conn.unregister_consumer(std::get<ConsumerId>(id_));
  }
}

bool BrokerResource::fatal(const Error& error) const {
  if (always_fatal(error)) return true;
  if (created_) return error.code == ErrorCode::kCancelled;  // once it worked, everything else is retried
  return !error.retryable();
}

Status BrokerResource::check_usable() const {
  switch (state_) {
    case State::kClosing:
    case State::kClosed:
      return make_error(
          ErrorCode::kCancelled,
          fmt::format("{} on {} is closed", std::holds_alternative<ProducerId>(id_) ? "producer" : "consumer", topic_));
    case State::kFailed:
      return *failure_;
    default:
      return ok_status();
  }
}

asio::awaitable<Status> BrokerResource::start_attached(std::shared_ptr<BrokerResource> self, std::string what) {
  self->client_->track(self);
  self->tasks_.spawn(self->connection_loop(self));
  const auto deadline = Clock::now() + self->client_->options.operation_timeout;
  while (self->state_ == State::kConnecting && Clock::now() < deadline) {
    co_await self->state_changed_.wait_until(deadline);
  }
  if (self->state_ == State::kReady) co_return ok_status();
  Error error = self->failure_      ? *self->failure_
                : self->last_error_ ? self->last_error_->with_context(what)
                                    : make_error(ErrorCode::kTimeout, what + ": timed out");
  self->state_ = State::kClosed;
  self->state_changed_.notify_all();
  self->tasks_.cancel_all();  // the connection loop ends at once
  co_return error;
}

asio::awaitable<void> BrokerResource::connection_loop(std::shared_ptr<BrokerResource> self) {
  Backoff backoff = client_->make_backoff();
  Clock::time_point connected_at{};
  while (running()) {
    if (state_ == State::kReady) {
      co_await state_changed_.wait();
      if (state_ != State::kConnecting) continue;
      // A connection that dropped soon after it was made (a broker that keeps failing us) does not earn an
      // immediate reconnect: keep backing off until one stays up.
      if (Clock::now() - connected_at < kStableConnection) {
        co_await state_changed_.wait_until(Clock::now() + backoff.next());
      } else {
        backoff.reset();
      }
      continue;
    }
    auto status = co_await connect_once();
    if (status.ok()) {
      connected_at = Clock::now();
      continue;
    }
    if (state_ != State::kConnecting) break;
    last_error_ = status.error();
    on_attach_error(status.error());
    if (fatal(status.error())) {
      fail(status.error());
      break;
    }
    const auto delay = backoff.next();
    pk::logger("pulsar")->warn("{} (retrying in {} ms)", status.error().message, delay.count());
    co_await state_changed_.wait_until(Clock::now() + delay);
  }
  (void)self;
}

asio::awaitable<Status> BrokerResource::connect_once() {
  auto looking = client_->lookup.lookup(topic_);
  PK_CO_ASSIGN_OR_RETURN(auto address, co_await std::move(looking));
  auto getting = client_->pool.get(address.logical_url, address.physical, address.proxy_to_broker);
  PK_CO_ASSIGN_OR_RETURN(auto conn, co_await std::move(getting));
  if (state_ != State::kConnecting) co_return make_error(ErrorCode::kCancelled, "closed while connecting");
  register_on(*conn);
  auto attaching = attach(conn);
  auto status = co_await std::move(attaching);
  if (status.ok() && (state_ != State::kConnecting || !conn->is_open())) {
    status = make_error(ErrorCode::kUnavailable, "closed, or connection lost, while attaching to " + topic_);
  }
  if (!status.ok()) {
    unregister_from(*conn);
    co_return status;
  }
  created_ = true;
  ++attaches_;
  connection_ = std::move(conn);
  state_ = State::kReady;
  on_attached();
  state_changed_.notify_all();
  co_return ok_status();
}

void BrokerResource::detach(const Error& reason, bool close_connection) {
  if (state_ != State::kReady) return;
  state_ = State::kConnecting;
  last_error_ = reason;
  auto conn = std::move(connection_);
  connection_.reset();
  if (conn) {
    unregister_from(*conn);
    if (close_connection) conn->close(reason);
  }
  state_changed_.notify_all();
}

void BrokerResource::on_connection_closed(const Error& reason) {
  connection_.reset();  // the connection has already unregistered us
  if (state_ != State::kReady) return;
  state_ = State::kConnecting;
  last_error_ = reason;
  state_changed_.notify_all();
}

asio::awaitable<Status> BrokerResource::request_on_current(pb::BaseCommand cmd, std::string what) {
  if (!connection_ || !connection_->is_open()) co_return make_error(ErrorCode::kUnavailable, what + ": not connected");
  auto conn = connection_;
  auto requesting = conn->request(std::move(cmd), std::move(what));
  auto result = co_await std::move(requesting);
  if (!result.ok()) co_return std::move(result).error();
  co_return ok_status();
}

void BrokerResource::fail(const Error& error) {
  failure_ = error;
  state_ = State::kFailed;
  on_failed(*failure_);
  state_changed_.notify_all();
  tasks_.cancel_all();
}

void BrokerResource::begin_close() {
  state_ = State::kClosing;
  state_changed_.notify_all();
  tasks_.cancel_all();
}

asio::awaitable<void> BrokerResource::join_tasks() {
  co_await tasks_.join();
}

asio::awaitable<void> BrokerResource::close_for_client() {
  if (running()) fail(make_error(ErrorCode::kCancelled, "the Pulsar client was closed"));
  tasks_.cancel_all();
  co_await tasks_.join();
}

void BrokerResource::finish_close() {
  if (connection_) unregister_from(*connection_);
  connection_.reset();
  state_ = State::kClosed;
  state_changed_.notify_all();
}

}  // namespace pk::pulsar
