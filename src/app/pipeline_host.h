#pragma once
// One pipeline as the daemon runs it: built on its own event loop, started, run until stopped, drained, and
// reporting what it does (metrics, status reports, readiness). The daemon knows pipelines only through this
// interface. Every method runs on the pipeline's loop (executor()), except not_ready_reason(), which any thread may
// call (the admin endpoint's /readyz).

#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "common/result.h"
#include "config/model.h"
#include "metrics/registry.h"
#include "metrics/status_board.h"

namespace pk::app {

// Where a host reports: the process's registry (its series) and its entry on the status board.
struct HostReporting {
  std::string name;                       // the pipeline's name in logs, metrics and /status (tenant/namespace/name)
  metrics::Registry* registry = nullptr;  // null: no metrics
  std::shared_ptr<metrics::PipelineReporter> reporter;  // null: no status reports
};

class PipelineHost {
 public:
  virtual ~PipelineHost() = default;
  const std::string& name() const { return name_; }
  virtual metrics::PipelineKind kind() const = 0;
  virtual boost::asio::any_io_executor executor() const = 0;
  // Connects and prepares (subscriptions, shard maps, leases): an error here is a start-up failure.
  virtual boost::asio::awaitable<Status> start() = 0;
  // Moves records until stop(), then drains; an error is a runtime failure.
  virtual boost::asio::awaitable<Status> run() = 0;
  virtual void stop() = 0;
  // Closes the clients (after run() returned, or when start() failed).
  virtual boost::asio::awaitable<void> close() = 0;
  // Publishes a status report in `state` (counters, in-flight, lag, shards, topics) and brings the metrics and the
  // readiness up to date. About once a second, and once more when the pipeline ends.
  virtual void report(metrics::PipelineState state) = 0;

  // Why the pipeline is not ready, as of the last report(); empty when it is (running and connected).
  std::string not_ready_reason() const {
    std::lock_guard lock(readiness_mutex_);
    return not_ready_;
  }

 protected:
  explicit PipelineHost(std::string name) : name_(std::move(name)) {}
  void set_not_ready_reason(std::string reason) {
    std::lock_guard lock(readiness_mutex_);
    not_ready_ = std::move(reason);
  }

 private:
  std::string name_;
  mutable std::mutex readiness_mutex_;
  std::string not_ready_ = "starting";
};

// "tenant/namespace/name": how pipelines are named in logs, metrics, subscriptions and status.
std::string pipeline_name(const config::PipelineCommon& common);

// Why a pipeline in `state` is not ready on account of its state alone ("draining"; `starting` while it starts);
// nullopt while it runs (then its connections decide).
std::optional<std::string> state_not_ready_reason(metrics::PipelineState state, std::string_view starting);

}  // namespace pk::app
