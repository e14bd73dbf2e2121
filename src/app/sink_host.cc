#include "app/sink_host.h"

#include <fmt/format.h>

#include "app/pulsar_options.h"
#include "app/sink_factory.h"

namespace pk::app {

Result<std::unique_ptr<SinkHost>> SinkHost::create(const config::SinkSpec& spec, boost::asio::any_io_executor executor,
                                                   boost::asio::thread_pool& blocking, HostReporting reporting) {
  auto settings = sink_pipeline_settings(spec);
  std::unique_ptr<SinkHost> host(new SinkHost(reporting.name.empty() ? settings.name : reporting.name));
  host->executor_ = executor;
  host->reporting_ = std::move(reporting);
  host->stream_ = settings.stream;
  PK_ASSIGN_OR_RETURN(auto pulsar_options, pulsar_client_options(spec.pulsar));
  PK_ASSIGN_OR_RETURN(host->pulsar_, pulsar::Client::create(executor, std::move(pulsar_options)));
  PK_ASSIGN_OR_RETURN(host->kinesis_, sink_kinesis_client(spec.configs, executor, blocking));
  SinkHost* self = host.get();
  host->pipeline_ = std::make_unique<sink::SinkPipeline>(
      *host->pulsar_, std::move(settings), sink_format(spec.configs),
      [self](std::string body, size_t entries) { return put(self, std::move(body), entries); },
      [self]() { return list_shards(self); });
  if (host->reporting_.registry != nullptr) {
    PK_ASSIGN_OR_RETURN(host->metrics_, metrics::SinkMetrics::create(*host->reporting_.registry, host->name()));
    host->monitor_ = std::make_unique<SinkMonitor>(*host->metrics_);
    host->pipeline_->set_metrics(host->metrics_.get());
  }
  return host;
}

void SinkHost::check_fatal(const Error& error, std::string_view operation) {
  if (!started_ || error.code != ErrorCode::kNotFound) return;  // at start, start() itself fails
  pipeline_->fail(error.with_context(
      fmt::format("{} on Kinesis stream {}: the stream is gone (deleted or renamed?); nothing can be delivered",
                  operation, stream_.display())));
}

boost::asio::awaitable<Result<kinesis::PutRecordsResponse>> SinkHost::put(SinkHost* host, std::string body,
                                                                          size_t entries) {
  const auto started = std::chrono::steady_clock::now();
  auto putting = host->kinesis_->put_records_body(std::move(body), entries);
  auto answer = co_await std::move(putting);
  if (host->metrics_) host->metrics_->put_records_duration.observe(std::chrono::steady_clock::now() - started);
  if (!answer.ok()) host->check_fatal(answer.error(), "PutRecords");
  co_return answer;
}

boost::asio::awaitable<Result<std::vector<kinesis::Shard>>> SinkHost::list_shards(SinkHost* host) {
  auto listing = host->kinesis_->list_shards(host->stream_);
  auto shards = co_await std::move(listing);
  if (!shards.ok()) host->check_fatal(shards.error(), "ListShards");
  co_return shards;
}

boost::asio::awaitable<Status> SinkHost::start() {
  auto starting = pipeline_->start();
  Status started = co_await std::move(starting);
  started_ = started.ok();
  co_return started;
}
boost::asio::awaitable<Status> SinkHost::run() {
  return pipeline_->run();
}
void SinkHost::stop() {
  pipeline_->stop();
}

boost::asio::awaitable<void> SinkHost::close() {
  pulsar_->close();
  co_return;
}

void SinkHost::report(metrics::PipelineState state) {
  const bool connected = pipeline_->connected();
  set_not_ready_reason(sink_not_ready_reason(state, connected));
  if (!monitor_) return;
  SinkSample sample{.lanes = pipeline_->lane_stats(),
                    .entry_retries = pipeline_->entry_retries(),
                    .in_flight_messages = pipeline_->in_flight_messages(),
                    .in_flight_bytes = pipeline_->in_flight_bytes(),
                    .connected = connected};
  metrics::PipelineReport report = monitor_->update(sample, state);
  if (reporting_.reporter) reporting_.reporter->publish(report);
}

}  // namespace pk::app
