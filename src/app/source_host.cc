#include "app/source_host.h"

#include "app/pulsar_options.h"
#include "app/source_factory.h"

namespace pk::app {

Result<std::unique_ptr<SourceHost>> SourceHost::create(const config::SourceSpec& spec,
                                                       boost::asio::any_io_executor executor,
                                                       boost::asio::thread_pool& blocking, HostReporting reporting) {
  PK_ASSIGN_OR_RETURN(auto settings, source_settings(spec));
  std::unique_ptr<SourceHost> host(new SourceHost(reporting.name.empty() ? settings.name : reporting.name));
  host->executor_ = executor;
  host->reporting_ = std::move(reporting);
  PK_ASSIGN_OR_RETURN(auto pulsar_options, pulsar_client_options(spec.pulsar));
  PK_ASSIGN_OR_RETURN(host->pulsar_, pulsar::Client::create(executor, std::move(pulsar_options)));
  PK_ASSIGN_OR_RETURN(auto clients, source_clients(spec.configs, executor, blocking));
  host->kinesis_ = std::move(clients.kinesis);
  host->dynamodb_ = std::move(clients.dynamodb);
  host->pipeline_ =
      std::make_unique<source::SourcePipeline>(*host->pulsar_, host->kinesis_, host->dynamodb_, std::move(settings));
  if (host->reporting_.registry != nullptr) {
    PK_ASSIGN_OR_RETURN(host->metrics_, metrics::SourceMetrics::create(*host->reporting_.registry, host->name()));
    host->monitor_ = std::make_unique<SourceMonitor>(*host->metrics_);
    host->pipeline_->set_metrics(host->metrics_.get());
  }
  return host;
}

boost::asio::awaitable<Status> SourceHost::start() {
  auto starting = pipeline_->start();
  Status started = co_await std::move(starting);
  started_ = started.ok();
  co_return started;
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

SourceSample SourceHost::sample() const {
  SourceSample s;
  s.shards = pipeline_->shard_progress();
  s.in_flight_messages = pipeline_->in_flight();
  s.started = started_;
  const kcl::LeaseCoordinator* coordinator = pipeline_->coordinator();
  if (coordinator == nullptr) return s;
  const kcl::LeaseTiming& timing = pipeline_->settings().coordinator.timing;
  s.worker = coordinator->worker().str();
  s.leases_held = coordinator->held_leases().size();
  s.scan_deadline = 2 * timing.take_interval() + timing.failover;
  const auto now = std::chrono::steady_clock::now();
  const kcl::LeaseObserver& observed = coordinator->observed();
  if (auto scanned = observed.last_scan()) {
    s.since_last_scan = std::chrono::duration_cast<std::chrono::milliseconds>(now - *scanned);
  }
  for (const auto& [key, lease] : observed.leases()) {
    if (lease.lease.finished() || lease.lease.owned_by(coordinator->worker())) continue;
    if (kcl::LeaseObserver::available(lease, now, timing.failover)) ++s.leases_available;
  }
  return s;
}

void SourceHost::report(metrics::PipelineState state) {
  const SourceSample s = sample();
  set_not_ready_reason(source_not_ready_reason(state, s));
  if (!monitor_) return;
  metrics::PipelineReport report = monitor_->update(s, state);
  if (reporting_.reporter) reporting_.reporter->publish(report);
}

}  // namespace pk::app
