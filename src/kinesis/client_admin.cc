// KinesisClient: enhanced fan-out consumers, waiting for ACTIVE, and stream administration.
#include <fmt/format.h>

#include "kinesis/client.h"
#include "net/timeout.h"

namespace pk::kinesis {

namespace asio = boost::asio;

namespace {

Error still_not_active(std::string_view what, std::string_view status, std::chrono::milliseconds waited) {
  return make_error(ErrorCode::kTimeout, fmt::format("{} is still {} after {} ms", what, status, waited.count()));
}

Error sleep_cancelled(std::string_view what) {
  return make_error(ErrorCode::kCancelled, fmt::format("waiting for {}: cancelled", what));
}

}  // namespace

asio::awaitable<Result<StreamSummary>> KinesisClient::wait_for_stream_active(StreamRef stream) const {
  const std::string what = fmt::format("Kinesis stream {}", stream.display());
  const auto deadline = std::chrono::steady_clock::now() + options_.wait_timeout;
  for (;;) {
    auto describing = describe_stream_summary(stream);
    auto summary = co_await std::move(describing);
    if (!summary.ok()) co_return std::move(summary).error();
    if (summary->status == StreamStatus::kActive) co_return std::move(*summary);
    if (std::chrono::steady_clock::now() >= deadline) {
      co_return still_not_active(what, summary->status_text, options_.wait_timeout);
    }
    const bool slept = co_await net::sleep(options_.wait_interval);
    if (!slept) co_return sleep_cancelled(what);
  }
}

asio::awaitable<Result<ConsumerDescription>> KinesisClient::register_stream_consumer(StreamArn stream,
                                                                                     ConsumerName name) const {
  auto calling =
      json_->call_parsed("RegisterStreamConsumer", build_register_stream_consumer_body(stream, name),
                         [](std::string&& answer) { return parse_register_stream_consumer_response(answer); });
  co_return co_await std::move(calling);
}

asio::awaitable<Result<ConsumerDescription>> KinesisClient::describe_stream_consumer(ConsumerRef consumer) const {
  auto calling =
      json_->call_parsed("DescribeStreamConsumer", build_describe_stream_consumer_body(consumer),
                         [](std::string&& answer) { return parse_describe_stream_consumer_response(answer); });
  co_return co_await std::move(calling);
}

asio::awaitable<Result<ConsumerDescription>> KinesisClient::wait_for_consumer_active(ConsumerRef consumer) const {
  const std::string what =
      fmt::format("Kinesis consumer {}", consumer.arn.empty() ? consumer.name.str() : consumer.arn.str());
  const auto deadline = std::chrono::steady_clock::now() + options_.wait_timeout;
  for (;;) {
    auto describing = describe_stream_consumer(consumer);
    auto description = co_await std::move(describing);
    if (!description.ok()) co_return std::move(description).error();
    if (description->status == ConsumerStatus::kActive) co_return std::move(*description);
    if (std::chrono::steady_clock::now() >= deadline) {
      co_return still_not_active(what, description->status_text, options_.wait_timeout);
    }
    const bool slept = co_await net::sleep(options_.wait_interval);
    if (!slept) co_return sleep_cancelled(what);
  }
}

asio::awaitable<Result<ConsumerDescription>> KinesisClient::ensure_stream_consumer(StreamArn stream,
                                                                                   ConsumerName name) const {
  const ConsumerRef consumer{{}, stream, name};
  auto describing = describe_stream_consumer(consumer);
  auto existing = co_await std::move(describing);
  if (!existing.ok()) {
    if (existing.error().type != "ResourceNotFoundException") co_return std::move(existing).error();
    auto registering = register_stream_consumer(stream, name);
    auto registered = co_await std::move(registering);
    // ResourceInUseException: another worker registered it meanwhile; wait for it like for our own.
    if (!registered.ok() && registered.error().type != "ResourceInUseException") {
      co_return std::move(registered).error();
    }
  } else if (existing->status == ConsumerStatus::kActive) {
    co_return std::move(*existing);
  }
  auto waiting = wait_for_consumer_active(consumer);
  co_return co_await std::move(waiting);
}

asio::awaitable<Status> KinesisClient::deregister_stream_consumer(ConsumerRef consumer) const {
  auto calling = json_->call_parsed("DeregisterStreamConsumer", build_deregister_stream_consumer_body(consumer),
                                    [](std::string&&) { return ok_status(); });
  co_return co_await std::move(calling);
}

asio::awaitable<Status> KinesisClient::create_stream(StreamName name, std::optional<int> shard_count) const {
  auto calling = json_->call_parsed("CreateStream", build_create_stream_body(name, shard_count),
                                    [](std::string&&) { return ok_status(); });
  co_return co_await std::move(calling);
}

asio::awaitable<Status> KinesisClient::delete_stream(StreamRef stream, bool enforce_consumer_deletion) const {
  auto calling = json_->call_parsed("DeleteStream", build_delete_stream_body(stream, enforce_consumer_deletion),
                                    [](std::string&&) { return ok_status(); });
  co_return co_await std::move(calling);
}

asio::awaitable<Status> KinesisClient::split_shard(StreamRef stream, ShardId shard,
                                                   HashKey new_starting_hash_key) const {
  auto calling = json_->call_parsed("SplitShard", build_split_shard_body(stream, shard, new_starting_hash_key),
                                    [](std::string&&) { return ok_status(); });
  co_return co_await std::move(calling);
}

asio::awaitable<Status> KinesisClient::merge_shards(StreamRef stream, ShardId shard, ShardId adjacent_shard) const {
  auto calling = json_->call_parsed("MergeShards", build_merge_shards_body(stream, shard, adjacent_shard),
                                    [](std::string&&) { return ok_status(); });
  co_return co_await std::move(calling);
}

}  // namespace pk::kinesis
