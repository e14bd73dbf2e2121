// Enhanced fan-out against kinesis-mock: register a consumer, wait for ACTIVE, subscribe over HTTP/2 (TLS with
// ALPN h2, and h2c on the plain port) and receive real SubscribeToShard events, with back-pressure from our
// reader; a second subscription to the same shard is refused with the service's exception event.
#include <random>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "aws/endpoints.h"
#include "aws/static_credentials_provider.h"
#include "kinesis/client.h"
#include "support/async_test.h"
#include "support/server_env.h"

namespace pk::kinesis {
namespace {

using namespace std::chrono_literals;
using testing::run_coroutine;

class KinesisMockEfo : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    auto endpoint = aws::resolve_endpoint({"kinesis", "us-east-1", pk::testing::server_env(GetParam()), {}});
    ASSERT_TRUE(endpoint.ok()) << endpoint.error().to_string();
    KinesisClientOptions options;
    options.http.tls.ca_file = pk::testing::server_env("PK_TLS_CA_FILE");
    options.subscription.http.tls.ca_file = options.http.tls.ca_file;
    options.subscription.idle_timeout = 10s;  // kinesis-mock sends an event every second
    options.wait_interval = 200ms;
    options.wait_timeout = 60s;
    auto client = KinesisClient::create(
        testing::coroutine_loop().get_executor(), *endpoint,
        std::make_shared<aws::StaticCredentialsProvider>(aws::Credentials{"AKIDTEST", "test-secret", "", std::nullopt}),
        options);
    ASSERT_TRUE(client.ok()) << client.error().to_string();
    client_ = std::move(*client);
    std::random_device rd;
    stream_ = StreamRef::named(fmt::format("pk-efo-{}", rd() % 1000000000));
    ASSERT_TRUE(run_coroutine<Status>([&] { return client_->create_stream(stream_.name, 1); }).ok());
    auto active = run_coroutine<Result<StreamSummary>>([&] { return client_->wait_for_stream_active(stream_); });
    ASSERT_TRUE(active.ok()) << active.error().to_string();
    stream_arn_ = active->stream_arn;
  }
  void TearDown() override {
    if (client_) (void)run_coroutine<Status>([&] { return client_->delete_stream(stream_, true); });
  }

  Status put(int first, int count) {
    std::vector<std::string> payloads;
    for (int i = first; i < first + count; ++i) payloads.push_back(fmt::format("efo-record-{}", i));
    std::vector<PutRecordsEntry> entries;
    for (const auto& p : payloads) entries.push_back({p, "key", std::nullopt});
    auto put = run_coroutine<Result<PutRecordsResponse>>([&] { return client_->put_records(stream_, entries); });
    if (!put.ok()) return put.error();
    return ok_status();
  }

  // Pulls events until `want` records arrived in total (or `max_events` events passed).
  Result<size_t> pull(ShardSubscription& subscription, std::vector<Record>& records, size_t want, int max_events,
                      std::vector<SequenceNumber>& continuations) {
    return run_coroutine<Result<size_t>>(
        [&]() -> boost::asio::awaitable<Result<size_t>> {
          for (int i = 0; i < max_events && records.size() < want; ++i) {
            auto pulling = subscription.next();
            auto event = co_await std::move(pulling);
            if (!event.ok()) co_return std::move(event).error();
            if (!event->has_value()) break;
            for (const RecordView& r : (*event)->records) records.push_back(r);  // Records: kept
            if ((*event)->continuation_sequence_number)
              continuations.push_back(*(*event)->continuation_sequence_number);
          }
          co_return records.size();
        },
        60s);
  }

  std::unique_ptr<KinesisClient> client_;
  StreamRef stream_;
  StreamArn stream_arn_;
};

