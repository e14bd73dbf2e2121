// Round trips against the real Pulsar standalone: every producer and consumer feature of the client.
#include <map>
#include <set>

#include <gtest/gtest.h>

#include "net/timeout.h"
#include "pulsar/client/producer_impl.h"
#include "pulsar/proto/murmur3.h"
#include "real_broker.h"

namespace pk::pulsar {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using pk::testing::run_on;
using testing::message;
using testing::unique_topic;

ConsumerOptions consumer_options(const std::string& topic, SubscriptionType type = SubscriptionType::kExclusive) {
  ConsumerOptions o;
  o.topics = {topic};
  o.subscription = "it-" + testing::unique_suffix();
  o.type = type;
  o.initial_position = InitialPosition::kEarliest;
  return o;
}

// Receives until `n` messages arrived or `timeout` passed without one.
asio::awaitable<std::vector<Message>> receive_n(Consumer& consumer, size_t n, bool ack = true,
                                                std::chrono::milliseconds timeout = 10s) {
  std::vector<Message> got;
  while (got.size() < n) {
    auto receiving = consumer.receive(timeout);
    auto m = co_await std::move(receiving);
    if (!m.ok()) break;
    if (ack) {
      EXPECT_TRUE(consumer.acknowledge(m->id()).ok());
    }
    got.push_back(std::move(*m));
  }
  co_return got;
}

TEST(PulsarRoundTrip, SingleMessagesWithKeyPropertiesAndEventTime) {
  asio::io_context io;
  auto client = Client::create(io.get_executor(), testing::real_options()).value();
  const std::string topic = unique_topic("rt-single");
  run_on(io, testing::kRealBrokerLimit, [&]() -> asio::awaitable<void> {
    auto subscribing = client->subscribe(consumer_options(topic));
    auto consumer = co_await std::move(subscribing);
    PK_CO_ASSERT_OK(consumer);
    ProducerOptions po;
    po.topic = topic;
    po.batching = false;
    auto creating = client->create_producer(po);
    auto producer = co_await std::move(creating);
    PK_CO_ASSERT_OK(producer);
    std::vector<MessageId> ids;
    for (int i = 0; i < 20; ++i) {
      OutgoingMessage m = message("payload-" + std::to_string(i));
      m.key = "key-" + std::to_string(i);
      m.properties = {{"index", std::to_string(i)}, {"kind", "single"}};
      m.event_time = 1'700'000'000'000 + i;
      auto sending = (*producer)->send(std::move(m));
      auto id = co_await std::move(sending);
      EXPECT_TRUE(id.ok()) << id.error().to_string();
      if (id.ok()) ids.push_back(*id);
    }
    auto got = co_await receive_n(**consumer, 20);
    EXPECT_EQ(got.size(), 20u);
    for (size_t i = 0; i < got.size(); ++i) {
      EXPECT_EQ(got[i].payload(), "payload-" + std::to_string(i));
      EXPECT_EQ(got[i].key(), "key-" + std::to_string(i));
      EXPECT_EQ(got[i].property("index"), std::to_string(i));
      EXPECT_EQ(got[i].property("kind"), "single");
      EXPECT_EQ(got[i].event_time(), 1'700'000'000'000u + i);
      EXPECT_EQ(got[i].producer_name(), (*producer)->producer_name());
      EXPECT_EQ(got[i].sequence_id(), i);
      EXPECT_GT(got[i].publish_time(), 0u);
      if (i < ids.size()) {
        EXPECT_EQ(got[i].id().ledger, ids[i].ledger);
        EXPECT_EQ(got[i].id().entry, ids[i].entry);
      }
    }
    auto closing_p = (*producer)->close();
    auto closing_p_result = co_await std::move(closing_p);
    PK_EXPECT_OK(closing_p_result);
    auto closing_c = (*consumer)->close();
    auto closing_c_result = co_await std::move(closing_c);
    PK_EXPECT_OK(closing_c_result);
  });
}

TEST(PulsarRoundTrip, BatchingWithEveryCompression) {
  for (Compression c :
       {Compression::kNone, Compression::kLz4, Compression::kZlib, Compression::kZstd, Compression::kSnappy}) {
    SCOPED_TRACE(static_cast<int>(c));
    asio::io_context io;
    auto client = Client::create(io.get_executor(), testing::real_options()).value();
    const std::string topic = unique_topic("rt-batch");
    run_on(io, testing::kRealBrokerLimit, [&]() -> asio::awaitable<void> {
      auto subscribing = client->subscribe(consumer_options(topic));
      auto consumer = co_await std::move(subscribing);
      PK_CO_ASSERT_OK(consumer);
      ProducerOptions po;
      po.topic = topic;
      po.batch.max_messages = 50;
      po.batch.max_delay = 20ms;
      po.compression = c;
      auto creating = client->create_producer(po);
      auto producer = co_await std::move(creating);
      PK_CO_ASSERT_OK(producer);
      std::vector<Result<MessageId>> receipts;
      for (int i = 0; i < 300; ++i) {
        OutgoingMessage m = message(std::string(100, static_cast<char>('a' + i % 26)) + std::to_string(i));
        m.key = "k" + std::to_string(i % 7);
        m.properties = {{"i", std::to_string(i)}};
        auto sending =
            (*producer)->send_async(std::move(m), [&](const Result<MessageId>& r) { receipts.push_back(r); });
        auto sending_result = co_await std::move(sending);
        PK_EXPECT_OK(sending_result);
      }
      auto flushing = (*producer)->flush();
      auto flushing_result = co_await std::move(flushing);
      PK_EXPECT_OK(flushing_result);
      EXPECT_EQ(receipts.size(), 300u);
      std::set<int64_t> entries;
      for (const auto& r : receipts) {
        EXPECT_TRUE(r.ok());
        if (r.ok()) {
          entries.insert(r->entry);
          EXPECT_TRUE(r->is_batched());
        }
      }
      EXPECT_LE(entries.size(), 10u) << "batched into few entries";
      auto got = co_await receive_n(**consumer, 300);
      EXPECT_EQ(got.size(), 300u);
      for (size_t i = 0; i < got.size(); ++i) {
        EXPECT_EQ(got[i].payload(), std::string(100, static_cast<char>('a' + i % 26)) + std::to_string(i));
        EXPECT_EQ(got[i].property("i"), std::to_string(i));
        EXPECT_EQ(got[i].key(), "k" + std::to_string(i % 7));
        EXPECT_TRUE(got[i].id().is_batched());
      }
    });
  }
}

TEST(PulsarRoundTrip, PartitionedTopicRoutesByKeyAndConsumesAllPartitions) {
  asio::io_context io;
  auto client = Client::create(io.get_executor(), testing::real_options()).value();
  const std::string topic = unique_topic("rt-partitioned");
  ASSERT_TRUE(testing::create_partitioned_topic(topic, 3));
  run_on(io, testing::kRealBrokerLimit, [&]() -> asio::awaitable<void> {
    auto o = consumer_options(topic, SubscriptionType::kShared);
    auto subscribing = client->subscribe(o);
    auto consumer = co_await std::move(subscribing);
    PK_CO_ASSERT_OK(consumer);
    EXPECT_EQ((*consumer)->topics().size(), 3u);
    ProducerOptions po;
    po.topic = topic;
    auto creating = client->create_producer(po);
    auto producer = co_await std::move(creating);
    PK_CO_ASSERT_OK(producer);
    EXPECT_EQ((*producer)->partitions(), 3u);
    for (int i = 0; i < 60; ++i) {
      OutgoingMessage m = message("v" + std::to_string(i));
      m.key = "user-" + std::to_string(i % 10);
      auto sending = (*producer)->send_async(std::move(m), nullptr);
      (void)co_await std::move(sending);
    }
    // Messages without a key still spread over partitions.
    for (int i = 0; i < 30; ++i) {
      auto sending = (*producer)->send_async(message("nokey"), nullptr);
      (void)co_await std::move(sending);
    }
    auto flushing = (*producer)->flush();
    auto flushing_result = co_await std::move(flushing);
    PK_EXPECT_OK(flushing_result);
    auto got = co_await receive_n(**consumer, 90);
    EXPECT_EQ(got.size(), 90u);
    std::map<std::string, std::set<int>> partitions_of_key;
    for (const auto& m : got) {
      if (m.has_key()) {
        partitions_of_key[std::string(m.key())].insert(m.id().partition);
        EXPECT_EQ(m.id().partition, proto::partition_for_key(m.key(), 3)) << m.key();
        EXPECT_EQ(m.topic(), topic + "-partition-" + std::to_string(m.id().partition));
      }
    }
    for (const auto& [key, parts] : partitions_of_key) EXPECT_EQ(parts.size(), 1u) << key;
  });
}

TEST(PulsarRoundTrip, AckedMessagesAreNotRedeliveredButUnackedAre) {
  asio::io_context io;
  auto client = Client::create(io.get_executor(), testing::real_options()).value();
  const std::string topic = unique_topic("rt-acks");
  auto options = consumer_options(topic);
  run_on(io, testing::kRealBrokerLimit, [&]() -> asio::awaitable<void> {
    {
      auto subscribing = client->subscribe(options);
      auto consumer = co_await std::move(subscribing);
      PK_CO_ASSERT_OK(consumer);
      auto po = testing::producer_options(topic);
      po.batching = false;
      auto producer = co_await testing::make_producer(*client, po);
      if (!producer) co_return;
      co_await testing::send_numbers(*producer, 10);
      auto got = co_await receive_n(**consumer, 10, false);
      EXPECT_EQ(got.size(), 10u);
      for (const auto& m : got) {
        if (std::stoi(std::string(m.payload())) % 2 == 0) {
          EXPECT_TRUE((*consumer)->acknowledge(m.id()).ok());
        }
      }
      auto closing = (*consumer)->close();  // flushes the grouped acks
      (void)co_await std::move(closing);
    }
    auto resubscribing = client->subscribe(options);
    auto again = co_await std::move(resubscribing);
    PK_CO_ASSERT_OK(again);
    auto got = co_await receive_n(**again, 10, true, 3s);
    std::vector<std::string> payloads;
    for (const auto& m : got) {
      payloads.emplace_back(m.payload());
      EXPECT_GE(m.redelivery_count(), 0u);
    }
    EXPECT_EQ(payloads, (std::vector<std::string>{"1", "3", "5", "7", "9"}));
  });
}

TEST(PulsarRoundTrip, CumulativeAck) {
  asio::io_context io;
  auto client = Client::create(io.get_executor(), testing::real_options()).value();
  const std::string topic = unique_topic("rt-cumulative");
  auto options = consumer_options(topic, SubscriptionType::kFailover);
  run_on(io, testing::kRealBrokerLimit, [&]() -> asio::awaitable<void> {
    {
      auto subscribing = client->subscribe(options);
      auto consumer = co_await std::move(subscribing);
      PK_CO_ASSERT_OK(consumer);
      // Batches of 4: cumulative acks inside and at the end of batches.
      auto producer = co_await testing::make_producer(*client, testing::producer_options(topic, 4));
      if (!producer) co_return;
      co_await testing::send_numbers(*producer, 12);
      auto got = co_await receive_n(**consumer, 12, false);
      EXPECT_EQ(got.size(), 12u);
      if (got.size() == 12) {
        EXPECT_TRUE((*consumer)->acknowledge_cumulative(got[7].id()).ok());
      }
      auto closing = (*consumer)->close();
      (void)co_await std::move(closing);
    }
    auto resubscribing = client->subscribe(options);
    auto again = co_await std::move(resubscribing);
    PK_CO_ASSERT_OK(again);
    auto got = co_await receive_n(**again, 12, true, 3s);
    EXPECT_FALSE(got.empty());
    if (got.empty()) co_return;
    EXPECT_EQ(got.front().payload(), "8") << "everything up to message 7 (the end of the second batch) is acked";
    EXPECT_EQ(got.size(), 4u);
  });
}

TEST(PulsarRoundTrip, BatchIndexAcksOnlyRedeliverWhatWasNotAcked) {
  asio::io_context io;
  auto client = Client::create(io.get_executor(), testing::real_options()).value();
  const std::string topic = unique_topic("rt-batch-index");
  auto options = consumer_options(topic, SubscriptionType::kShared);
  options.batch_index_ack = true;
  run_on(io, testing::kRealBrokerLimit, [&]() -> asio::awaitable<void> {
    {
      auto subscribing = client->subscribe(options);
      auto consumer = co_await std::move(subscribing);
      PK_CO_ASSERT_OK(consumer);
      auto po = testing::producer_options(topic, 10);
      po.batch.max_delay = 1s;
      auto producer = co_await testing::make_producer(*client, po);
      if (!producer) co_return;
      co_await testing::send_numbers(*producer, 10);
      auto got = co_await receive_n(**consumer, 10, false);
      EXPECT_EQ(got.size(), 10u);
      for (const auto& m : got) {
        EXPECT_EQ(m.id().batch_size, 10);
        if (m.id().batch_index < 6) {
          EXPECT_TRUE((*consumer)->acknowledge(m.id()).ok());
        }
      }
      auto closing = (*consumer)->close();
      (void)co_await std::move(closing);
    }
    auto resubscribing = client->subscribe(options);
    auto again = co_await std::move(resubscribing);
    PK_CO_ASSERT_OK(again);
    auto got = co_await receive_n(**again, 10, true, 3s);
    std::vector<std::string> payloads;
    for (const auto& m : got) payloads.emplace_back(m.payload());
    EXPECT_EQ(payloads, (std::vector<std::string>{"6", "7", "8", "9"}));
  });
}

TEST(PulsarRoundTrip, NegativeAckRedeliversWithACount) {
  asio::io_context io;
  auto client = Client::create(io.get_executor(), testing::real_options()).value();
  const std::string topic = unique_topic("rt-nack");
  run_on(io, testing::kRealBrokerLimit, [&]() -> asio::awaitable<void> {
    auto o = consumer_options(topic, SubscriptionType::kShared);
    o.negative_ack_delay = 300ms;
    auto subscribing = client->subscribe(o);
    auto consumer = co_await std::move(subscribing);
    PK_CO_ASSERT_OK(consumer);
    ProducerOptions po;
    po.topic = topic;
    po.batching = false;
    auto creating = client->create_producer(po);
    auto producer = co_await std::move(creating);
    PK_CO_ASSERT_OK(producer);
    for (const char* p : {"a", "b"}) {
      auto sending = (*producer)->send(message(p));
      (void)co_await std::move(sending);
    }
    auto first = co_await receive_n(**consumer, 2, false);
    EXPECT_EQ(first.size(), 2u);
    if (first.size() != 2) co_return;
    EXPECT_TRUE((*consumer)->acknowledge(first[1].id()).ok());
    const auto nacked = std::chrono::steady_clock::now();
    (*consumer)->negative_acknowledge(first[0].id());
    auto receiving = (*consumer)->receive(10s);
    auto again = co_await std::move(receiving);
    PK_CO_ASSERT_OK(again);
    EXPECT_EQ(again->payload(), "a");
    EXPECT_EQ(again->redelivery_count(), 1u);
    EXPECT_GE(std::chrono::steady_clock::now() - nacked, 250ms);
    EXPECT_TRUE((*consumer)->acknowledge(again->id()).ok());
  });
}

TEST(PulsarRoundTrip, MultiTopicAndRegexConsumers) {
  asio::io_context io;
  auto client = Client::create(io.get_executor(), testing::real_options()).value();
  const std::string stem = "rt-regex-" + testing::unique_suffix();
  const std::string a = "persistent://public/default/" + stem + "-a";
  const std::string b = "persistent://public/default/" + stem + "-b";
  const std::string other = "persistent://public/default/" + stem + "x-c";
  run_on(io, testing::kRealBrokerLimit, [&]() -> asio::awaitable<void> {
    for (const auto& t : {a, b, other}) {
      ProducerOptions po;
      po.topic = t;
      po.batching = false;
      auto creating = client->create_producer(po);
      auto producer = co_await std::move(creating);
      PK_CO_ASSERT_OK(producer);
      auto sending = (*producer)->send(message(t));
      (void)co_await std::move(sending);
    }
    ConsumerOptions listed = consumer_options(a);
    listed.topics = {a, b};
    auto subscribing = client->subscribe(listed);
    auto multi = co_await std::move(subscribing);
    PK_CO_ASSERT_OK(multi);
    auto got = co_await receive_n(**multi, 2);
    std::set<std::string> seen;
    for (const auto& m : got) seen.insert(std::string(m.payload()));
    EXPECT_EQ(seen, (std::set<std::string>{a, b}));

    ConsumerOptions pattern = consumer_options(a);
    pattern.topics.clear();
    pattern.topics_pattern = "persistent://public/default/" + stem + "-.*";
    auto pattern_subscribing = client->subscribe(pattern);
    auto regex = co_await std::move(pattern_subscribing);
    PK_CO_ASSERT_OK(regex);
    auto topics = (*regex)->topics();
    std::sort(topics.begin(), topics.end());
    EXPECT_EQ(topics, (std::vector<std::string>{a, b}));
    auto from_regex = co_await receive_n(**regex, 2);
    EXPECT_EQ(from_regex.size(), 2u);
  });
}

TEST(PulsarRoundTrip, GetSchema) {
  asio::io_context io;
  auto client = Client::create(io.get_executor(), testing::real_options()).value();
  const std::string plain = unique_topic("rt-noschema");
  const std::string typed = unique_topic("rt-schema");
  const std::string avro = R"({"type":"record","name":"Order","fields":[{"name":"id","type":"long"}]})";
  std::string body = R"({"type":"AVRO","schema":")";
  for (char c : avro) {
    if (c == '"') body += '\\';
    body += c;
  }
  body += R"(","properties":{"owner":"pk"}})";
  const auto upload = testing::admin_request(
      boost::beast::http::verb::post,
      "/admin/v2/schemas/public/default/" + typed.substr(typed.rfind('/') + 1) + "/schema", body);
  ASSERT_TRUE(upload.status == 200 || upload.status == 204) << upload.status << " " << upload.body;
  run_on(io, testing::kRealBrokerLimit, [&]() -> asio::awaitable<void> {
    auto getting = client->get_schema(typed);
    auto schema = co_await std::move(getting);
    EXPECT_TRUE(schema.ok()) << (schema.ok() ? "" : schema.error().to_string());
    if (schema.ok()) {
      EXPECT_EQ(schema->type_name, "Avro");
      EXPECT_EQ(schema->definition, avro);
      EXPECT_FALSE(schema->version.empty());
      EXPECT_EQ(schema->properties.size(), 1u);
      if (!schema->properties.empty()) {
        EXPECT_EQ(schema->properties[0].second, "pk");
      }
    }
    auto missing = client->get_schema(plain);
    auto none = co_await std::move(missing);
    EXPECT_FALSE(none.ok());
    if (!none.ok()) {
      EXPECT_EQ(none.error().code, ErrorCode::kNotFound);
    }
  });
}

}  // namespace
}  // namespace pk::pulsar
