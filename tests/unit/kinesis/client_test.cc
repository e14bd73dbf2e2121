// KinesisClient against a scripted HTTP/1.1 server, for what kinesis-mock never does: expired ListShards tokens,
// streams and consumers that stay CREATING, error types the callers act on. (tests/integration/kinesis covers
// the operations against kinesis-mock.)
#include "kinesis/client.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "aws/static_credentials_provider.h"
#include "fake_http_server.h"
#include "support/async_test.h"

namespace pk::kinesis {
namespace {

using namespace std::chrono_literals;
using pk::testing::FakeHttpServer;
using pk::testing::RecordedRequest;
using pk::testing::Reply;
using testing::run_coroutine;

std::string shard_json(int n) {
  return fmt::format(R"({{"ShardId":"shardId-{:012}","HashKeyRange":{{"StartingHashKey":"0","EndingHashKey":"1"}},)"
                     R"("SequenceNumberRange":{{"StartingSequenceNumber":"{}"}}}})",
                     n, n);
}

Reply aws_error(std::string_view type, std::string_view message) {
  return Reply::json(fmt::format(R"({{"__type":"{}","message":"{}"}})", type, message), 400)
      .header("Content-Type", "application/x-amz-json-1.1");
}

std::string operation(const RecordedRequest& r) {
  const std::string target = r.header("X-Amz-Target");
  return target.substr(target.find('.') + 1);
}

struct Fixture {
  Fixture() {
    aws::ServiceEndpoint endpoint;
    endpoint.url = *http::Url::parse(server.url());
    endpoint.signing_region = "us-east-1";
    endpoint.signing_name = "kinesis";
    KinesisClientOptions options;
    options.retry.max_attempts = 1;
    options.wait_interval = 10ms;
    options.wait_timeout = 2s;
    options.list_shards_page_size = 2;
    client = *KinesisClient::create(
        testing::coroutine_loop().get_executor(), endpoint,
        std::make_shared<aws::StaticCredentialsProvider>(aws::Credentials{"AKIDEXAMPLE", "secret", "", std::nullopt}),
        options);
  }
  FakeHttpServer server;
  std::unique_ptr<KinesisClient> client;
};

TEST(KinesisClient, ListShardsPagesAndRestartsWhenTheTokenExpired) {
  Fixture f;
  int calls = 0;
  f.server.when("POST", "/").then_handle([&](const RecordedRequest&) {
    ++calls;
    // First listing: page 1, then the token has expired. Second listing: two pages.
    if (calls == 1 || calls == 3) {
      return Reply::json(fmt::format(R"({{"Shards":[{},{}],"NextToken":"t1"}})", shard_json(0), shard_json(1)));
    }
    if (calls == 2) return aws_error("ExpiredNextTokenException", "token expired");
    return Reply::json(fmt::format(R"({{"Shards":[{}],"NextToken":null}})", shard_json(2)));
  });
  auto shards = run_coroutine<Result<std::vector<Shard>>>([&] {
    return f.client->list_shards(StreamRef::named("s"), ShardFilter{ShardFilterType::kAtTrimHorizon, {}, {}});
  });
  ASSERT_TRUE(shards.ok()) << shards.error().to_string();
  ASSERT_EQ(shards->size(), 3u);
  EXPECT_EQ((*shards)[2].shard_id, ShardId("shardId-000000000002"));
  const auto requests = f.server.requests();
  ASSERT_EQ(requests.size(), 4u);
  for (const auto& r : requests) EXPECT_EQ(operation(r), "ListShards");
  const std::string first = R"({"StreamName":"s","ShardFilter":{"Type":"AT_TRIM_HORIZON"},"MaxResults":2})";
  EXPECT_EQ(requests[0].body, first);
  EXPECT_EQ(requests[1].body, R"({"NextToken":"t1","MaxResults":2})");  // no StreamName next to a token
  EXPECT_EQ(requests[2].body, first);                                   // the listing started over
  EXPECT_EQ(requests[3].body, R"({"NextToken":"t1","MaxResults":2})");
}

TEST(KinesisClient, ListShardsGivesUpAfterTheConfiguredRestarts) {
  Fixture f;
  int calls = 0;
  f.server.when("POST", "/").then_handle([&](const RecordedRequest&) {
    ++calls;
    if (calls % 2 == 1) return Reply::json(fmt::format(R"({{"Shards":[{}],"NextToken":"t"}})", shard_json(0)));
    return aws_error("ExpiredNextTokenException", "token expired");
  });
  auto shards = run_coroutine<Result<std::vector<Shard>>>([&] { return f.client->list_shards(StreamRef::named("s")); });
  ASSERT_FALSE(shards.ok());
  EXPECT_EQ(shards.error().type, "ExpiredNextTokenException");
  EXPECT_EQ(calls, 2 * (1 + f.client->options().list_shards_restarts));
}

TEST(KinesisClient, ErrorTypesReachTheCaller) {
  Fixture f;
  f.server.when("POST", "/").then_return(aws_error("ExpiredIteratorException", "Iterator expired"));
  auto records = run_coroutine<Result<GetRecordsResponse>>([&] { return f.client->get_records("old-iterator"); });
  ASSERT_FALSE(records.ok());
  EXPECT_EQ(records.error().type, "ExpiredIteratorException");
  EXPECT_NE(records.error().message.find("Kinesis GetRecords"), std::string::npos) << records.error().message;
  EXPECT_EQ(f.server.requests().at(0).body, R"({"ShardIterator":"old-iterator"})");
}

TEST(KinesisClient, WaitsForTheStreamToBecomeActiveAndGivesUpAtTheDeadline) {
  Fixture f;
  int calls = 0;
  f.server.when("POST", "/").then_handle([&](const RecordedRequest&) {
    ++calls;
    return Reply::json(fmt::format(R"({{"StreamDescriptionSummary":{{"StreamARN":"arn:s","StreamName":"s",)"
                                   R"("StreamStatus":"{}","OpenShardCount":1}}}})",
                                   calls < 3 ? "CREATING" : "ACTIVE"));
  });
  auto active =
      run_coroutine<Result<StreamSummary>>([&] { return f.client->wait_for_stream_active(StreamRef::named("s")); });
  ASSERT_TRUE(active.ok()) << active.error().to_string();
  EXPECT_EQ(active->status, StreamStatus::kActive);
  EXPECT_EQ(calls, 3);

  f.server.clear_routes();
  f.server.when("POST", "/")
      .then_return(Reply::json(
          R"({"StreamDescriptionSummary":{"StreamARN":"arn:s","StreamName":"s","StreamStatus":"UPDATING"}})"));
  auto stuck =
      run_coroutine<Result<StreamSummary>>([&] { return f.client->wait_for_stream_active(StreamRef::named("s")); });
  ASSERT_FALSE(stuck.ok());
  EXPECT_EQ(stuck.error().code, ErrorCode::kTimeout);
  EXPECT_EQ(stuck.error().message, "Kinesis stream s is still UPDATING after 2000 ms");
}

TEST(KinesisClient, EnsureConsumerRegistersWhenMissingThenWaitsForActive) {
  Fixture f;
  int describes = 0;
  f.server.when("POST", "/").then_handle([&](const RecordedRequest& r) {
    const std::string op = operation(r);
    if (op == "RegisterStreamConsumer") {
      return Reply::json(R"({"Consumer":{"ConsumerARN":"arn:c","ConsumerName":"c","ConsumerStatus":"CREATING"}})");
    }
    ++describes;
    if (describes == 1) return aws_error("ResourceNotFoundException", "Consumer c not found");
    return Reply::json(fmt::format(R"({{"ConsumerDescription":{{"ConsumerARN":"arn:c","ConsumerName":"c",)"
                                   R"("ConsumerStatus":"{}","StreamARN":"arn:s"}}}})",
                                   describes < 4 ? "CREATING" : "ACTIVE"));
  });
  auto consumer = run_coroutine<Result<ConsumerDescription>>(
      [&] { return f.client->ensure_stream_consumer(StreamArn("arn:s"), ConsumerName("c")); });
  ASSERT_TRUE(consumer.ok()) << consumer.error().to_string();
  EXPECT_EQ(consumer->consumer_arn, ConsumerArn("arn:c"));
  EXPECT_EQ(consumer->status, ConsumerStatus::kActive);
  const auto requests = f.server.requests();
  ASSERT_EQ(requests.size(), 5u);
  EXPECT_EQ(operation(requests[1]), "RegisterStreamConsumer");
  EXPECT_EQ(requests[1].body, R"({"StreamARN":"arn:s","ConsumerName":"c"})");
}

TEST(KinesisClient, BadRequestsFailBeforeAnythingIsSent) {
  Fixture f;
  std::vector<PutRecordsEntry> none;
  auto put =
      run_coroutine<Result<PutRecordsResponse>>([&] { return f.client->put_records(StreamRef::named("s"), none); });
  ASSERT_FALSE(put.ok());
  EXPECT_EQ(put.error().code, ErrorCode::kInvalidArgument);
  auto iterator = run_coroutine<Result<std::string>>([&] {
    return f.client->get_shard_iterator(StreamRef::named("s"), ShardId("shardId-0"), StartingPosition::at({}));
  });
  ASSERT_FALSE(iterator.ok());
  EXPECT_EQ(f.server.request_count(), 0u);
}

}  // namespace
}  // namespace pk::kinesis
