#pragma once
// A sink pipeline on the real servers, for the integration tests: a Pulsar client and a Kinesis client
// (kinesis-mock over TLS) on one loop, a fresh stream per test (deleted afterwards), a producer of test messages,
// an optional fault-injecting proxy in front of kinesis-mock, a reader of everything in the stream, and the
// subscription backlog from the broker's admin API.

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "admin.h"
#include "aws/endpoints.h"
#include "aws/static_credentials_provider.h"
#include "kinesis/client.h"
#include "kinesis_fault_proxy.h"
#include "kpl/deaggregator.h"
#include "pulsar/client/client.h"
#include "real_broker.h"
#include "sink/sink_pipeline.h"
#include "support/async_test.h"
#include "support/server_env.h"

namespace pk::sink::testing {

using namespace std::chrono_literals;
namespace asio = boost::asio;

struct StreamRecord {
  std::string partition_key;
  std::string data;
  std::string shard;
  std::string sequence;
  uint64_t sub_sequence = 0;
  bool from_aggregate = false;
};

class SinkOnRealServers : public ::testing::Test {
 protected:
  using Messages = std::vector<std::pair<std::optional<std::string>, std::string>>;  // (key, payload)

  // A Kinesis client for `url` (kinesis-mock over TLS with the test CA, or a plain-HTTP proxy in front of it).
  std::unique_ptr<kinesis::KinesisClient> kinesis_client(const std::string& url) {
    auto endpoint = aws::resolve_endpoint({"kinesis", "us-east-1", url, {}});
    EXPECT_TRUE(endpoint.ok()) << endpoint.error().to_string();
    kinesis::KinesisClientOptions options;
    options.http.tls.ca_file = pk::testing::server_env("PK_TLS_CA_FILE");
    options.wait_interval = 200ms;
    options.wait_timeout = 60s;
    auto credentials =
        std::make_shared<aws::StaticCredentialsProvider>(aws::Credentials{"AKIDTEST", "test-secret", "", std::nullopt});
    auto client = kinesis::KinesisClient::create(io_.get_executor(), *endpoint, credentials, options);
    EXPECT_TRUE(client.ok()) << client.error().to_string();
    return client.ok() ? std::move(*client) : nullptr;
  }

  void SetUp() override {
    kinesis_ = kinesis_client(pk::testing::server_env("PK_KINESIS_ENDPOINT"));
    ASSERT_TRUE(kinesis_);
    auto pulsar = pulsar::Client::create(io_.get_executor(), pulsar::testing::real_options());
    ASSERT_TRUE(pulsar.ok()) << pulsar.error().to_string();
    pulsar_ = std::move(*pulsar);
    topic_ = pulsar::testing::unique_topic("pk-sink");
  }

  void TearDown() override {
    through_proxy_.reset();
    proxy_.reset();
    if (!stream_.name.empty()) {
      run([&]() -> asio::awaitable<void> {
        auto deleting = kinesis_->delete_stream(stream_, true);
        (void)co_await std::move(deleting);
      });
    }
    if (pulsar_) pulsar_->close();
  }

  // Runs `body` on the test's loop to completion.
  template <typename F>
  void run(F body, std::chrono::seconds limit = 240s) {
    io_.restart();  // a loop that ran out of work stays stopped until restarted
    pk::testing::run_on(io_, std::move(body), limit);
  }

  void create_stream(int shards) {
    stream_ = kinesis::StreamRef::named(fmt::format("pk-sink-{}", pulsar::testing::unique_suffix()));
    run([&]() -> asio::awaitable<void> {
      auto creating = kinesis_->create_stream(stream_.name, shards);
      auto created = co_await std::move(creating);
      EXPECT_TRUE(created.ok()) << created.error().to_string();
      auto waiting = kinesis_->wait_for_stream_active(stream_);
      auto active = co_await std::move(waiting);
      EXPECT_TRUE(active.ok()) << active.error().to_string();
    });
  }

  // `n` messages over `keys` keys (key-0, key-1, ...); payload = the message's index (publish order), 6 digits.
  static Messages keyed_messages(int n, int keys) {
    Messages messages;
    for (int i = 0; i < n; ++i) messages.emplace_back(fmt::format("key-{}", i % keys), fmt::format("{:06}", i));
    return messages;
  }
  // Publishes keyed_messages(n, keys) and returns them.
  Messages publish_keyed(int n, int keys) {
    Messages messages = keyed_messages(n, keys);
    publish(messages);
    return messages;
  }

