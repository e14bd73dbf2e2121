#include "source/reader_factory.h"

namespace pk::source {

namespace asio = boost::asio;

namespace {

// kinesis::ShardSubscription as an EventStream.
class SubscriptionEvents final : public EventStream {
 public:
  explicit SubscriptionEvents(std::unique_ptr<kinesis::ShardSubscription> subscription)
      : subscription_(std::move(subscription)) {}
  asio::awaitable<Result<std::optional<kinesis::SubscribeToShardEvent>>> next() override {
    return subscription_->next();
  }
  void cancel() override { subscription_->cancel(); }

 private:
  std::unique_ptr<kinesis::ShardSubscription> subscription_;
};

}  // namespace

PollingApi polling_api(const kinesis::KinesisClient& client, kinesis::StreamRef stream, kinesis::ShardId shard) {
  PollingApi api;
  api.get_shard_iterator = [&client, stream, shard](kinesis::StartingPosition position) {
    return client.get_shard_iterator(stream, shard, std::move(position));
  };
  api.get_records = [&client](std::string iterator, int limit) {
    return client.get_records(std::move(iterator), limit);
  };
  return api;
}

FanOutApi fan_out_api(const kinesis::KinesisClient& client, kinesis::StreamRef stream, kinesis::ConsumerArn consumer,
                      kinesis::ShardId shard) {
  FanOutApi api;
  api.polling = polling_api(client, stream, shard);
  api.subscribe = [&client, consumer,
                   shard](kinesis::StartingPosition position) -> asio::awaitable<Result<std::unique_ptr<EventStream>>> {
    auto opening = client.subscribe_to_shard(consumer, shard, std::move(position));
    auto subscription = co_await std::move(opening);
    if (!subscription.ok()) co_return subscription.error();
    co_return std::unique_ptr<EventStream>(std::make_unique<SubscriptionEvents>(std::move(*subscription)));
  };
  return api;
}

std::unique_ptr<ShardReader> make_polling_reader(asio::any_io_executor executor, const kinesis::KinesisClient& client,
                                                 kinesis::StreamRef stream, kinesis::ShardId shard,
                                                 kinesis::StartingPosition start, PollingSettings settings) {
  return std::make_unique<PollingReader>(executor, polling_api(client, std::move(stream), std::move(shard)), settings,
                                         std::move(start));
}

std::unique_ptr<ShardReader> make_fan_out_reader(asio::any_io_executor executor, const kinesis::KinesisClient& client,
                                                 kinesis::StreamRef stream, kinesis::ConsumerArn consumer,
                                                 kinesis::ShardId shard, kinesis::StartingPosition start,
                                                 FanOutSettings settings) {
  return std::make_unique<FanOutReader>(executor,
                                        fan_out_api(client, std::move(stream), std::move(consumer), std::move(shard)),
                                        settings, std::move(start));
}

}  // namespace pk::source
