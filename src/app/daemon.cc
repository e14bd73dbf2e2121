#include "app/daemon.h"

#include <atomic>
#include <condition_variable>
#include <csignal>
#include <mutex>
#include <thread>

#include <fmt/format.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>

#include "app/log_context.h"
#include "app/progress_line.h"
#include "app/sink_host.h"
#include "app/source_host.h"
#include "common/log.h"
#include "metrics/admin_server.h"
#include "net/runtime.h"
#include "net/task_group.h"

namespace pk::app {

namespace asio = boost::asio;

namespace {

// What the pipelines' coroutines tell the main thread.
class Outcomes {
 public:
  explicit Outcomes(size_t pipelines) : running_(pipelines) {}

  void finished(bool ok) {
    std::lock_guard lock(mutex_);
    if (!ok) failed_ = true;
    --running_;
    changed_.notify_all();
  }
  void start_failed() {
    std::lock_guard lock(mutex_);
    start_failed_ = true;
    changed_.notify_all();
  }
  void stop_requested() {
    std::lock_guard lock(mutex_);
    stop_requested_ = true;
    changed_.notify_all();
  }
  // Waits until `deadline` for a stop request, a failure (at start or while running: the others are stopped too,
  // and the process exits non-zero so that a supervisor restarts it) or the end of every pipeline; true if one came.
  bool wait_for_event(std::chrono::steady_clock::time_point deadline) {
    std::unique_lock lock(mutex_);
    return changed_.wait_until(lock, deadline,
                               [&] { return stop_requested_ || start_failed_ || failed_ || running_ == 0; });
  }
  // Waits until `deadline` for every pipeline to finish; true if they did.
  bool wait_all(std::chrono::steady_clock::time_point deadline) {
    std::unique_lock lock(mutex_);
    return changed_.wait_until(lock, deadline, [&] { return running_ == 0; });
  }
  bool failed() const {
    std::lock_guard lock(mutex_);
    return failed_ || start_failed_;
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  size_t running_;
  bool failed_ = false;
  bool start_failed_ = false;
  bool stop_requested_ = false;
};

// One pipeline's run, on its loop: its state, and the timer of its reports.
struct PipelineRun {
  PipelineRun(PipelineHost& h, std::shared_ptr<metrics::PipelineReporter> r)
      : host(h), reporter(std::move(r)), timer(h.executor()) {}

  PipelineHost& host;
  std::shared_ptr<metrics::PipelineReporter> reporter;
  asio::steady_timer timer;
  metrics::PipelineState state = metrics::PipelineState::kStarting;
  bool done = false;