  // Publishes the messages (key, payload) to the test topic, in order, and waits for every receipt.
  void publish(const Messages& messages, bool batching = true) {
    run([&]() -> asio::awaitable<void> {
      pulsar::ProducerOptions options;
      options.topic = topic_;
      options.batching = batching;
      auto producer = co_await pulsar::testing::make_producer(*pulsar_, options);
      if (!producer) co_return;
      for (const auto& [key, payload] : messages) {
        pulsar::OutgoingMessage m;
        m.key = key;
        m.payload = payload;
        auto sending = producer->send_async(
            std::move(m), [](const Result<pulsar::MessageId>& r) { EXPECT_TRUE(r.ok()) << r.error().to_string(); });
        auto queued = co_await std::move(sending);
        EXPECT_TRUE(queued.ok()) << queued.error().to_string();
      }
      auto flushing = producer->flush();
      auto flushed = co_await std::move(flushing);
      EXPECT_TRUE(flushed.ok()) << flushed.error().to_string();
      auto closing = producer->close();
      (void)co_await std::move(closing);
    });
  }

  SinkPipelineSettings settings(const std::string& subscription) {
    SinkPipelineSettings s;
    s.name = "test-sink";
    s.consumer.topics = {topic_};
    s.consumer.subscription = subscription;
    s.consumer.type = pulsar::SubscriptionType::kShared;
    s.consumer.initial_position = pulsar::InitialPosition::kEarliest;
    s.stream = stream_;
    s.producer.aggregation = false;
    return s;
  }

  // PutRecords through `client` (the direct one by default).
  PutRecordsFn put(kinesis::KinesisClient* client = nullptr) {
    if (client == nullptr) client = kinesis_.get();
    return [client](std::string body, size_t entries) { return client->put_records_body(std::move(body), entries); };
  }
  ListShardsFn list_shards() {
    return [this]() { return kinesis_->list_shards(stream_); };
  }

  // Settings whose PutRecords retries start at 10 ms and back off to 50 ms at most (for tests that refuse many).
  SinkPipelineSettings fast_retry_settings(const std::string& subscription) {
    SinkPipelineSettings s = settings(subscription);
    s.producer.retry_initial_delay = 10ms;
    s.producer.retry_max_delay = 50ms;
    return s;
  }

  // fast_retry_settings keeping each key's order: retain_ordering on a failover subscription.
  SinkPipelineSettings ordered_settings(const std::string& subscription) {
    SinkPipelineSettings s = fast_retry_settings(subscription);
    s.consumer.type = pulsar::SubscriptionType::kFailover;
    s.producer.retain_ordering = true;
    return s;
  }

  // Starts `proxy_`, a KinesisFaultProxy in front of kinesis-mock's plain port that refuses entries as `fault`
  // says, and returns a PutRecords that goes through it.
  PutRecordsFn put_through_proxy(pk::testing::KinesisFaultProxy::EntryFault fault) {
    proxy_ = std::make_unique<pk::testing::KinesisFaultProxy>(pk::testing::server_env("PK_KINESIS_PLAIN_ENDPOINT"));
    proxy_->fail_entries(std::move(fault));
    through_proxy_ = kinesis_client(proxy_->url());
    EXPECT_TRUE(through_proxy_);
    return put(through_proxy_.get());
  }

  // The raw format: the payload as it is; the key, else the topic name.
  static formats::FormatOptions raw_encoder() { return formats::FormatOptions{}; }

  // Starts `pipeline`, runs it until `done()` holds (checked every 50 ms) or `limit` passed, then stops it and
  // waits for its drain.
  template <typename Done>
  void run_pipeline(SinkPipeline& pipeline, Done done, std::chrono::seconds limit = 120s) {
    run(
        [&]() -> asio::awaitable<void> {
          auto starting = pipeline.start();
          auto started = co_await std::move(starting);
          EXPECT_TRUE(started.ok()) << started.error().to_string();
          if (!started.ok()) co_return;
          bool finished = false;
          Status result;
          asio::co_spawn(
              io_,
              [&]() -> asio::awaitable<void> {
                auto running = pipeline.run();
                result = co_await std::move(running);
                finished = true;
              },
              [](std::exception_ptr) {});
          asio::steady_timer timer(io_);
          const auto deadline = std::chrono::steady_clock::now() + limit;
          while (!done() && std::chrono::steady_clock::now() < deadline) {
            timer.expires_after(50ms);
            co_await timer.async_wait(asio::use_awaitable);
          }
          pipeline.stop();
          while (!finished) {
            timer.expires_after(20ms);
            co_await timer.async_wait(asio::use_awaitable);
          }
          EXPECT_TRUE(result.ok()) << result.error().to_string();
        },
        limit + 60s);
  }

