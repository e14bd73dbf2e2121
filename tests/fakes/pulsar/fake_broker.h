#pragma once
// An in-process Pulsar "broker" on 127.0.0.1 that speaks the real framing (our codec), for the faults no real
// broker produces on demand: scripted errors, dropped receipts, PINGs left unanswered, sockets closed mid-stream,
// malformed frames. Its default behaviour is a tiny single-topic-log broker - enough for a client to connect,
// look up, produce (with receipts, optional deduplication) and consume (FLOW permits, acks, redelivery) - so a
// test only scripts the fault it is about:
//
//   FakeBroker broker(io.get_executor());
//   broker.set_hook([&](FakeBroker::Session& s, proto::Frame& f) {
//     if (f.command.type() != pb::BaseCommand::SEND) return false;  // default handling
//     s.send(send_error_for(f));                                     // scripted answer
//     return true;
//   });
//
// Runs on the executor it is given (tests run client and broker on one io_context). Not thread-safe.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "pulsar/proto/frame.h"

namespace pk::testing {

namespace pb = pk::pulsar::pb;
namespace proto = pk::pulsar::proto;

class FakeBroker {
 public:
  class Session;
  // Called for every frame the broker receives; return true when the hook answered it (default skipped).
  using Hook = std::function<bool(Session&, proto::Frame&)>;

  struct StoredMessage {
    int64_t ledger = 0;
    int64_t entry = 0;
    pb::MessageMetadata metadata;
    std::string payload;
  };
  struct SendSeen {
    uint64_t producer_id = 0;
    uint64_t sequence_id = 0;
    uint64_t highest_sequence_id = 0;
    int num_messages = 1;
    pb::MessageMetadata metadata;
    std::string payload;
  };

  explicit FakeBroker(boost::asio::any_io_executor executor);
  ~FakeBroker();
  FakeBroker(const FakeBroker&) = delete;
  FakeBroker& operator=(const FakeBroker&) = delete;

  uint16_t port() const;
  std::string url() const;  // pulsar://127.0.0.1:<port>

  void set_hook(Hook hook) { hook_ = std::move(hook); }
  void set_answer_pings(bool answer) { answer_pings_ = answer; }
  void set_max_message_size(int size) { max_message_size_ = size; }
  // CONNECT must carry auth method "token" with this token, else ERROR AuthenticationError + close.
  void require_token(std::string token) { required_token_ = std::move(token); }
  // Every CONNECT is answered by an AUTH_CHALLENGE first (and the token is checked again in AUTH_RESPONSE).
  void set_challenge_on_connect(bool challenge) { challenge_on_connect_ = challenge; }
  void set_partitions(const std::string& topic, uint32_t partitions) { partitions_[topic] = partitions; }
  // Drop SENDs whose sequence id is not above the last one stored for that producer name (receipt -1:-1).
  void set_deduplication(bool on) { dedup_ = on; }

  // Closes every open connection (as a broker crash would).
  void close_all();
  // Writes raw bytes to every open connection (malformed-frame tests).
  void send_raw_to_all(const std::string& bytes);
  // Sends a command to every open connection.
  void send_to_all(const pb::BaseCommand& cmd);

  // What happened.
  size_t connections_accepted() const { return accepted_; }
  size_t open_sessions() const;
  const std::vector<SendSeen>& sends() const { return sends_; }
  const std::vector<pb::BaseCommand>& commands() const { return commands_; }  // every command, payload-less copy
  size_t count(pb::BaseCommand::Type type) const;
  const std::vector<StoredMessage>& topic_log(const std::string& topic) { return topics_[topic]; }
  const std::vector<pb::CommandAck>& acks() const { return acks_; }
  const std::vector<pb::CommandConnect>& connects() const { return connects_; }
  const std::vector<pb::CommandAuthResponse>& auth_responses() const { return auth_responses_; }

