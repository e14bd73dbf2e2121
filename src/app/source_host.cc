#include "app/source_host.h"

#include "app/pulsar_options.h"
#include "app/source_factory.h"

namespace pk::app {

Result<std::unique_ptr<SourceHost>> SourceHost::create(const config::SourceSpec& spec,
                                                       boost::asio::any_io_executor executor,
                                                       boost::asio::thread_pool& blocking) {
  std::unique_ptr<SourceHost> host(new SourceHost());
  host->executor_ = executor;
  PK_ASSIGN_OR_RETURN(auto settings, source_settings(spec));
  host->name_ = "source " + settings.name;
  PK_ASSIGN_OR_RETURN(auto pulsar_options, pulsar_client_options(spec.pulsar));
  PK_ASSIGN_OR_RETURN(host->pulsar_, pulsar::Client::create(executor, std::move(pulsar_options)));
  PK_ASSIGN_OR_RETURN(auto clients, source_clients(spec.configs, executor, blocking));
  host->kinesis_ = std::move(clients.kinesis);
  host->dynamodb_ = std::move(clients.dynamodb);
  host->pipeline_ =
      std::make_unique<source::SourcePipeline>(*host->pulsar_, host->kinesis_, host->dynamodb_, std::move(settings));
  return host;
}

boost::asio::awaitable<Status> SourceHost::start() {
  return pipeline_->start();
}
boost::asio::awaitable<Status> SourceHost::run() {
  return pipeline_->run();
}
void SourceHost::stop() {
  pipeline_->stop();
}

boost::asio::awaitable<void> SourceHost::close() {
  pulsar_->close();
  co_return;
}

}  // namespace pk::app