  // Runs `pipeline` until it has acknowledged `count` messages and expects exactly that many acknowledged.
  void run_until_acked(SinkPipeline& pipeline, size_t count) {
    run_pipeline(pipeline, [&] { return pipeline.counters().messages_acked >= count; });
    EXPECT_EQ(pipeline.counters().messages_acked, count);
  }

  // Every user record in the stream (all shards, from the start), aggregates read back into their sub-records with
  // the KCL's rule: a sub-record whose hash is outside the shard it was read from is dropped (and counted in
  // `dropped_sub_records_`, which the tests expect to stay 0).
  std::vector<StreamRecord> read_stream() {
    std::vector<StreamRecord> out;
    run([&]() -> asio::awaitable<void> {
      auto listing = kinesis_->list_shards(stream_);
      auto shards = co_await std::move(listing);
      EXPECT_TRUE(shards.ok()) << shards.error().to_string();
      if (!shards.ok()) co_return;
      for (const auto& shard : *shards) {
        auto getting = kinesis_->get_shard_iterator(stream_, shard.shard_id, kinesis::StartingPosition::trim_horizon());
        auto iterator = co_await std::move(getting);
        EXPECT_TRUE(iterator.ok()) << iterator.error().to_string();
        if (!iterator.ok()) co_return;
        std::string next = *iterator;
        for (int calls = 0; calls < 200; ++calls) {
          auto reading = kinesis_->get_records(next, 10000);
          auto got = co_await std::move(reading);
          EXPECT_TRUE(got.ok()) << got.error().to_string();
          if (!got.ok()) co_return;
          for (const auto& r : got->records) {
            auto read = kpl::deaggregate(r.data);
            if (!read.is_aggregate()) {
              out.push_back({std::string(r.partition_key), std::string(r.data), shard.shard_id.str(),
                             std::string(r.sequence_number)});
              continue;
            }
            for (const auto& sub : read.records) {
              const auto hash = sub.explicit_hash_key ? kinesis::HashKey::parse(*sub.explicit_hash_key).value()
                                                      : kinesis::HashKey::of_partition_key(sub.partition_key);
              if (!shard.hash_key_range.contains(hash)) {
                ++dropped_sub_records_;
                continue;
              }
              out.push_back({std::string(sub.partition_key), std::string(sub.data), shard.shard_id.str(),
                             std::string(r.sequence_number), sub.sub_sequence_number, true});
            }
          }
          if (got->at_shard_end() || (got->records.empty() && got->millis_behind_latest == 0)) break;
          next = *got->next_shard_iterator;
        }
      }
    });
    return out;
  }

  // The subscription's backlog as the broker reports it (polled until it is `expected` or 15 s passed).
  int64_t backlog(const std::string& subscription, int64_t expected = 0) {
    int64_t value = -1;
    for (int i = 0; i < 75; ++i) {
      auto stats = pulsar::testing::admin_request(boost::beast::http::verb::get,
                                                  "/admin/v2/" + pulsar::testing::rest_path(topic_) + "/stats");
      const std::string needle = "\"" + subscription + "\"";
      auto at = stats.body.find(needle);
      if (at != std::string::npos) {
        auto field = stats.body.find("\"msgBacklog\"", at);
        if (field != std::string::npos) value = std::stoll(stats.body.substr(stats.body.find(':', field) + 1));
      }
      if (value == expected) break;
      std::this_thread::sleep_for(200ms);
    }
    return value;
  }

  asio::io_context io_;
  std::unique_ptr<kinesis::KinesisClient> kinesis_;
  std::unique_ptr<pulsar::Client> pulsar_;
  kinesis::StreamRef stream_;
  std::string topic_;
  size_t dropped_sub_records_ = 0;
  std::unique_ptr<pk::testing::KinesisFaultProxy> proxy_;  // put_through_proxy() starts it
  std::unique_ptr<kinesis::KinesisClient> through_proxy_;
};

}  // namespace pk::sink::testing
