#include "pulsar/client/connection.h"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "fake_broker.h"
#include "net/task_group.h"
#include "net/timeout.h"
#include "support/async_test.h"

namespace pk::pulsar {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using pk::testing::FakeBroker;
using pk::testing::run_on;

ConnectionOptions fast_options() {
  ConnectionOptions o;
  o.connect_timeout = 2s;
  o.operation_timeout = 500ms;
  o.keep_alive = 100ms;
  return o;
}

net::Endpoint endpoint_of(const FakeBroker& broker) {
  return net::Endpoint{"127.0.0.1", broker.port()};
}

asio::awaitable<Result<std::shared_ptr<Connection>>> connect_to(const FakeBroker& broker, ConnectionOptions options,
                                                                std::string proxy = {}) {
  auto connecting = Connection::connect(endpoint_of(broker), std::move(proxy), std::move(options));
  co_return co_await std::move(connecting);
}

// A LOOKUP without its request id: Connection::request assigns it.
pb::BaseCommand lookup_command(const std::string& topic = "persistent://public/default/t") {
  pb::BaseCommand cmd;
  cmd.set_type(pb::BaseCommand::LOOKUP);
  cmd.mutable_lookuptopic()->set_topic(topic);
  return cmd;
}

// Ids of different kinds do not mix, and none is made from a bare number by accident.
static_assert(!std::is_convertible_v<ProducerId, ConsumerId>);
static_assert(!std::is_convertible_v<ConsumerId, ProducerId>);
static_assert(!std::is_convertible_v<RequestId, ConsumerId>);
static_assert(!std::is_convertible_v<uint64_t, ProducerId>);

class RecordingListener : public ConnectionListener {
 public:
  void on_frame(proto::Frame& frame) override { frames.push_back(frame.command); }
  void on_connection_closed(const Error& reason) override { closed = reason; }
  std::vector<pb::BaseCommand> frames;
  std::optional<Error> closed;
};

TEST(Connection, HandshakeSendsConnectAndReadsConnected) {
  asio::io_context io;
  FakeBroker broker(io.get_executor());
  broker.set_max_message_size(1024 * 1024);
  run_on(io, [&]() -> asio::awaitable<void> {
    auto conn = co_await connect_to(broker, fast_options());
    PK_CO_ASSERT_OK(conn);
    EXPECT_TRUE((*conn)->is_open());
    EXPECT_EQ((*conn)->server_version(), "fake-broker");
    EXPECT_EQ((*conn)->protocol_version(), kClientProtocolVersion);
    EXPECT_EQ((*conn)->max_message_size(), 1024u * 1024u);
    (*conn)->close(make_error(ErrorCode::kCancelled, "test done"));
  });
  ASSERT_EQ(broker.connects().size(), 1u);
  const auto& c = broker.connects()[0];
  EXPECT_EQ(c.client_version(), kClientVersion);
  EXPECT_GE(c.protocol_version(), 20);
  EXPECT_TRUE(c.feature_flags().supports_auth_refresh());
  EXPECT_TRUE(c.feature_flags().supports_broker_entry_metadata());
  EXPECT_FALSE(c.has_auth_method_name());
  EXPECT_FALSE(c.has_proxy_to_broker_url());
}

TEST(Connection, ProxyToBrokerUrlIsSentInConnect) {
  asio::io_context io;
  FakeBroker broker(io.get_executor());
  run_on(io, [&]() -> asio::awaitable<void> {
    auto conn = co_await connect_to(broker, fast_options(), "10.1.2.3:6650");
    EXPECT_TRUE(conn.ok());
    if (conn.ok()) (*conn)->close(make_error(ErrorCode::kCancelled, "done"));
  });
  ASSERT_EQ(broker.connects().size(), 1u);
  EXPECT_EQ(broker.connects()[0].proxy_to_broker_url(), "10.1.2.3:6650");
}

TEST(Connection, TokenAuthAcceptedAndBadTokenRefused) {
  asio::io_context io;
  FakeBroker broker(io.get_executor());
  broker.require_token("good.token.value");
  run_on(io, [&]() -> asio::awaitable<void> {
    auto good = fast_options();
    good.auth = make_token_auth("token:good.token.value").value();
    auto ok = co_await connect_to(broker, good);
    EXPECT_TRUE(ok.ok()) << (ok.ok() ? "" : ok.error().to_string());
    if (ok.ok()) (*ok)->close(make_error(ErrorCode::kCancelled, "done"));

    auto bad = fast_options();
    bad.auth = make_token_auth("token:bad.token.value").value();
    auto refused = co_await connect_to(broker, bad);
    EXPECT_FALSE(refused.ok());
    if (refused.ok()) co_return;
    EXPECT_EQ(refused.error().code, ErrorCode::kUnauthenticated);
    EXPECT_EQ(refused.error().type, "AuthenticationError");
    EXPECT_EQ(refused.error().message.find("bad.token.value"), std::string::npos) << "no secret in errors";

    auto anonymous = co_await connect_to(broker, fast_options());
    EXPECT_FALSE(anonymous.ok());
  });
  ASSERT_GE(broker.connects().size(), 1u);
  EXPECT_EQ(broker.connects()[0].auth_method_name(), "token");
}

TEST(Connection, AuthChallengeIsAnsweredWithFreshCredentials) {
  const auto path = std::filesystem::temp_directory_path() / ("pk-conn-token-" + std::to_string(::getpid()));
  std::ofstream(path) << "first.token";
  asio::io_context io;
  FakeBroker broker(io.get_executor());
  broker.set_challenge_on_connect(true);
  run_on(io, [&]() -> asio::awaitable<void> {
    auto options = fast_options();
    options.auth = make_token_auth("file:" + path.string()).value();
    auto conn = co_await connect_to(broker, options);
    PK_CO_ASSERT_OK(conn);
    // A refresh on the established connection (the broker's token expiry check) gets the rotated token.
    std::ofstream(path) << "second.token";
    pb::BaseCommand challenge;
    challenge.set_type(pb::BaseCommand::AUTH_CHALLENGE);
    challenge.mutable_authchallenge()->mutable_challenge()->set_auth_method_name("token");
    challenge.mutable_authchallenge()->mutable_challenge()->set_auth_data("refresh");
    broker.send_to_all(challenge);
    for (int i = 0; i < 100 && broker.auth_responses().size() < 2; ++i) co_await net::sleep(5ms);
    EXPECT_TRUE((*conn)->is_open());
    (*conn)->close(make_error(ErrorCode::kCancelled, "done"));
  });
  std::filesystem::remove(path);
  ASSERT_EQ(broker.auth_responses().size(), 2u);
  EXPECT_EQ(broker.auth_responses()[0].response().auth_data(), "first.token");
  EXPECT_EQ(broker.auth_responses()[1].response().auth_data(), "second.token");
  EXPECT_EQ(broker.auth_responses()[1].response().auth_method_name(), "token");
}

TEST(Connection, RequestGetsItsResponse) {
  asio::io_context io;
  FakeBroker broker(io.get_executor());
  run_on(io, [&]() -> asio::awaitable<void> {
    auto conn = co_await connect_to(broker, fast_options());
    PK_CO_ASSERT_OK(conn);
    auto& c = **conn;
    auto req = c.request(lookup_command(), "lookup t");
    auto response = co_await std::move(req);
    PK_CO_ASSERT_OK(response);
    EXPECT_EQ(response->type(), pb::BaseCommand::LOOKUP_RESPONSE);
    EXPECT_EQ(response->lookuptopicresponse().request_id(), 1u) << "the connection's first request id";
    c.close(make_error(ErrorCode::kCancelled, "done"));
  });
}

// Each request gets an id of the connection's own: answers that come back in another order still reach the
// request they belong to.
TEST(Connection, RequestsGetTheirOwnIdsAndAnswersFindThemInAnyOrder) {
  asio::io_context io;
  FakeBroker broker(io.get_executor());
  std::vector<pb::BaseCommand> held;
  std::vector<FakeBroker::Session*> sessions;
  broker.set_hook([&](FakeBroker::Session& s, proto::Frame& f) {
    if (f.command.type() != pb::BaseCommand::LOOKUP) return false;
    held.push_back(f.command);
    sessions.push_back(&s);
    return true;
  });
  run_on(io, [&]() -> asio::awaitable<void> {
    auto conn = co_await connect_to(broker, fast_options());
    PK_CO_ASSERT_OK(conn);
    std::vector<std::string> answered;
    net::TaskGroup tasks(io.get_executor());
    auto ask = [&](std::string topic) -> asio::awaitable<void> {
      auto req = (*conn)->request(lookup_command(topic), "lookup " + topic);
      auto response = co_await std::move(req);
      EXPECT_TRUE(response.ok());
      if (response.ok()) answered.push_back(topic + "->" + response->lookuptopicresponse().brokerserviceurl());
    };
    tasks.spawn(ask("a"));
    tasks.spawn(ask("b"));
    PK_CO_EXPECT_EVENTUALLY(held.size() == 2);
    if (held.size() != 2) co_return;
    EXPECT_NE(held[0].lookuptopic().request_id(), held[1].lookuptopic().request_id());
    for (int i = 1; i >= 0; --i) {  // the later one first
      pb::BaseCommand r;
      r.set_type(pb::BaseCommand::LOOKUP_RESPONSE);
      r.mutable_lookuptopicresponse()->set_request_id(held[i].lookuptopic().request_id());
      r.mutable_lookuptopicresponse()->set_brokerserviceurl("pulsar://broker-of-" + held[i].lookuptopic().topic());
      sessions[i]->send(r);
    }
    co_await tasks.join();
    EXPECT_EQ(answered, (std::vector<std::string>{"b->pulsar://broker-of-b", "a->pulsar://broker-of-a"}));
    (*conn)->close(make_error(ErrorCode::kCancelled, "done"));
  });
}

TEST(Connection, ACommandWithoutARequestIdIsNoRequest) {
  asio::io_context io;
  FakeBroker broker(io.get_executor());
  run_on(io, [&]() -> asio::awaitable<void> {
    auto conn = co_await connect_to(broker, fast_options());
    PK_CO_ASSERT_OK(conn);
    pb::BaseCommand flow;
    flow.set_type(pb::BaseCommand::FLOW);
    flow.mutable_flow()->set_consumer_id(1);
    flow.mutable_flow()->set_messagepermits(1);
    auto req = (*conn)->request(std::move(flow), "flow");
    auto response = co_await std::move(req);
    EXPECT_FALSE(response.ok());
    if (!response.ok()) {
      EXPECT_EQ(response.error().code, ErrorCode::kInternal);
      EXPECT_EQ(response.error().message, "flow: FLOW is not a request");
    }
    (*conn)->close(make_error(ErrorCode::kCancelled, "done"));
  });
}

TEST(Connection, ErrorResponseBecomesServerError) {
  asio::io_context io;
  FakeBroker broker(io.get_executor());
  broker.set_hook([](FakeBroker::Session& s, proto::Frame& f) {
    if (f.command.type() != pb::BaseCommand::LOOKUP) return false;
    pb::BaseCommand err;
    err.set_type(pb::BaseCommand::ERROR);
    err.mutable_error()->set_request_id(f.command.lookuptopic().request_id());
    err.mutable_error()->set_error(pb::ServiceNotReady);
    err.mutable_error()->set_message("namespace bundle is being unloaded");
    s.send(err);
    return true;
  });
  run_on(io, [&]() -> asio::awaitable<void> {
    auto conn = co_await connect_to(broker, fast_options());
    PK_CO_ASSERT_OK(conn);
    auto req = (*conn)->request(lookup_command(), "lookup t");
    auto response = co_await std::move(req);
    EXPECT_FALSE(response.ok());
    if (response.ok()) co_return;
    EXPECT_EQ(response.error().type, "ServiceNotReady");
    EXPECT_TRUE(response.error().retryable());
    EXPECT_NE(response.error().message.find("lookup t"), std::string::npos);
    EXPECT_NE(response.error().message.find("being unloaded"), std::string::npos);
    (*conn)->close(make_error(ErrorCode::kCancelled, "done"));
  });
}

TEST(Connection, UnansweredRequestTimesOut) {
  asio::io_context io;
  FakeBroker broker(io.get_executor());
  broker.set_hook([](FakeBroker::Session&, proto::Frame& f) { return f.command.type() == pb::BaseCommand::LOOKUP; });
  run_on(io, [&]() -> asio::awaitable<void> {
    auto conn = co_await connect_to(broker, fast_options());
    PK_CO_ASSERT_OK(conn);
    const auto start = std::chrono::steady_clock::now();
    auto req = (*conn)->request(lookup_command(), "lookup t");
    auto response = co_await std::move(req);
    EXPECT_FALSE(response.ok());
    if (!response.ok()) {
      EXPECT_EQ(response.error().code, ErrorCode::kTimeout);
    }
    EXPECT_GE(std::chrono::steady_clock::now() - start, 450ms);
    EXPECT_TRUE((*conn)->is_open()) << "a timed-out request does not close the connection";
    (*conn)->close(make_error(ErrorCode::kCancelled, "done"));
  });
}

TEST(Connection, PingWithoutPongCloses) {
  asio::io_context io;
  FakeBroker broker(io.get_executor());
  broker.set_answer_pings(false);
  RecordingListener listener;
  run_on(io, [&]() -> asio::awaitable<void> {
    auto conn = co_await connect_to(broker, fast_options());
    PK_CO_ASSERT_OK(conn);
    (*conn)->register_producer(ProducerId(1), &listener);
    for (int i = 0; i < 100 && (*conn)->is_open(); ++i) co_await net::sleep(10ms);
    EXPECT_FALSE((*conn)->is_open());
    EXPECT_GE((*conn)->pings_sent(), 1u);
  });
  ASSERT_TRUE(listener.closed);
  EXPECT_EQ(listener.closed->code, ErrorCode::kUnavailable) << "retryable: the owner reconnects";
  EXPECT_NE(listener.closed->message.find("did not answer PING"), std::string::npos) << listener.closed->message;
}

TEST(Connection, AnsweredPingsKeepTheConnection) {
  asio::io_context io;
  FakeBroker broker(io.get_executor());
  run_on(io, [&]() -> asio::awaitable<void> {
    auto conn = co_await connect_to(broker, fast_options());
    PK_CO_ASSERT_OK(conn);
    co_await net::sleep(600ms);
    EXPECT_TRUE((*conn)->is_open());
    EXPECT_GE((*conn)->pings_sent(), 2u);
    (*conn)->close(make_error(ErrorCode::kCancelled, "done"));
  });
  EXPECT_GE(broker.count(pb::BaseCommand::PING), 2u);
}

TEST(Connection, BrokerPingIsAnswered) {
  asio::io_context io;
  FakeBroker broker(io.get_executor());
  run_on(io, [&]() -> asio::awaitable<void> {
    auto options = fast_options();
    options.keep_alive = 10s;
    auto conn = co_await connect_to(broker, options);
    PK_CO_ASSERT_OK(conn);
    pb::BaseCommand ping;
    ping.set_type(pb::BaseCommand::PING);
    ping.mutable_ping();
    broker.send_to_all(ping);
    for (int i = 0; i < 100 && broker.count(pb::BaseCommand::PONG) == 0; ++i) co_await net::sleep(5ms);
    (*conn)->close(make_error(ErrorCode::kCancelled, "done"));
  });
  EXPECT_EQ(broker.count(pb::BaseCommand::PONG), 1u);
}

TEST(Connection, MalformedFrameClosesWithAClearError) {
  asio::io_context io;
  FakeBroker broker(io.get_executor());
  RecordingListener listener;
  run_on(io, [&]() -> asio::awaitable<void> {
    auto conn = co_await connect_to(broker, fast_options());
    PK_CO_ASSERT_OK(conn);
    (*conn)->register_consumer(ConsumerId(7), &listener);
    broker.set_hook([](FakeBroker::Session&, proto::Frame&) { return true; });  // never answer
    auto req = (*conn)->request(lookup_command(), "lookup t");
    // A frame whose command is not protobuf: [total 9][cmd 5]["\xff\xff\xff\xff\xff"]
    broker.send_raw_to_all(std::string("\x00\x00\x00\x09\x00\x00\x00\x05\xff\xff\xff\xff\xff", 13));
    auto response = co_await std::move(req);
    EXPECT_FALSE(response.ok());
    if (!response.ok()) {
      EXPECT_EQ(response.error().code, ErrorCode::kUnavailable);
    }
    EXPECT_FALSE((*conn)->is_open());
    EXPECT_TRUE((*conn)->close_reason());
    if (!(*conn)->close_reason()) co_return;
    EXPECT_EQ((*conn)->close_reason()->code, ErrorCode::kMalformedInput);
    EXPECT_NE((*conn)->close_reason()->message.find("malformed frame from 127.0.0.1"), std::string::npos)
        << (*conn)->close_reason()->message;
  });
  ASSERT_TRUE(listener.closed);
}

TEST(Connection, OversizedFrameIsRefused) {
  asio::io_context io;
  FakeBroker broker(io.get_executor());
  broker.set_max_message_size(1000);
  run_on(io, [&]() -> asio::awaitable<void> {
    auto conn = co_await connect_to(broker, fast_options());
    PK_CO_ASSERT_OK(conn);
    broker.send_raw_to_all(std::string("\x7f\xff\xff\xff", 4));  // announces a 2 GiB frame
    for (int i = 0; i < 100 && (*conn)->is_open(); ++i) co_await net::sleep(5ms);
    EXPECT_FALSE((*conn)->is_open());
    if ((*conn)->close_reason()) {
      EXPECT_EQ((*conn)->close_reason()->code, ErrorCode::kMalformedInput);
    }
  });
}

TEST(Connection, BrokerClosingFailsRequestsAndTellsListeners) {
  asio::io_context io;
  FakeBroker broker(io.get_executor());
  RecordingListener producer;
  RecordingListener consumer;
  run_on(io, [&]() -> asio::awaitable<void> {
    auto options = fast_options();
    options.operation_timeout = 5s;
    auto conn = co_await connect_to(broker, options);
    PK_CO_ASSERT_OK(conn);
    (*conn)->register_producer(ProducerId(1), &producer);
    (*conn)->register_consumer(ConsumerId(1), &consumer);
    broker.set_hook([&](FakeBroker::Session& s, proto::Frame& f) {
      if (f.command.type() == pb::BaseCommand::LOOKUP) s.close();
      return true;
    });
    const auto start = std::chrono::steady_clock::now();
    auto req = (*conn)->request(lookup_command(), "lookup t");
    auto response = co_await std::move(req);
    EXPECT_FALSE(response.ok());
    if (!response.ok()) {
      EXPECT_EQ(response.error().code, ErrorCode::kUnavailable);
      EXPECT_TRUE(response.error().retryable());
    }
    EXPECT_LT(std::chrono::steady_clock::now() - start, 2s) << "fails at once, not at the timeout";
    auto again = (*conn)->request(lookup_command(), "lookup t");
    auto refused = co_await std::move(again);
    EXPECT_FALSE(refused.ok());
  });
  EXPECT_TRUE(producer.closed);
  EXPECT_TRUE(consumer.closed);
}

TEST(Connection, FramesAreRoutedById) {
  asio::io_context io;
  FakeBroker broker(io.get_executor());
  RecordingListener p1, c1, c2;
  run_on(io, [&]() -> asio::awaitable<void> {
    auto conn = co_await connect_to(broker, fast_options());
    PK_CO_ASSERT_OK(conn);
    (*conn)->register_producer(ProducerId(1), &p1);
    (*conn)->register_consumer(ConsumerId(1), &c1);
    (*conn)->register_consumer(ConsumerId(2), &c2);
    pb::BaseCommand receipt;
    receipt.set_type(pb::BaseCommand::SEND_RECEIPT);
    receipt.mutable_send_receipt()->set_producer_id(1);
    receipt.mutable_send_receipt()->set_sequence_id(0);
    broker.send_to_all(receipt);
    pb::BaseCommand close;
    close.set_type(pb::BaseCommand::CLOSE_CONSUMER);
    close.mutable_close_consumer()->set_consumer_id(2);
    close.mutable_close_consumer()->set_request_id(0);
    broker.send_to_all(close);
    pb::BaseCommand unknown = close;
    unknown.mutable_close_consumer()->set_consumer_id(99);
    broker.send_to_all(unknown);
    for (int i = 0; i < 100 && c2.frames.empty(); ++i) co_await net::sleep(5ms);
    (*conn)->close(make_error(ErrorCode::kCancelled, "done"));
  });
  ASSERT_EQ(p1.frames.size(), 1u);
  EXPECT_EQ(p1.frames[0].type(), pb::BaseCommand::SEND_RECEIPT);
  EXPECT_TRUE(c1.frames.empty());
  ASSERT_EQ(c2.frames.size(), 1u);
  EXPECT_EQ(c2.frames[0].type(), pb::BaseCommand::CLOSE_CONSUMER);
}

TEST(Connection, WritesAreCoalesced) {
  asio::io_context io;
  FakeBroker broker(io.get_executor());
  run_on(io, [&]() -> asio::awaitable<void> {
    auto options = fast_options();
    options.keep_alive = 10s;
    auto conn = co_await connect_to(broker, options);
    PK_CO_ASSERT_OK(conn);
    const uint64_t before = (*conn)->write_calls();
    pb::BaseCommand flow;
    flow.set_type(pb::BaseCommand::FLOW);
    flow.mutable_flow()->set_consumer_id(1);
    flow.mutable_flow()->set_messagepermits(1);
    for (int i = 0; i < 1000; ++i) (*conn)->send_command(flow);  // one loop turn
    for (int i = 0; i < 200 && broker.count(pb::BaseCommand::FLOW) < 1000; ++i) co_await net::sleep(5ms);
    EXPECT_LE((*conn)->write_calls() - before, 2u);
    (*conn)->close(make_error(ErrorCode::kCancelled, "done"));
  });
  EXPECT_EQ(broker.count(pb::BaseCommand::FLOW), 1000u);
}

TEST(Connection, ConnectToNothingFailsFast) {
  asio::io_context io;
  uint16_t port = 0;
  {
    asio::ip::tcp::acceptor probe(io, asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    port = probe.local_endpoint().port();
  }
  run_on(io, [&]() -> asio::awaitable<void> {
    auto connecting = Connection::connect(net::Endpoint{"127.0.0.1", port}, "", fast_options());
    auto conn = co_await std::move(connecting);
    EXPECT_FALSE(conn.ok());
    if (!conn.ok()) {
      EXPECT_TRUE(conn.error().retryable());
      EXPECT_NE(conn.error().message.find(std::to_string(port)), std::string::npos);
    }
  });
}

}  // namespace
}  // namespace pk::pulsar
