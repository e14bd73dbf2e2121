// The sink pipeline end to end on the real servers: messages published to Pulsar land in kinesis-mock exactly
// once each (keys and payloads as the format says), and the subscription is left with no backlog.
#include <algorithm>
#include <map>
#include <set>
#include <thread>

#include "sink_fixture.h"

namespace pk::sink::testing {
namespace {

TEST_F(SinkOnRealServers, MovesEveryMessageToTheStreamAndAcksIt) {
  create_stream(2);
  Messages messages;
  for (int i = 0; i < 300; ++i) {
    std::optional<std::string> key;
    if (i % 10 != 0) key = fmt::format("key-{}", i % 17);
    std::string payload = fmt::format("message-{}-", i);
    payload.push_back(static_cast<char>(i % 256));  // binary-safe
    messages.emplace_back(key, payload);
  }
  publish(messages);

  SinkPipeline pipeline(*pulsar_, settings("pk-sink-it"), raw_encoder(), put(), list_shards());
  run_until_acked(pipeline, messages.size());
  EXPECT_EQ(pipeline.counters().messages_in, messages.size());
  EXPECT_EQ(pipeline.counters().messages_nacked, 0u);
  EXPECT_EQ(pipeline.in_flight_messages(), 0u);

  auto records = read_stream();
  ASSERT_EQ(records.size(), messages.size());
  std::map<std::string, std::string> key_of_payload;
  for (const auto& r : records) key_of_payload[r.data] = r.partition_key;
  ASSERT_EQ(key_of_payload.size(), messages.size());
  for (const auto& [key, payload] : messages) {
    ASSERT_TRUE(key_of_payload.count(payload)) << payload;
    EXPECT_EQ(key_of_payload[payload], key.value_or(topic_));
  }
  EXPECT_EQ(backlog("pk-sink-it"), 0);
}

// Refuses about 40% of first attempts and 20% of second ones, half as throttling, half as internal failures.
std::optional<std::string> flaky(const pk::testing::ProxiedEntry& e) {
  const size_t h = std::hash<std::string>{}(e.data_base64) % 10;
  const bool refuse = e.attempt_of_data == 0 ? h < 4 : e.attempt_of_data == 1 ? h < 2 : false;
  if (!refuse) return std::nullopt;
  return h % 2 == 0 ? "ProvisionedThroughputExceededException" : "InternalFailure";
}

// The message indexes (payloads) of the records per partition key, each key's expected in publish order.
std::map<std::string, std::vector<int>> expect_each_key_in_order(const std::vector<StreamRecord>& records) {
  std::map<std::string, std::vector<int>> order;
  for (const auto& r : records) order[r.partition_key].push_back(std::stoi(r.data));
  for (const auto& [key, indexes] : order) {
    EXPECT_TRUE(std::is_sorted(indexes.begin(), indexes.end())) << key << " was reordered";
  }
  return order;
}

TEST_F(SinkOnRealServers, RetainOrderingKeepsEachKeysOrderUnderPartialFailures) {
  create_stream(2);
  const auto messages = publish_keyed(400, 8);
  SinkPipeline pipeline(*pulsar_, ordered_settings("pk-sink-ordered"), raw_encoder(), put_through_proxy(flaky),
                        list_shards());
  run_until_acked(pipeline, messages.size());
  EXPECT_GT(proxy_->entries_refused(), 100u);
  EXPECT_GT(pipeline.producer_counters().throttled_entries, 0u);
  EXPECT_EQ(pipeline.producer_counters().entry_retries, proxy_->entries_refused());

  // Refused entries were never stored: the stream holds each message once, and per key in publish order.
  const auto records = read_stream();
  ASSERT_EQ(records.size(), messages.size());
  const auto order = expect_each_key_in_order(records);
  ASSERT_EQ(order.size(), 8u);
  for (const auto& [key, indexes] : order) EXPECT_EQ(indexes.size(), 50u) << key;
  EXPECT_EQ(backlog("pk-sink-ordered"), 0);
}

TEST_F(SinkOnRealServers, WithoutOrderingEveryMessageStillArrivesOnceUnderFaults) {
  create_stream(3);
  const auto messages = publish_keyed(400, 40);
  auto s = fast_retry_settings("pk-sink-faults");
  s.producer.collection_max_count = 50;
  PutRecordsFn put_faulty = put_through_proxy(flaky);
  // Every third request fails as a whole with a 503 (the client retries it too).
  proxy_->fail_requests([](size_t request) -> std::optional<pk::testing::Reply> {
    if (request % 3 == 0) return pk::testing::Reply::json(R"({"__type":"ServiceUnavailable","message":"x"})", 503);
    return std::nullopt;
  });
  SinkPipeline pipeline(*pulsar_, s, raw_encoder(), std::move(put_faulty), list_shards());
  run_until_acked(pipeline, messages.size());
  EXPECT_GT(proxy_->entries_refused(), 100u);
  std::set<std::string> payloads;
  for (const auto& r : read_stream()) EXPECT_TRUE(payloads.insert(r.data).second) << "duplicate " << r.data;
  EXPECT_EQ(payloads.size(), messages.size());
  EXPECT_EQ(backlog("pk-sink-faults"), 0);
}

TEST_F(SinkOnRealServers, AnOversizeRecordIsDeadLetteredWhileTheOthersFlow) {
  create_stream(1);
  auto messages = keyed_messages(50, 5);
  messages.insert(messages.begin() + 25, {std::string("big"), std::string(1100 * 1024, 'x')});
  publish(messages, /*batching=*/false);
  auto s = settings("pk-sink-dlq");
  s.dead_letter_topic = topic_ + "-dlq";
  SinkPipeline pipeline(*pulsar_, s, raw_encoder(), put(), list_shards());
  run_pipeline(pipeline, [&] {
    return pipeline.counters().messages_acked + pipeline.counters().messages_dead_lettered >= messages.size();
  });
  EXPECT_EQ(pipeline.counters().messages_acked, 50u);
  EXPECT_EQ(pipeline.counters().messages_dead_lettered, 1u);
  EXPECT_EQ(pipeline.counters().rejected, 1u);
  EXPECT_EQ(read_stream().size(), 50u);
  EXPECT_EQ(backlog("pk-sink-dlq"), 0);

  // The dead-letter topic holds the original bytes and the reason.
  run([&]() -> asio::awaitable<void> {
    pulsar::ConsumerOptions options;
    options.topics = {s.dead_letter_topic};
    options.subscription = "check";
    options.initial_position = pulsar::InitialPosition::kEarliest;
    auto subscribing = pulsar_->subscribe(options);
    auto consumer = co_await std::move(subscribing);
    EXPECT_TRUE(consumer.ok()) << consumer.error().to_string();
    if (!consumer.ok()) co_return;
    auto receiving = (*consumer)->receive(10s);
    auto message = co_await std::move(receiving);
    EXPECT_TRUE(message.ok()) << message.error().to_string();
    if (!message.ok()) co_return;
    EXPECT_EQ(message->payload().size(), 1100u * 1024);
    EXPECT_EQ(message->key(), "big");
    EXPECT_EQ(message->property("REAL_TOPIC"), std::optional<std::string_view>(topic_));
    const std::string reason(message->property("pulsar-kinesis.error").value_or("(none)"));
    EXPECT_NE(reason.find("over the Kinesis limit"), std::string::npos) << reason;
    auto closing = (*consumer)->close();
    (void)co_await std::move(closing);
  });
}

TEST_F(SinkOnRealServers, AnOversizeRecordWithoutDeadLetterTopicIsNackedAndStaysInTheBacklog) {
  create_stream(1);
  auto messages = keyed_messages(20, 2);
  messages.insert(messages.begin() + 10, {std::string("big"), std::string(1100 * 1024, 'x')});
  publish(messages, /*batching=*/false);
  SinkPipeline pipeline(*pulsar_, settings("pk-sink-nack"), raw_encoder(), put(), list_shards());
  run_pipeline(pipeline,
               [&] { return pipeline.counters().messages_acked >= 20 && pipeline.counters().messages_nacked >= 1; });
  EXPECT_EQ(pipeline.counters().messages_acked, 20u);
  EXPECT_GE(pipeline.counters().messages_nacked, 1u);
  EXPECT_EQ(read_stream().size(), 20u);
  EXPECT_EQ(backlog("pk-sink-nack", 1), 1);  // never lost: still there for a redelivery
}

TEST_F(SinkOnRealServers, AggregatesCarryEveryMessageOnTheShardItsKeyBelongsTo) {
  create_stream(3);
  const auto messages = publish_keyed(2000, 60);
  auto s = settings("pk-sink-aggregated");
  s.producer.aggregation = true;
  SinkPipeline pipeline(*pulsar_, s, raw_encoder(), put(), list_shards());
  run_until_acked(pipeline, messages.size());
  const auto& produced = pipeline.producer_counters();
  EXPECT_LT(produced.entries_put * 10, messages.size()) << "aggregation packed too little";
  EXPECT_EQ(produced.wrong_shard_entries, 0u);

  const auto records = read_stream();
  EXPECT_EQ(dropped_sub_records_, 0u);
  ASSERT_EQ(records.size(), messages.size());
  std::set<std::string> payloads;
  size_t aggregated = 0;
  for (const auto& r : records) {
    EXPECT_TRUE(payloads.insert(r.data).second) << "duplicate " << r.data;
    EXPECT_EQ(r.partition_key, fmt::format("key-{}", std::stoi(r.data) % 60));
    aggregated += r.from_aggregate;
  }
  EXPECT_GT(aggregated, messages.size() / 2);
  EXPECT_EQ(backlog("pk-sink-aggregated"), 0);
}

TEST_F(SinkOnRealServers, AggregatedAndOrderedUnderPartialFailures) {
  create_stream(2);
  const auto messages = publish_keyed(1000, 8);
  auto s = ordered_settings("pk-sink-agg-ordered");
  s.producer.aggregation = true;
  s.producer.aggregation_max_size = 2000;  // several aggregates per lane, so that order across them matters
  SinkPipeline pipeline(*pulsar_, s, raw_encoder(), put_through_proxy(flaky), list_shards());
  run_until_acked(pipeline, messages.size());
  EXPECT_GT(proxy_->entries_refused(), 0u);
  const auto records = read_stream();
  ASSERT_EQ(records.size(), messages.size());
  expect_each_key_in_order(records);
}

}  // namespace
}  // namespace pk::sink::testing
