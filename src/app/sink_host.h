#pragma once
// A sink pipeline with the clients it owns (Pulsar, Kinesis) and its metrics, as the daemon runs it. Built on the
// pipeline's loop. A stream that disappears under the sink (ResourceNotFoundException from PutRecords or
// ListShards) ends the pipeline with an error: nothing can be delivered any more, and a supervisor restarting the
// process is the way out.

#include <memory>

#include <boost/asio/thread_pool.hpp>

#include "app/pipeline_host.h"
#include "app/sink_monitor.h"
#include "config/model.h"
#include "kinesis/client.h"
#include "metrics/pipeline_metrics.h"
#include "pulsar/client/client.h"
#include "sink/sink_pipeline.h"

namespace pk::app {

class SinkHost final : public PipelineHost {
 public:
  // Validates and builds everything that needs no network (clients connect in start()).
  static Result<std::unique_ptr<SinkHost>> create(const config::SinkSpec& spec, boost::asio::any_io_executor executor,
                                                  boost::asio::thread_pool& blocking, HostReporting reporting);

  metrics::PipelineKind kind() const override { return metrics::PipelineKind::kSink; }
  boost::asio::any_io_executor executor() const override { return executor_; }
  boost::asio::awaitable<Status> start() override;
  boost::asio::awaitable<Status> run() override;
  void stop() override;
  boost::asio::awaitable<void> close() override;
  void report(metrics::PipelineState state) override;

  const sink::SinkPipeline& pipeline() const { return *pipeline_; }

 private:
  explicit SinkHost(std::string name) : PipelineHost(std::move(name)) {}
  // PutRecords / ListShards through the client, timed, watching for a stream that is gone.
  static boost::asio::awaitable<Result<kinesis::PutRecordsResponse>> put(SinkHost* host, std::string body,
                                                                         size_t entries);
  static boost::asio::awaitable<Result<std::vector<kinesis::Shard>>> list_shards(SinkHost* host);
  void check_fatal(const Error& error, std::string_view operation);

  boost::asio::any_io_executor executor_;
  HostReporting reporting_;
  kinesis::StreamRef stream_;
  std::unique_ptr<pulsar::Client> pulsar_;
  std::unique_ptr<kinesis::KinesisClient> kinesis_;
  std::unique_ptr<metrics::SinkMetrics> metrics_;  // outlives the pipeline (declared before it)
  std::unique_ptr<SinkMonitor> monitor_;
  std::unique_ptr<sink::SinkPipeline> pipeline_;
  bool started_ = false;
};

}  // namespace pk::app
