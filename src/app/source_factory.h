#pragma once
// A source spec (config::SourceSpec) -> the source pipeline's settings and clients: Kinesis (awsEndpoint; HTTP/2
// for enhanced fan-out), DynamoDB for the lease table (dynamoEndpoint), the Pulsar producer (producerConfig).

#include <memory>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/thread_pool.hpp>

#include "common/result.h"
#include "config/model.h"
#include "dynamodb/client.h"
#include "kinesis/client.h"
#include "source/source_settings.h"

namespace pk::app {

Result<source::SourceSettings> source_settings(const config::SourceSpec& spec);

struct SourceClients {
  std::shared_ptr<kinesis::KinesisClient> kinesis;
  std::shared_ptr<dynamodb::DynamoDbClient> dynamodb;
};
Result<SourceClients> source_clients(const config::SourceConfigs& configs, boost::asio::any_io_executor executor,
                                     boost::asio::thread_pool& blocking);

}  // namespace pk::app
