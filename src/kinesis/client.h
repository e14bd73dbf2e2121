#pragma once
// The Kinesis API client: each operation builds its body with the pure codecs, sends it through the aws
// module's JsonClient (SigV4, retries of throttling and transient errors with backoff and a retry budget) and
// parses the answer. Errors keep the AWS error name in `type` (ExpiredIteratorException,
// ResourceInUseException, ...) for the caller to act on. SubscribeToShard goes over HTTP/2 (shard_subscription.h).
//
//   auto client = KinesisClient::create(executor, endpoint, credentials, options);
//   auto putting = (*client)->put_records(stream, entries);      // GCC 12 rule: awaitable in its own statement
//   Result<PutRecordsResponse> put = co_await std::move(putting);
//
// Arguments are taken by value (a coroutine starts when awaited, after the caller's temporaries are gone),
// except put_records' entries, whose bytes must stay alive until the awaitable completes. Thread-safe: one client
// may serve callers on every loop.

#include <chrono>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "aws/credentials.h"
#include "aws/endpoints.h"
#include "aws/json_client.h"
#include "aws/retry_policy.h"
#include "common/result.h"
#include "http/types.h"
#include "kinesis/consumer_codec.h"
#include "kinesis/get_records_codec.h"
#include "kinesis/list_shards_codec.h"
#include "kinesis/model.h"
#include "kinesis/put_records_codec.h"
#include "kinesis/shard_subscription.h"
#include "kinesis/stream_admin_codec.h"

namespace pk::kinesis {

struct KinesisClientOptions {
  http::ClientOptions http;          // the HTTP/1.1 pool of ordinary calls (TLS, timeouts, connections)
  aws::RetryOptions retry;           // throttling and transient errors
  SubscriptionOptions subscription;  // SubscribeToShard over HTTP/2
  // wait_for_* poll every `wait_interval` until the resource is ACTIVE or `wait_timeout` passed.
  std::chrono::milliseconds wait_interval{1000};
  std::chrono::milliseconds wait_timeout{std::chrono::minutes(5)};
  // list_shards restarts a listing whose NextToken expired this many times before giving up.
  int list_shards_restarts = 3;
  std::optional<int> list_shards_page_size;  // MaxResults per ListShards call; the service's default if unset
};

class KinesisClient {
 public:
  KinesisClient(std::shared_ptr<aws::JsonClient> json, KinesisClientOptions options);

  // An HTTP/1.1 pool on `executor` for `endpoint`, and the client on it.
  static Result<std::unique_ptr<KinesisClient>> create(boost::asio::any_io_executor executor,
                                                       const aws::ServiceEndpoint& endpoint,
                                                       std::shared_ptr<aws::CredentialsProvider> credentials,
                                                       KinesisClientOptions options = {});

  // ---- data plane ----
  boost::asio::awaitable<Result<PutRecordsResponse>> put_records(StreamRef stream,
                                                                 std::span<const PutRecordsEntry> entries) const;
  // A body built beforehand with build_put_records_body (the producer sizes its batches by it).
  boost::asio::awaitable<Result<PutRecordsResponse>> put_records_body(std::string body, size_t entries) const;
  boost::asio::awaitable<Result<std::string>> get_shard_iterator(StreamRef stream, ShardId shard,
                                                                 StartingPosition position) const;
  boost::asio::awaitable<Result<GetRecordsResponse>> get_records(std::string shard_iterator,
                                                                 std::optional<int> limit = std::nullopt) const;
  boost::asio::awaitable<Result<std::unique_ptr<ShardSubscription>>> subscribe_to_shard(
      ConsumerArn consumer, ShardId shard, StartingPosition position) const;

  // ---- shards and streams ----
  boost::asio::awaitable<Result<ListShardsPage>> list_shards_page(ListShardsRequest request) const;
  // Every page; a listing whose token expired (ExpiredNextTokenException) starts over.
  boost::asio::awaitable<Result<std::vector<Shard>>> list_shards(StreamRef stream,
                                                                 std::optional<ShardFilter> filter = {}) const;
  boost::asio::awaitable<Result<StreamSummary>> describe_stream_summary(StreamRef stream) const;
  boost::asio::awaitable<Result<StreamSummary>> wait_for_stream_active(StreamRef stream) const;

  // ---- enhanced fan-out consumers ----
  boost::asio::awaitable<Result<ConsumerDescription>> register_stream_consumer(StreamArn stream,
                                                                               ConsumerName name) const;
  boost::asio::awaitable<Result<ConsumerDescription>> describe_stream_consumer(ConsumerRef consumer) const;
  boost::asio::awaitable<Result<ConsumerDescription>> wait_for_consumer_active(ConsumerRef consumer) const;
  // Describes the consumer, registers it if it does not exist, and waits until it is ACTIVE.
  boost::asio::awaitable<Result<ConsumerDescription>> ensure_stream_consumer(StreamArn stream, ConsumerName name) const;
  boost::asio::awaitable<Status> deregister_stream_consumer(ConsumerRef consumer) const;

  // ---- administration (tests, tools) ----
  boost::asio::awaitable<Status> create_stream(StreamName name, std::optional<int> shard_count) const;
  boost::asio::awaitable<Status> delete_stream(StreamRef stream, bool enforce_consumer_deletion = false) const;
  boost::asio::awaitable<Status> split_shard(StreamRef stream, ShardId shard, HashKey new_starting_hash_key) const;
  boost::asio::awaitable<Status> merge_shards(StreamRef stream, ShardId shard, ShardId adjacent_shard) const;

  const aws::JsonClient& json() const { return *json_; }
  const KinesisClientOptions& options() const { return options_; }

 private:
  std::shared_ptr<aws::JsonClient> json_;
  KinesisClientOptions options_;
};

}  // namespace pk::kinesis