  void report(metrics::PipelineState next) {
    state = next;
    reporter->set_state(next);
    host.report(next);
  }
  void stop() {
    if (done) return;
    host.stop();
    if (state == metrics::PipelineState::kRunning) report(metrics::PipelineState::kDraining);
  }
};

asio::awaitable<void> report_loop(PipelineRun& run, std::chrono::milliseconds interval) {
  while (!run.done) {
    run.timer.expires_after(interval);
    co_await run.timer.async_wait(asio::as_tuple(asio::use_awaitable));
    if (run.done) break;
    run.host.report(run.state);
  }
}

asio::awaitable<void> run_pipeline(PipelineRun& run, Outcomes& outcomes, std::chrono::milliseconds interval) {
  auto log = logger("app");
  PipelineHost& host = run.host;
  run.report(metrics::PipelineState::kStarting);
  auto starting = host.start();
  Status started = co_await std::move(starting);
  if (!started.ok()) {
    log->error("{}: could not start: {}", host.name(), started.error().to_string());
    run.done = true;
    run.report(metrics::PipelineState::kFailed);
    outcomes.start_failed();
    auto closing = host.close();
    co_await std::move(closing);
    outcomes.finished(false);
    co_return;
  }
  log->info("{}: running", host.name());
  // stop() may have come while starting: the pipeline then drains at once.
  run.report(run.state == metrics::PipelineState::kStarting ? metrics::PipelineState::kRunning
                                                            : metrics::PipelineState::kDraining);
  net::TaskGroup reporting(host.executor());
  reporting.spawn(report_loop(run, interval));
  auto running = host.run();
  Status result = co_await std::move(running);
  run.done = true;
  run.timer.cancel();
  co_await reporting.join();
  if (!result.ok()) log->error("{}: failed: {}", host.name(), result.error().to_string());
  run.report(result.ok() ? metrics::PipelineState::kStopped : metrics::PipelineState::kFailed);
  auto closing = host.close();
  co_await std::move(closing);
  outcomes.finished(result.ok());
}

// A sink and a source may share a tenant/namespace/name; on the board and in metrics they must differ.
std::vector<std::string> board_names(const config::RunSpec& spec) {
  std::vector<std::string> names;
  for (const auto& s : spec.sinks) names.push_back(pipeline_name(s.common));
  for (const auto& s : spec.sources) names.push_back(pipeline_name(s.common));
  const size_t sinks = spec.sinks.size();
  for (size_t i = 0; i < sinks; ++i) {
    for (size_t j = sinks; j < names.size(); ++j) {
      if (names[i] == names[j]) {
        names[i] += " (sink)";
        names[j] += " (source)";
      }
    }
  }
  return names;
}

metrics::Readiness readiness_of(const std::vector<std::unique_ptr<PipelineHost>>& hosts) {
  std::string why;
  for (const auto& host : hosts) {
    const std::string reason = host->not_ready_reason();
    if (reason.empty()) continue;
    if (!why.empty()) why += "; ";
    why += fmt::format("{} '{}': {}", metrics::to_string(host->kind()), host->name(), reason);
  }
  if (!why.empty()) return metrics::Readiness{.ready = false, .reason = why};
  return metrics::Readiness{
      .ready = true,
      .reason = fmt::format("{} pipeline{} running and connected", hosts.size(), hosts.size() == 1 ? "" : "s")};
}

double epoch_seconds_now() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

int run_daemon(const config::RunSpec& spec, const DaemonOptions& options) {
  auto log = logger("app");
  const size_t pipelines = spec.sinks.size() + spec.sources.size();
  if (pipelines == 0) {
    log->error("the configuration has no pipeline");
    return kExitBadConfig;
  }
  metrics::Registry registry;
  if (Status registered = metrics::register_process_metrics(registry, options.version, epoch_seconds_now());
      !registered.ok()) {
    log->error("metrics: {}", registered.error().to_string());
    return kExitFailure;
  }
  metrics::StatusBoard board({.version = options.version}, SystemClock::instance(), &registry);
  // Loop 0: the admin endpoint and the signals; loop i + 1: pipeline i (its lines in the log carry its name).
  net::Runtime runtime(pipelines + 1, 2);
  runtime.start();
  auto stop_runtime = [&] {
    runtime.stop();
    runtime.join();
  };

  // Build each host on its own loop (its clients belong to that loop).
  const std::vector<std::string> names = board_names(spec);
  std::vector<std::unique_ptr<PipelineHost>> hosts;
  std::vector<std::unique_ptr<PipelineRun>> runs;
  // The hosts' clients (and the runs' timers) belong to their loops: destroyed there, before the loops stop.
  auto destroy_hosts = [&] {
    for (size_t i = 0; i < hosts.size(); ++i) {
      auto executor = hosts[i]->executor();
      asio::post(executor, asio::use_future([&, i] {
                   if (i < runs.size()) runs[i].reset();
                   hosts[i].reset();
                   set_thread_log_context(nullptr);
                 }))
          .get();
    }
  };
  for (size_t i = 0; i < pipelines; ++i) {
    const bool is_sink = i < spec.sinks.size();
    auto executor = runtime.executor(i + 1);
    auto reporter =
        board.add_pipeline(names[i], is_sink ? metrics::PipelineKind::kSink : metrics::PipelineKind::kSource);
    auto context = std::make_shared<const PipelineLogContext>(PipelineLogContext{names[i], reporter});
    HostReporting reporting{.name = names[i], .registry = &registry, .reporter = reporter};
    auto building = asio::post(
        executor,
        asio::use_future([&, i, is_sink, executor, context, reporting]() -> Result<std::unique_ptr<PipelineHost>> {
          set_thread_log_context(context);
          if (is_sink) {
            PK_ASSIGN_OR_RETURN(auto host, SinkHost::create(spec.sinks[i], executor, runtime.blocking(), reporting));
            return std::unique_ptr<PipelineHost>(std::move(host));
          }
          const auto& source = spec.sources[i - spec.sinks.size()];
          PK_ASSIGN_OR_RETURN(auto host, SourceHost::create(source, executor, runtime.blocking(), reporting));
          return std::unique_ptr<PipelineHost>(std::move(host));
        }));
    auto host = building.get();
    if (!host.ok()) {
      log->error("{} {}: {}", is_sink ? "sink" : "source", names[i], host.error().to_string());
      destroy_hosts();
      stop_runtime();
      return kExitBadConfig;
    }
    runs.push_back(std::make_unique<PipelineRun>(**host, reporter));
    hosts.push_back(std::move(*host));
  }

  // The admin endpoint, before any pipeline starts: /healthz answers at once, /readyz once everything is connected.
  std::unique_ptr<metrics::AdminServer> admin;
  if (options.admin) {
    metrics::AdminSources sources{.registry = &registry,
                                  .readiness = [&hosts] { return readiness_of(hosts); },
                                  .status = [&board] { return board.snapshot(); }};
    auto started = metrics::AdminServer::start(runtime.executor(0), {.address = *options.admin}, std::move(sources));
    if (!started.ok()) {
      log->error(
          "admin endpoint: {} (set admin.address or --admin to a free address, or turn the endpoint off with "
          "admin.enabled: false or --no-admin)",
          started.error().message);
      destroy_hosts();
      stop_runtime();
      return kExitFailure;
    }
    admin = std::move(*started);
    log->info("admin endpoint: status page {} (also /metrics, /healthz, /readyz, /status)", admin->url());
  }

  Outcomes outcomes(hosts.size());
  // Signals: the first SIGTERM / SIGINT asks for a drain, a second one exits at once; SIGHUP reopens the log file.
  asio::signal_set signals(runtime.executor(0), SIGINT, SIGTERM, SIGHUP);
  std::atomic<int> stop_signals{0};
  std::function<void(const boost::system::error_code&, int)> on_signal = [&](const boost::system::error_code& ec,
                                                                             int number) {
    if (ec) return;
    if (number == SIGHUP) {
      if (options.on_sighup) options.on_sighup();
      log->info("SIGHUP: log file reopened");
    } else if (stop_signals.fetch_add(1) == 0) {
      log->info("signal {}: draining (a second signal exits at once)", number);
      outcomes.stop_requested();
    } else {
      log->warn("signal {} again: exiting without draining", number);
      if (options.console != nullptr) options.console->set_status("");
      std::_Exit(kExitFailure);
    }
    signals.async_wait(on_signal);
  };
  signals.async_wait(on_signal);

  // Each pipeline's run is owned through `outcomes`: the drain below waits until every one has finished.
  for (auto& run : runs) {
    asio::co_spawn(run->host.executor(), run_pipeline(*run, outcomes, options.report_interval),
                   [](std::exception_ptr) {});
  }
  auto draw_progress = [&] {
    if (options.progress && options.console != nullptr) options.console->set_status(progress_line(board.snapshot()));
  };
  while (!outcomes.wait_for_event(std::chrono::steady_clock::now() + std::chrono::seconds(1))) draw_progress();
  for (auto& run : runs) {
    PipelineRun* r = run.get();
    asio::post(r->host.executor(), [r] { r->stop(); });
  }
  const auto deadline = std::chrono::steady_clock::now() + options.drain_timeout;
  bool drained = false;
  while (!drained && std::chrono::steady_clock::now() < deadline) {
    drained = outcomes.wait_all(std::min(deadline, std::chrono::steady_clock::now() + std::chrono::seconds(1)));
    draw_progress();
  }
  if (options.console != nullptr) options.console->set_status("");
  if (!drained) {
    log->error("the drain did not finish within {} ms: exiting; messages not yet acknowledged will be redelivered",
               options.drain_timeout.count());
    std::_Exit(kExitFailure);
  }
  // The last scrape sees the final counts: the endpoint stops only now.
  if (admin) admin->stop_blocking();
  asio::post(runtime.executor(0), asio::use_future([&] { signals.cancel(); })).get();
  destroy_hosts();
  stop_runtime();
  const bool failed = outcomes.failed();
  log->info("stopped{}", failed ? " after a failure" : "");
  return failed ? kExitFailure : kExitOk;
}

}  // namespace pk::app
