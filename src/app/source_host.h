#pragma once
// A source pipeline with the clients it owns (Pulsar, Kinesis, DynamoDB) and its metrics, as the daemon runs it.
// Built on the pipeline's loop.

#include <memory>

#include <boost/asio/thread_pool.hpp>

#include "app/pipeline_host.h"
#include "app/source_monitor.h"
#include "config/model.h"
#include "dynamodb/client.h"
#include "kinesis/client.h"
#include "metrics/pipeline_metrics.h"
#include "pulsar/client/client.h"
#include "source/source_pipeline.h"

namespace pk::app {

class SourceHost final : public PipelineHost {
 public:
  static Result<std::unique_ptr<SourceHost>> create(const config::SourceSpec& spec,
                                                    boost::asio::any_io_executor executor,
                                                    boost::asio::thread_pool& blocking, HostReporting reporting);

  metrics::PipelineKind kind() const override { return metrics::PipelineKind::kSource; }
  boost::asio::any_io_executor executor() const override { return executor_; }
  boost::asio::awaitable<Status> start() override;
  boost::asio::awaitable<Status> run() override;
  void stop() override;
  boost::asio::awaitable<void> close() override;
  void report(metrics::PipelineState state) override;

  const source::SourcePipeline& pipeline() const { return *pipeline_; }

 private:
  explicit SourceHost(std::string name) : PipelineHost(std::move(name)) {}
  SourceSample sample() const;

  boost::asio::any_io_executor executor_;
  HostReporting reporting_;
  std::unique_ptr<pulsar::Client> pulsar_;
  std::shared_ptr<kinesis::KinesisClient> kinesis_;
  std::shared_ptr<dynamodb::DynamoDbClient> dynamodb_;
  std::unique_ptr<metrics::SourceMetrics> metrics_;  // outlives the pipeline (declared before it)
  std::unique_ptr<SourceMonitor> monitor_;
  std::unique_ptr<source::SourcePipeline> pipeline_;
  bool started_ = false;
};

}  // namespace pk::app
