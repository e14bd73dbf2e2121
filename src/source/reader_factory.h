#pragma once
// Readers on the real Kinesis client: the injected calls of PollingReader and FanOutReader bound to a stream and a
// shard. The client must outlive the readers.

#include <memory>

#include <boost/asio/any_io_executor.hpp>

#include "kinesis/client.h"
#include "source/fan_out_reader.h"
#include "source/polling_reader.h"

namespace pk::source {

PollingApi polling_api(const kinesis::KinesisClient& client, kinesis::StreamRef stream, kinesis::ShardId shard);
FanOutApi fan_out_api(const kinesis::KinesisClient& client, kinesis::StreamRef stream, kinesis::ConsumerArn consumer,
                      kinesis::ShardId shard);

std::unique_ptr<ShardReader> make_polling_reader(boost::asio::any_io_executor executor,
                                                 const kinesis::KinesisClient& client, kinesis::StreamRef stream,
                                                 kinesis::ShardId shard, kinesis::StartingPosition start,
                                                 PollingSettings settings);
std::unique_ptr<ShardReader> make_fan_out_reader(boost::asio::any_io_executor executor,
                                                 const kinesis::KinesisClient& client, kinesis::StreamRef stream,
                                                 kinesis::ConsumerArn consumer, kinesis::ShardId shard,
                                                 kinesis::StartingPosition start, FanOutSettings settings);

}  // namespace pk::source
