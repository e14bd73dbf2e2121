// Lifetimes of the client's background tasks against the fake broker: the pattern consumer's refresh (topics that
// appear and disappear, a close or a destruction in the middle of a refresh) and closing a client with traffic in
// flight. Run under ASan and TSan by scripts/test: a task that outlives what it touches shows up there.
#include <gtest/gtest.h>

#include "client_fixture.h"
#include "net/task_group.h"
#include "pulsar/client/consumer.h"
#include "pulsar/client/producer.h"

namespace pk::pulsar {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using pk::testing::FakeBroker;
using pk::testing::run_on;
using testing::FakeBrokerFixture;
using testing::text;

constexpr const char* kEu = "persistent://public/default/orders-eu";
constexpr const char* kUs = "persistent://public/default/orders-us";
constexpr const char* kNew = "persistent://public/default/orders-new";
constexpr const char* kPayments = "persistent://public/default/payments";

void publish(FakeBroker& broker, const std::string& topic, const std::string& payload) {
  pb::MessageMetadata md;
  md.set_producer_name("test-producer");
  md.set_sequence_id(0);
  md.set_publish_time(1700000000000);
  broker.publish(topic, md, payload);
}

ConsumerOptions pattern_options() {
  ConsumerOptions o;
  o.topics_pattern = "persistent://public/default/orders-.*";
  o.subscription = "sub";
  o.type = SubscriptionType::kShared;
  o.initial_position = InitialPosition::kEarliest;
  o.pattern_refresh = 20ms;
  return o;
}

std::vector<std::string> sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

// How many SUBSCRIBE / CLOSE_CONSUMER commands named `topic` (CLOSE_CONSUMER by the consumer ids subscribed to it).
size_t subscribes_to(const FakeBroker& broker, const std::string& topic) {
  size_t n = 0;
  for (const auto& c : broker.commands()) {
    if (c.type() == pb::BaseCommand::SUBSCRIBE && c.subscribe().topic() == topic) ++n;
  }
  return n;
}

size_t closes_of(const FakeBroker& broker, const std::string& topic) {
  std::set<uint64_t> ids;
  for (const auto& c : broker.commands()) {
    if (c.type() == pb::BaseCommand::SUBSCRIBE && c.subscribe().topic() == topic)
      ids.insert(c.subscribe().consumer_id());
  }
  size_t n = 0;
  for (const auto& c : broker.commands()) {
    if (c.type() == pb::BaseCommand::CLOSE_CONSUMER && ids.contains(c.close_consumer().consumer_id())) ++n;
  }
  return n;
}

TEST(PatternConsumer, ATopicThatAppearsIsSubscribedAndDelivers) {
  FakeBrokerFixture f;
  publish(f.broker, kEu, "eu");
  publish(f.broker, kPayments, "not for us");
  run_on(f.io, [&]() -> asio::awaitable<void> {
    auto subscribing = f.subscribe(pattern_options());
    auto consumer = co_await std::move(subscribing);
    if (!consumer) co_return;
    EXPECT_EQ(consumer->topics(), (std::vector<std::string>{kEu}));
    publish(f.broker, kUs, "us");
    PK_CO_EXPECT_EVENTUALLY(consumer->topics().size() == 2);
    EXPECT_EQ(sorted(consumer->topics()), (std::vector<std::string>{kEu, kUs}));
    std::vector<std::string> payloads;
    for (int i = 0; i < 2; ++i) {
      auto receiving = consumer->receive(2000ms);
      auto m = co_await std::move(receiving);
      PK_CO_ASSERT_OK(m);
      payloads.emplace_back(m->payload());
    }
    EXPECT_EQ(sorted(payloads), (std::vector<std::string>{"eu", "us"}));
    EXPECT_EQ(subscribes_to(f.broker, kUs), 1u) << "subscribed once, not at every refresh";
    EXPECT_EQ(subscribes_to(f.broker, kPayments), 0u);
    auto closing = consumer->close();
    co_await std::move(closing);
    EXPECT_EQ(consumer->running_tasks(), 0u);
  });
}

TEST(PatternConsumer, ATopicThatDisappearsIsClosed) {
  FakeBrokerFixture f;
  publish(f.broker, kEu, "eu");
  publish(f.broker, kUs, "us");
  run_on(f.io, [&]() -> asio::awaitable<void> {
    auto subscribing = f.subscribe(pattern_options());
    auto consumer = co_await std::move(subscribing);
    if (!consumer) co_return;
    EXPECT_EQ(sorted(consumer->topics()), (std::vector<std::string>{kEu, kUs}));
    f.broker.delete_topic(kUs);
    PK_CO_EXPECT_EVENTUALLY(consumer->topics().size() == 1);
    EXPECT_EQ(consumer->topics(), (std::vector<std::string>{kEu}));
    PK_CO_EXPECT_EVENTUALLY(closes_of(f.broker, kUs) == 1);  // the CLOSE_CONSUMER is on its way
    co_await net::sleep(60ms);                               // three more refreshes
    EXPECT_EQ(closes_of(f.broker, kUs), 1u);
    EXPECT_EQ(closes_of(f.broker, kEu), 0u);
    EXPECT_EQ(subscribes_to(f.broker, kUs), 1u) << "a gone topic is not subscribed again";
    auto closing = consumer->close();
    co_await std::move(closing);
  });
}

// The refresh is subscribing to a new topic (its SUBSCRIBE is left unanswered) when the consumer closes: close()
// must end that subscription attempt, subscribe to nothing more, and return with no task left.
TEST(PatternConsumer, CloseDuringARefreshEndsItAndSubscribesToNothingMore) {
  FakeBrokerFixture f;
  publish(f.broker, kEu, "eu");
  f.broker.set_hook([](FakeBroker::Session&, proto::Frame& frame) {
    return frame.command.type() == pb::BaseCommand::SUBSCRIBE && frame.command.subscribe().topic() == kNew;
  });
  run_on(f.io, [&]() -> asio::awaitable<void> {
    auto subscribing = f.subscribe(pattern_options());
    auto consumer = co_await std::move(subscribing);
    if (!consumer) co_return;
    publish(f.broker, kNew, "new");
    PK_CO_EXPECT_EVENTUALLY(subscribes_to(f.broker, kNew) == 1);
    const auto start = std::chrono::steady_clock::now();
    auto closing = consumer->close();
    co_await std::move(closing);
    EXPECT_LT(std::chrono::steady_clock::now() - start, 1000ms) << "close waited for the operation timeout";
    EXPECT_EQ(consumer->running_tasks(), 0u);
    EXPECT_TRUE(consumer->topics().empty());
    co_await net::sleep(100ms);  // five refresh periods
    EXPECT_EQ(subscribes_to(f.broker, kNew), 1u) << "subscribed after close";
    EXPECT_EQ(subscribes_to(f.broker, kEu), 1u);
  });
}

// The Consumer is destroyed while its refresh waits for the partitioned metadata of a new topic (the moment the
// old refresh, holding a raw pointer, resumed into freed memory). The answer then arrives; nothing may touch the
// gone Consumer, nothing may be subscribed, and closing the client must leave no task running.
TEST(PatternConsumer, DestroyDuringARefreshIsSafe) {
  FakeBrokerFixture f;
  const size_t tasks_before = net::TaskGroup::running_everywhere();
  publish(f.broker, kEu, "eu");
  std::optional<pb::BaseCommand> held;
  FakeBroker::Session* held_on = nullptr;
  f.broker.set_hook([&](FakeBroker::Session& session, proto::Frame& frame) {
    if (frame.command.type() != pb::BaseCommand::PARTITIONED_METADATA) return false;
    if (frame.command.partitionmetadata().topic() != kNew) return false;
    held = frame.command;
    held_on = &session;
    return true;
  });
  run_on(f.io, [&]() -> asio::awaitable<void> {
    auto subscribing = f.subscribe(pattern_options());
    auto consumer = co_await std::move(subscribing);
    if (!consumer) co_return;
    publish(f.broker, kNew, "new");
    PK_CO_EXPECT_EVENTUALLY(held.has_value());
    consumer.reset();  // destroyed mid-refresh: closes in the client's background
    pb::BaseCommand answer;
    answer.set_type(pb::BaseCommand::PARTITIONED_METADATA_RESPONSE);
    answer.mutable_partitionmetadataresponse()->set_request_id(held->partitionmetadata().request_id());
    answer.mutable_partitionmetadataresponse()->set_partitions(0);
    held_on->send(answer);
    PK_CO_EXPECT_EVENTUALLY(closes_of(f.broker, kEu) == 1);  // the background close closed the topic it had
    co_await net::sleep(100ms);
    EXPECT_EQ(subscribes_to(f.broker, kNew), 0u) << "a destroyed consumer subscribed";
    auto shutting_down = f.client->shutdown();
    co_await std::move(shutting_down);
    EXPECT_EQ(net::TaskGroup::running_everywhere(), tasks_before);
  });
}

// A client closed while a producer sends and a consumer receives, with one more producer and consumer dropped
// without close(): shutdown() returns once no task of the client is left, and every send callback has run (ok or
// failed, never lost).
TEST(Client, ShutdownWithTrafficInFlightLeavesNoTaskRunning) {
  FakeBrokerFixture f;
  const size_t tasks_before = net::TaskGroup::running_everywhere();
  size_t accepted = 0;
  size_t confirmed = 0;
  size_t failed = 0;
  size_t received = 0;
  run_on(f.io, [&]() -> asio::awaitable<void> {
    ProducerOptions po;
    po.topic = "persistent://public/default/traffic";
    po.batch.max_delay = 5ms;
    auto creating = f.create_producer(po);
    auto producer = co_await std::move(creating);
    if (!producer) co_return;
    ConsumerOptions co;
    co.topics = {po.topic};
    co.subscription = "sub";
    co.type = SubscriptionType::kShared;
    co.ack_group_time = 10ms;
    auto subscribing = f.subscribe(co);
    auto consumer = co_await std::move(subscribing);
    if (!consumer) co_return;
    auto creating_dropped = f.create_producer(po);
    auto dropped_producer = co_await std::move(creating_dropped);
    auto subscribing_dropped = f.subscribe(co);
    auto dropped_consumer = co_await std::move(subscribing_dropped);

    net::TaskGroup traffic(f.io.get_executor());
    bool stop = false;
    auto send_loop = [&]() -> asio::awaitable<void> {
      while (!stop) {
        auto callback = [&](const Result<MessageId>& r) { ++(r.ok() ? confirmed : failed); };
        auto sending = producer->send_async(text("m" + std::to_string(accepted)), std::move(callback));
        auto status = co_await std::move(sending);
        if (!status.ok()) break;
        ++accepted;
        if (accepted % 16 == 0) co_await net::sleep(1ms);
      }
    };
    auto receive_loop = [&]() -> asio::awaitable<void> {
      for (;;) {
        auto receiving = consumer->receive(2000ms);
        auto m = co_await std::move(receiving);
        if (!m.ok()) break;
        ++received;
        (void)consumer->acknowledge(m->id());
      }
    };
    traffic.spawn(send_loop());
    traffic.spawn(receive_loop());
    PK_CO_EXPECT_EVENTUALLY(received >= 100);
    dropped_producer.reset();  // closes in the client's background
    dropped_consumer.reset();
    auto shutting_down = f.client->shutdown();
    co_await std::move(shutting_down);
    EXPECT_EQ(producer->running_tasks(), 0u);
    EXPECT_EQ(consumer->running_tasks(), 0u);
    EXPECT_EQ(f.client->open_connections(), 0u);
    stop = true;
    co_await traffic.join();  // both loops see the client closed
    EXPECT_EQ(confirmed + failed, accepted) << "a send callback was lost";
    EXPECT_GT(confirmed, 0u);
    auto sending_after = producer->send_async(text("late"), nullptr);
    auto refused = co_await std::move(sending_after);
    EXPECT_FALSE(refused.ok());
    if (!refused.ok()) {
      EXPECT_EQ(refused.error().code, ErrorCode::kCancelled);
    }
  });
  EXPECT_EQ(net::TaskGroup::running_everywhere(), tasks_before);
}

}  // namespace
}  // namespace pk::pulsar
