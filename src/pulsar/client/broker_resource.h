#pragma once
// What producers and consumers have in common: staying attached to the broker that serves their topic.
//
//             start()                     attach ok                 connection closed / CLOSE_* / detach()
//   kConnecting ------> lookup + pool + attach() ------> kReady --------------------------------------> kConnecting
//        |  retryable error: backoff, again                 |                     (backoff unless it was up >= 5 s)
//        |  fatal error (always_fatal(), or any non-retryable one before the first attach): kFailed
//        `-- close: kClosing -> kClosed
//
// The subclass does the protocol part (attach(): PRODUCER or SUBSCRIBE; on_attached(): resend / FLOW) and says
// which broker errors end it for good. Lives on the client's loop. Its background coroutines (the connection loop
// here, the ack / batch / timeout loops of the subclasses) run in `tasks_` and hold a shared_ptr to the object, so
// it stays alive until they have ended; they end once it is closed or failed, and close() waits for them
// (join_tasks()). Registered with the client (ClientState::track) so that closing the client stops it.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "common/result.h"
#include "net/loop_condition.h"
#include "net/task_group.h"
#include "pulsar/client/client_state.h"
#include "pulsar/client/connection.h"
#include "pulsar/client/ids.h"

namespace pk::pulsar {

class BrokerResource : public ConnectionListener, public ClientResource {
 public:
  enum class State { kConnecting, kReady, kClosing, kClosed, kFailed };
  // A producer's id or a consumer's: which one also says what the resource is.
  using ResourceId = std::variant<ProducerId, ConsumerId>;

  ~BrokerResource() override;
  BrokerResource(const BrokerResource&) = delete;
  BrokerResource& operator=(const BrokerResource&) = delete;

  const std::string& topic() const { return topic_; }
  bool connected() const { return state_ == State::kReady; }
  bool closed() const { return state_ == State::kClosing || state_ == State::kClosed; }
  // Successful attaches so far (1 after start; more after reconnects).
  uint64_t attaches() const { return attaches_; }

  void on_connection_closed(const Error& reason) final;
  // ClientResource: fails what waits with kCancelled (unless already closed or failed) and ends the tasks.
  boost::asio::awaitable<void> close_for_client() final;
  // Background coroutines still running (tests).
  size_t running_tasks() const { return tasks_.size(); }

 protected:
  BrokerResource(std::shared_ptr<ClientState> client, std::string topic, ResourceId id);

  // Creates the producer/consumer on `conn` (already registered for this id). The base keeps `conn` when it
  // returns ok and the resource was not closed meanwhile.
  virtual boost::asio::awaitable<Status> attach(std::shared_ptr<Connection> conn) = 0;
  // Now kReady on connection_ (resend pending sends, grant permits, ...).
  virtual void on_attached() = 0;
  // Broker errors that end the resource even after it worked once.
  virtual bool always_fatal(const Error& error) const = 0;
  // The resource failed for good (fail what waits).
  virtual void on_failed(const Error& error) = 0;
  // An attach failed and will be retried.
  virtual void on_attach_error(const Error& error) { (void)error; }

  // The first attach, retrying retryable errors until the operation timeout; tracks the resource with the client
  // and starts the connection loop. `what` names the operation in errors ("create producer on <topic>").
  static boost::asio::awaitable<Status> start_attached(std::shared_ptr<BrokerResource> self, std::string what);
  // Ready -> connecting: drop the connection (closing it when the broker misbehaved on it), reconnect later.
  void detach(const Error& reason, bool close_connection);
  // Sends CLOSE_PRODUCER, CLOSE_CONSUMER or UNSUBSCRIBE (request id filled in here) on the current connection
  // and waits for the answer.
  boost::asio::awaitable<Status> request_on_current(pb::BaseCommand cmd, std::string what);
  // kClosing: wakes every loop (and interrupts what it waits on) so it can end.
  void begin_close();
  // kClosed: leaves the connection.
  void finish_close();
  // Waits until every background coroutine has ended (after begin_close() or a failure).
  boost::asio::awaitable<void> join_tasks();
  // kFailed for good with `error`: on_failed(), then every loop is woken to end.
  void fail(const Error& error);
  bool running() const { return state_ == State::kConnecting || state_ == State::kReady; }
  Status check_usable() const;

  std::shared_ptr<ClientState> client_;
  std::string topic_;
  ResourceId id_;
  State state_ = State::kConnecting;
  std::optional<Error> failure_;
  std::optional<Error> last_error_;
  std::shared_ptr<Connection> connection_;
  bool created_ = false;  // attached at least once
  uint64_t attaches_ = 0;
  net::LoopCondition state_changed_;
  net::TaskGroup tasks_;

 private:
  boost::asio::awaitable<Status> connect_once();
  boost::asio::awaitable<void> connection_loop(std::shared_ptr<BrokerResource> self);
  void register_on(Connection& conn);
  void unregister_from(Connection& conn);
  bool fatal(const Error& error) const;
};

// Closes `resources` one after the other (the task owns them until then).
template <typename Resource>
boost::asio::awaitable<void> close_each(std::vector<std::shared_ptr<Resource>> resources) {
  for (const auto& r : resources) {
    auto closing = r->close();
    (void)co_await std::move(closing);
  }
}

// For destructors, which cannot wait: closes `resources` in the client's background task group, which
// Client::close() joins.
template <typename Resource>
void close_in_background(ClientState& client, std::vector<std::shared_ptr<Resource>> resources) {
  client.background.spawn(close_each(std::move(resources)));
}

}  // namespace pk::pulsar
