// KinesisClient: construction, the data plane, shard listing and stream description. Consumers, waits and
// administration are in client_admin.cc.
#include "kinesis/client.h"

#include <fmt/format.h>

namespace pk::kinesis {

namespace asio = boost::asio;

KinesisClient::KinesisClient(std::shared_ptr<aws::JsonClient> json, KinesisClientOptions options)
    : json_(std::move(json)), options_(std::move(options)) {}

Result<std::unique_ptr<KinesisClient>> KinesisClient::create(asio::any_io_executor executor,
                                                             const aws::ServiceEndpoint& endpoint,
                                                             std::shared_ptr<aws::CredentialsProvider> credentials,
                                                             KinesisClientOptions options) {
  PK_ASSIGN_OR_RETURN(auto json, aws::JsonClient::over_http1(std::move(executor), aws::JsonService::kinesis(endpoint),
                                                             std::move(credentials), options.http, options.retry));
  return std::make_unique<KinesisClient>(std::move(json), std::move(options));
}

asio::awaitable<Result<PutRecordsResponse>> KinesisClient::put_records(StreamRef stream,
                                                                       std::span<const PutRecordsEntry> entries) const {
  auto body = build_put_records_body(stream, entries);
  if (!body.ok()) co_return std::move(body).error();
  auto putting = put_records_body(std::move(*body), entries.size());
  co_return co_await std::move(putting);
}

asio::awaitable<Result<PutRecordsResponse>> KinesisClient::put_records_body(std::string body, size_t entries) const {
  auto calling = json_->call_parsed("PutRecords", std::move(body), [entries](std::string&& answer) {
    return parse_put_records_response(answer, entries);
  });
  co_return co_await std::move(calling);
}

asio::awaitable<Result<std::string>> KinesisClient::get_shard_iterator(StreamRef stream, ShardId shard,
                                                                       StartingPosition position) const {
  auto calling = json_->call_parsed("GetShardIterator", build_get_shard_iterator_body(stream, shard, position),
                                    [](std::string&& answer) { return parse_get_shard_iterator_response(answer); });
  co_return co_await std::move(calling);
}

asio::awaitable<Result<GetRecordsResponse>> KinesisClient::get_records(std::string shard_iterator,
                                                                       std::optional<int> limit) const {
  auto calling = json_->call_parsed("GetRecords", build_get_records_body(shard_iterator, limit),
                                    [](std::string&& answer) { return parse_get_records_response(std::move(answer)); });
  co_return co_await std::move(calling);
}

asio::awaitable<Result<std::unique_ptr<ShardSubscription>>> KinesisClient::subscribe_to_shard(
    ConsumerArn consumer, ShardId shard, StartingPosition position) const {
  auto opening = ShardSubscription::open(*json_, options_.subscription, consumer, shard, position);
  co_return co_await std::move(opening);
}

asio::awaitable<Result<ListShardsPage>> KinesisClient::list_shards_page(ListShardsRequest request) const {
  auto calling = json_->call_parsed("ListShards", build_list_shards_body(request),
                                    [](std::string&& answer) { return parse_list_shards_response(answer); });
  co_return co_await std::move(calling);
}

asio::awaitable<Result<std::vector<Shard>>> KinesisClient::list_shards(StreamRef stream,
                                                                       std::optional<ShardFilter> filter) const {
  for (int restarts = 0;; ++restarts) {
    ListShardsRequest request{stream, {}, options_.list_shards_page_size, filter};
    std::vector<Shard> shards;
    bool expired = false;
    while (!expired) {
      auto paging = list_shards_page(request);
      auto page = co_await std::move(paging);
      if (!page.ok()) {
        const bool restartable = aws::classify_error(page.error()) == aws::RetryClass::kExpiredNextToken;
        if (!restartable || restarts >= options_.list_shards_restarts) co_return std::move(page).error();
        expired = true;  // the token outlived its 300 s: list again from the start
        continue;
      }
      for (Shard& shard : page->shards) shards.push_back(std::move(shard));
      if (page->next_token.empty()) co_return shards;
      request.next_token = std::move(page->next_token);
    }
  }
}

asio::awaitable<Result<StreamSummary>> KinesisClient::describe_stream_summary(StreamRef stream) const {
  auto calling =
      json_->call_parsed("DescribeStreamSummary", build_describe_stream_summary_body(stream),
                         [](std::string&& answer) { return parse_describe_stream_summary_response(answer); });
  co_return co_await std::move(calling);
}

}  // namespace pk::kinesis
