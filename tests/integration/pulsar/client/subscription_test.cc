// Subscription types and producer deduplication against the real Pulsar standalone.
#include <map>
#include <set>

#include <gtest/gtest.h>

#include "net/timeout.h"
#include "real_broker.h"

namespace pk::pulsar {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using pk::testing::run_on;
using testing::message;
using testing::unique_topic;

ConsumerOptions options_for(const std::string& topic, const std::string& subscription, SubscriptionType type) {
  ConsumerOptions o;
  o.topics = {topic};
  o.subscription = subscription;
  o.type = type;
  o.initial_position = InitialPosition::kEarliest;
  o.receiver_queue_size = 10;  // small queues so that Shared consumers really share
  return o;
}

asio::awaitable<std::unique_ptr<Producer>> make_producer(Client& client, const std::string& topic,
                                                         bool batch_by_key = false) {
  auto options = testing::producer_options(topic);
  options.batch_by_key = batch_by_key;
  co_return co_await testing::make_producer(client, options);
}

// Drains both consumers until `total` messages arrived (or 10 s without progress).
asio::awaitable<std::array<std::vector<Message>, 2>> drain_two(Consumer& a, Consumer& b, size_t total) {
  std::array<std::vector<Message>, 2> got;
  auto idle_since = std::chrono::steady_clock::now();
  while (got[0].size() + got[1].size() < total && std::chrono::steady_clock::now() - idle_since < 10s) {
    bool progress = false;
    for (int i = 0; i < 2; ++i) {
      Consumer& c = i == 0 ? a : b;
      while (auto m = c.try_receive()) {
        EXPECT_TRUE(c.acknowledge(m->id()).ok());
        got[i].push_back(std::move(*m));
        progress = true;
      }
    }
    if (progress) idle_since = std::chrono::steady_clock::now();
    co_await net::sleep(5ms);
  }
  co_return got;
}

TEST(PulsarSubscriptions, ExclusiveRefusesASecondConsumer) {
  asio::io_context io;
  auto client = Client::create(io.get_executor(), testing::real_options()).value();
  const std::string topic = unique_topic("sub-exclusive");
  run_on(io, testing::kRealBrokerLimit, [&]() -> asio::awaitable<void> {
    auto first_subscribing = client->subscribe(options_for(topic, "excl", SubscriptionType::kExclusive));
    auto first = co_await std::move(first_subscribing);
    EXPECT_TRUE(first.ok());
    auto second_subscribing = client->subscribe(options_for(topic, "excl", SubscriptionType::kExclusive));
    auto second = co_await std::move(second_subscribing);
    EXPECT_FALSE(second.ok());
    if (!second.ok()) {
      EXPECT_EQ(second.error().type, "ConsumerBusy");
      EXPECT_FALSE(second.error().retryable());
    }
  });
}

TEST(PulsarSubscriptions, SharedSplitsMessagesBetweenConsumers) {
  asio::io_context io;
  auto client = Client::create(io.get_executor(), testing::real_options()).value();
  const std::string topic = unique_topic("sub-shared");
  run_on(io, testing::kRealBrokerLimit, [&]() -> asio::awaitable<void> {
    auto sa = client->subscribe(options_for(topic, "shared", SubscriptionType::kShared));
    auto a = co_await std::move(sa);
    auto sb = client->subscribe(options_for(topic, "shared", SubscriptionType::kShared));
    auto b = co_await std::move(sb);
    PK_CO_ASSERT_OK(a);
    PK_CO_ASSERT_OK(b);
    auto producer = co_await make_producer(*client, topic);
    if (!producer) co_return;
    for (int i = 0; i < 200; ++i) {
      auto sending = producer->send_async(message(std::to_string(i)), nullptr);
      (void)co_await std::move(sending);
      if (i % 20 == 19) {
        auto flushing = producer->flush();
        (void)co_await std::move(flushing);
      }
    }
    auto got = co_await drain_two(**a, **b, 200);
    EXPECT_EQ(got[0].size() + got[1].size(), 200u);
    EXPECT_GT(got[0].size(), 0u);
    EXPECT_GT(got[1].size(), 0u);
    std::set<std::string> all;
    for (const auto& side : got) {
      for (const auto& m : side) all.insert(std::string(m.payload()));
    }
    EXPECT_EQ(all.size(), 200u) << "no message delivered twice";
  });
}

TEST(PulsarSubscriptions, FailoverDeliversToTheActiveConsumerOnly) {
  asio::io_context io;
  auto client = Client::create(io.get_executor(), testing::real_options()).value();
  const std::string topic = unique_topic("sub-failover");
  run_on(io, testing::kRealBrokerLimit, [&]() -> asio::awaitable<void> {
    auto oa = options_for(topic, "failover", SubscriptionType::kFailover);
    oa.consumer_name = "a-consumer";
    auto ob = oa;
    ob.consumer_name = "b-consumer";
    auto sa = client->subscribe(oa);
    auto a = co_await std::move(sa);
    auto sb = client->subscribe(ob);
    auto b = co_await std::move(sb);
    PK_CO_ASSERT_OK(a);
    PK_CO_ASSERT_OK(b);
    auto producer = co_await make_producer(*client, topic);
    if (!producer) co_return;
    co_await testing::send_numbers(*producer, 50);
    auto got = co_await drain_two(**a, **b, 50);
    EXPECT_EQ(got[0].size() + got[1].size(), 50u);
    EXPECT_TRUE(got[0].empty() || got[1].empty()) << got[0].size() << " / " << got[1].size();
    EXPECT_NE((*a)->is_active(), (*b)->is_active()) << "ACTIVE_CONSUMER_CHANGE told exactly one it is active";
    const size_t active = (*a)->is_active() ? 0 : 1;
    EXPECT_EQ(got[active].size(), 50u);
  });
}

TEST(PulsarSubscriptions, KeySharedKeepsEachKeyOnOneConsumer) {
  asio::io_context io;
  auto client = Client::create(io.get_executor(), testing::real_options()).value();
  const std::string topic = unique_topic("sub-keyshared");
  run_on(io, testing::kRealBrokerLimit, [&]() -> asio::awaitable<void> {
    auto sa = client->subscribe(options_for(topic, "ks", SubscriptionType::kKeyShared));
    auto a = co_await std::move(sa);
    auto sb = client->subscribe(options_for(topic, "ks", SubscriptionType::kKeyShared));
    auto b = co_await std::move(sb);
    PK_CO_ASSERT_OK(a);
    PK_CO_ASSERT_OK(b);
    auto producer = co_await make_producer(*client, topic, /*batch_by_key=*/true);
    if (!producer) co_return;
    for (int i = 0; i < 300; ++i) {
      OutgoingMessage m = message(std::to_string(i));
      m.key = "key-" + std::to_string(i % 20);
      auto sending = producer->send_async(std::move(m), nullptr);
      (void)co_await std::move(sending);
    }
    auto flushing = producer->flush();
    (void)co_await std::move(flushing);
    auto got = co_await drain_two(**a, **b, 300);
    EXPECT_EQ(got[0].size() + got[1].size(), 300u);
    std::map<std::string, std::set<int>> owners;
    std::map<std::string, int> last_seen;
    for (int side = 0; side < 2; ++side) {
      for (const auto& m : got[side]) {
        const std::string key(m.key());
        owners[key].insert(side);
        const int value = std::stoi(std::string(m.payload()));
        auto it = last_seen.find(key);
        if (it != last_seen.end()) {
          EXPECT_GT(value, it->second) << "in order per key";
        }
        last_seen[key] = value;
      }
    }
    EXPECT_EQ(owners.size(), 20u);
    for (const auto& [key, sides] : owners) EXPECT_EQ(sides.size(), 1u) << key << " went to both consumers";
    EXPECT_GT(got[0].size(), 0u);
    EXPECT_GT(got[1].size(), 0u);
  });
}

TEST(PulsarDeduplication, StableNameAndSequenceIdsDropReplays) {
  asio::io_context io;
  auto client = Client::create(io.get_executor(), testing::real_options()).value();
  const std::string topic = unique_topic("dedup", testing::dedup_namespace());
  const std::string name = "pk-shard-" + testing::unique_suffix();
  run_on(io, testing::kRealBrokerLimit, [&]() -> asio::awaitable<void> {
    ProducerOptions po;
    po.topic = topic;
    po.producer_name = name;
    po.batch.max_messages = 4;
    {
      auto creating = client->create_producer(po);
      auto producer = co_await std::move(creating);
      PK_CO_ASSERT_OK(producer);
      EXPECT_EQ((*producer)->last_sequence_id(), -1);
      for (uint64_t seq = 0; seq < 10; ++seq) {
        OutgoingMessage m = message("m" + std::to_string(seq));
        m.sequence_id = seq;
        auto sending = (*producer)->send_async(std::move(m), nullptr);
        (void)co_await std::move(sending);
      }
      auto closing = (*producer)->close();
      auto closing_result = co_await std::move(closing);
      PK_EXPECT_OK(closing_result);
    }
    auto creating = client->create_producer(po);
    auto replayer = co_await std::move(creating);
    PK_CO_ASSERT_OK(replayer);
    EXPECT_EQ((*replayer)->last_sequence_id(), 9) << "the broker remembers the producer name's last sequence id";
    // A crash-replay from sequence id 6: 6..9 are dropped by the broker, 10..11 are new.
    std::vector<Result<MessageId>> receipts;
    for (uint64_t seq = 6; seq < 12; ++seq) {
      OutgoingMessage m = message("m" + std::to_string(seq));
      m.sequence_id = seq;
      auto sending = (*replayer)->send_async(std::move(m), [&](const Result<MessageId>& r) { receipts.push_back(r); });
      (void)co_await std::move(sending);
    }
    auto flushing = (*replayer)->flush();
    auto flushing_result = co_await std::move(flushing);
    PK_EXPECT_OK(flushing_result);
    for (const auto& r : receipts) EXPECT_TRUE(r.ok());

    ConsumerOptions co = options_for(topic, "verify", SubscriptionType::kExclusive);
    auto subscribing = client->subscribe(co);
    auto consumer = co_await std::move(subscribing);
    PK_CO_ASSERT_OK(consumer);
    std::vector<std::string> payloads;
    for (;;) {
      auto receiving = (*consumer)->receive(3s);
      auto m = co_await std::move(receiving);
      if (!m.ok()) break;
      payloads.emplace_back(m->payload());
    }
    std::vector<std::string> expected;
    for (int i = 0; i < 12; ++i) expected.push_back("m" + std::to_string(i));
    EXPECT_EQ(payloads, expected) << "each sequence id stored once";
  });
}

}  // namespace
}  // namespace pk::pulsar