TEST_P(KinesisMockEfo, SubscribeToShardDeliversRealEvents) {
  const ConsumerName name("pk-itest-consumer");
  auto consumer =
      run_coroutine<Result<ConsumerDescription>>([&] { return client_->ensure_stream_consumer(stream_arn_, name); });
  ASSERT_TRUE(consumer.ok()) << consumer.error().to_string();
  EXPECT_EQ(consumer->status, ConsumerStatus::kActive);
  // Ensuring again finds it and changes nothing.
  auto again =
      run_coroutine<Result<ConsumerDescription>>([&] { return client_->ensure_stream_consumer(stream_arn_, name); });
  ASSERT_TRUE(again.ok()) << again.error().to_string();
  EXPECT_EQ(again->consumer_arn, consumer->consumer_arn);

  auto shards = run_coroutine<Result<std::vector<Shard>>>([&] { return client_->list_shards(stream_); });
  ASSERT_TRUE(shards.ok() && shards->size() == 1u);
  const ShardId shard = shards->at(0).shard_id;
  ASSERT_TRUE(put(0, 10).ok());

  auto opened = run_coroutine<Result<std::unique_ptr<ShardSubscription>>>(
      [&] { return client_->subscribe_to_shard(consumer->consumer_arn, shard, StartingPosition::trim_horizon()); });
  ASSERT_TRUE(opened.ok()) << opened.error().to_string();
  std::unique_ptr<ShardSubscription> subscription = std::move(*opened);

  std::vector<Record> records;
  std::vector<SequenceNumber> continuations;
  auto first = pull(*subscription, records, 10, 20, continuations);
  ASSERT_TRUE(first.ok()) << first.error().to_string();
  ASSERT_EQ(records.size(), 10u);
  // Records put while subscribed arrive on the same subscription.
  ASSERT_TRUE(put(10, 5).ok());
  auto second = pull(*subscription, records, 15, 20, continuations);
  ASSERT_TRUE(second.ok()) << second.error().to_string();
  ASSERT_EQ(records.size(), 15u);
  for (size_t i = 0; i < records.size(); ++i) {
    EXPECT_EQ(records[i].data, fmt::format("efo-record-{}", i));
    if (i > 0) {
      EXPECT_LT(records[i - 1].sequence(), records[i].sequence());
    }
  }
  ASSERT_FALSE(continuations.empty());
  for (size_t i = 1; i < continuations.size(); ++i) EXPECT_LE(continuations[i - 1], continuations[i]);
  EXPECT_GE(continuations.back(), records.back().sequence());

  // A second subscription to the same shard and consumer is refused by the service.
  auto second_subscription = run_coroutine<Result<std::unique_ptr<ShardSubscription>>>(
      [&] { return client_->subscribe_to_shard(consumer->consumer_arn, shard, StartingPosition::latest()); });
  Error refused;
  if (!second_subscription.ok()) {
    refused = second_subscription.error();
  } else {
    std::vector<Record> none;
    std::vector<SequenceNumber> ignored;
    auto pulled = pull(**second_subscription, none, 1, 5, ignored);
    ASSERT_FALSE(pulled.ok()) << "a second subscription to one shard was accepted";
    refused = pulled.error();
  }
  EXPECT_EQ(refused.type, "ResourceInUseException") << refused.to_string();

  subscription.reset();
  auto deregistered = run_coroutine<Status>([&] {
    return client_->deregister_stream_consumer(ConsumerRef{consumer->consumer_arn, {}, {}});
  });
  EXPECT_TRUE(deregistered.ok()) << deregistered.error().to_string();
}

std::string endpoint_name(const ::testing::TestParamInfo<const char*>& endpoint) {
  return std::string(endpoint.param) == "PK_KINESIS_ENDPOINT" ? "Tls" : "H2c";
}
INSTANTIATE_TEST_SUITE_P(Endpoints, KinesisMockEfo,
                         ::testing::Values("PK_KINESIS_ENDPOINT", "PK_KINESIS_PLAIN_ENDPOINT"), endpoint_name);

}  // namespace
}  // namespace pk::kinesis
