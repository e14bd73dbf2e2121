#pragma once
// A sink pipeline with the clients it owns (Pulsar, Kinesis), as the daemon runs it. Built on the pipeline's loop.

#include <memory>

#include <boost/asio/thread_pool.hpp>

#include "app/pipeline_host.h"
#include "config/model.h"
#include "kinesis/client.h"
#include "pulsar/client/client.h"
#include "sink/sink_pipeline.h"

namespace pk::app {

class SinkHost final : public PipelineHost {
 public:
  // Validates and builds everything that needs no network (clients connect in start()).
  static Result<std::unique_ptr<SinkHost>> create(const config::SinkSpec& spec, boost::asio::any_io_executor executor,
                                                  boost::asio::thread_pool& blocking);

  const std::string& name() const override { return name_; }
  boost::asio::any_io_executor executor() const override { return executor_; }
  boost::asio::awaitable<Status> start() override;
  boost::asio::awaitable<Status> run() override;
  void stop() override;
  boost::asio::awaitable<void> close() override;

  const sink::SinkPipeline& pipeline() const { return *pipeline_; }

 private:
  SinkHost() = default;

  std::string name_;
  boost::asio::any_io_executor executor_;
  std::unique_ptr<pulsar::Client> pulsar_;
  std::unique_ptr<kinesis::KinesisClient> kinesis_;
  std::unique_ptr<sink::SinkPipeline> pipeline_;
};

}  // namespace pk::app
