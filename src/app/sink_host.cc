#include "app/sink_host.h"

#include "app/pulsar_options.h"
#include "app/sink_factory.h"

namespace pk::app {

Result<std::unique_ptr<SinkHost>> SinkHost::create(const config::SinkSpec& spec, boost::asio::any_io_executor executor,
                                                   boost::asio::thread_pool& blocking) {
  std::unique_ptr<SinkHost> host(new SinkHost());
  host->executor_ = executor;
  auto settings = sink_pipeline_settings(spec);
  host->name_ = "sink " + settings.name;
  PK_ASSIGN_OR_RETURN(auto pulsar_options, pulsar_client_options(spec.pulsar));
  PK_ASSIGN_OR_RETURN(host->pulsar_, pulsar::Client::create(executor, std::move(pulsar_options)));
  PK_ASSIGN_OR_RETURN(host->kinesis_, sink_kinesis_client(spec.configs, executor, blocking));
  kinesis::KinesisClient* kinesis = host->kinesis_.get();
  const kinesis::StreamRef stream = settings.stream;
  host->pipeline_ = std::make_unique<sink::SinkPipeline>(
      *host->pulsar_, std::move(settings), sink_format(spec.configs),
      [kinesis](std::string body, size_t entries) { return kinesis->put_records_body(std::move(body), entries); },
      [kinesis, stream]() { return kinesis->list_shards(stream); });
  return host;
}

boost::asio::awaitable<Status> SinkHost::start() {
  return pipeline_->start();
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

}  // namespace pk::app