  // Stores a SEND frame as the default handler does (deduplication included) without answering it: the entry
  // index, or nullopt when dropped as a duplicate. For hooks that persist and then "crash".
  std::optional<int64_t> persist(const proto::Frame& send_frame);
  // Stores a message in a topic as if a producer had sent it (for consumer tests); creates the topic.
  void publish(const std::string& topic, pb::MessageMetadata metadata, std::string payload);
  // Deletes a topic: it is no longer listed in its namespace (GET_TOPICS_OF_NAMESPACE).
  void delete_topic(const std::string& topic) { topics_.erase(topic); }

  class Session {
   public:
    void send(const pb::BaseCommand& cmd);
    void send_payload(const pb::BaseCommand& cmd, const pb::MessageMetadata& metadata, std::string_view payload);
    void send_raw(std::string_view bytes);
    // Closes the socket at once (a crash: queued output is lost).
    void close();
    // Closes once the queued output is written (how a broker refuses a client).
    void close_after_flush();
    bool is_open() const { return open_; }

   private:
    friend class FakeBroker;
    Session(FakeBroker& broker, boost::asio::ip::tcp::socket socket);
    boost::asio::awaitable<void> read_loop(std::shared_ptr<Session> self);
    boost::asio::awaitable<void> write_loop(std::shared_ptr<Session> self);
    void wake();

    FakeBroker& broker_;
    boost::asio::ip::tcp::socket socket_;
    std::string out_;
    std::string writing_;
    bool open_ = true;
    bool idle_ = false;
    bool closing_ = false;
    std::unique_ptr<boost::asio::steady_timer> wake_;
  };

 private:
  struct ConsumerState {
    std::weak_ptr<Session> session;
    std::string topic;
    std::string subscription;
    uint64_t permits = 0;
    std::set<size_t> outstanding;  // delivered, maybe not acked: redelivered when the consumer goes away
  };
  struct Subscription {
    size_t cursor = 0;              // next log index to deliver
    std::set<size_t> acked;         // log indexes acknowledged
    std::vector<size_t> redeliver;  // log indexes to deliver again first
    std::map<size_t, uint32_t> redelivery_counts;
  };

  boost::asio::awaitable<void> accept_loop();
  void handle(const std::shared_ptr<Session>& session, proto::Frame& frame);
  void handle_default(const std::shared_ptr<Session>& session, proto::Frame& frame);
  void deliver(uint64_t consumer_id);
  void on_session_closed(Session* session);
  std::map<uint64_t, ConsumerState>::iterator release_consumer(std::map<uint64_t, ConsumerState>::iterator it);

  boost::asio::ip::tcp::acceptor acceptor_;
  Hook hook_;
  bool answer_pings_ = true;
  int max_message_size_ = 5 * 1024 * 1024;
  std::string required_token_;
  bool challenge_on_connect_ = false;
  bool dedup_ = false;
  std::map<std::string, uint32_t> partitions_;
  std::map<std::string, std::vector<StoredMessage>> topics_;
  std::map<std::string, Subscription> subscriptions_;  // key: topic + "|" + subscription
  std::map<uint64_t, ConsumerState> consumers_;        // by consumer id (ids are unique per test client)
  std::map<uint64_t, std::string> producer_topics_;
  std::map<uint64_t, std::string> producer_names_;
  std::map<std::pair<std::string, std::string>, int64_t> last_sequence_;  // per (topic, producer name), as Pulsar
  std::vector<std::weak_ptr<Session>> sessions_;
  std::vector<SendSeen> sends_;
  std::vector<pb::BaseCommand> commands_;
  std::vector<pb::CommandAck> acks_;
  std::vector<pb::CommandConnect> connects_;
  std::vector<pb::CommandAuthResponse> auth_responses_;
  size_t accepted_ = 0;
  int64_t next_producer_name_ = 0;
  bool stopped_ = false;
};

}  // namespace pk::testing
