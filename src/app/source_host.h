#pragma once
// A source pipeline with the clients it owns (Pulsar, Kinesis, DynamoDB), as the daemon runs it. Built on the
// pipeline's loop.

#include <memory>

#include <boost/asio/thread_pool.hpp>

#include "app/pipeline_host.h"
#include "config/model.h"
#include "dynamodb/client.h"
#include "kinesis/client.h"
#include "pulsar/client/client.h"
#include "source/source_pipeline.h"

namespace pk::app {

class SourceHost final : public PipelineHost {
 public:
  static Result<std::unique_ptr<SourceHost>> create(const config::SourceSpec& spec,
                                                    boost::asio::any_io_executor executor,
                                                    boost::asio::thread_pool& blocking);

  const std::string& name() const override { return name_; }
  boost::asio::any_io_executor executor() const override { return executor_; }
  boost::asio::awaitable<Status> start() override;
  boost::asio::awaitable<Status> run() override;
  void stop() override;
  boost::asio::awaitable<void> close() override;

  const source::SourcePipeline& pipeline() const { return *pipeline_; }

 private:
  SourceHost() = default;

  std::string name_;
  boost::asio::any_io_executor executor_;
  std::unique_ptr<pulsar::Client> pulsar_;
  std::shared_ptr<kinesis::KinesisClient> kinesis_;
  std::shared_ptr<dynamodb::DynamoDbClient> dynamodb_;
  std::unique_ptr<source::SourcePipeline> pipeline_;
};

}  // namespace pk::app
