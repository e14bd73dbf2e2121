#include "app/daemon.h"

#include <atomic>
#include <condition_variable>
#include <csignal>
#include <mutex>
#include <thread>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/use_future.hpp>

#include "app/sink_host.h"
#include "app/source_host.h"
#include "common/log.h"
#include "net/runtime.h"

namespace pk::app {

namespace asio = boost::asio;

namespace {

// What the pipelines' coroutines report back to the main thread.
class Progress {
 public:
  explicit Progress(size_t pipelines) : running_(pipelines) {}

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
  // Waits for a stop request, a failure (at start or while running: the others are stopped too, and the process
  // exits non-zero so that a supervisor restarts it) or the end of every pipeline.
  void wait_for_event() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return stop_requested_ || start_failed_ || failed_ || running_ == 0; });
  }
  // Waits for every pipeline to finish until `deadline`; returns whether they did.
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

asio::awaitable<void> run_pipeline(PipelineHost& host, Progress& progress) {
  auto log = logger("app");
  auto starting = host.start();
  Status started = co_await std::move(starting);
  if (!started.ok()) {
    log->error("{}: could not start: {}", host.name(), started.error().to_string());
    progress.start_failed();
    auto closing = host.close();
    co_await std::move(closing);
    progress.finished(false);
    co_return;
  }
  log->info("{}: running", host.name());
  auto running = host.run();
  Status result = co_await std::move(running);
  if (!result.ok()) log->error("{}: failed: {}", host.name(), result.error().to_string());
  auto closing = host.close();
  co_await std::move(closing);
  progress.finished(result.ok());
}

}  // namespace

int run_daemon(const config::RunSpec& spec, const DaemonOptions& options) {
  auto log = logger("app");
  const size_t pipelines = spec.sinks.size() + spec.sources.size();
  if (pipelines == 0) {
    log->error("the configuration has no pipeline");
    return kExitBadConfig;
  }
  size_t cores = options.max_loops ? options.max_loops : std::max(1u, std::thread::hardware_concurrency());
  net::Runtime runtime(std::min(pipelines, cores), 2);
  runtime.start();

  // Build each host on its own loop (its clients belong to that loop).
  std::vector<std::unique_ptr<PipelineHost>> hosts;
  for (size_t i = 0; i < spec.sinks.size(); ++i) {
    auto executor = runtime.executor(i);
    auto building = asio::post(executor, asio::use_future([&, executor] {
                                 return SinkHost::create(spec.sinks[i], executor, runtime.blocking());
                               }));
    auto host = building.get();
    if (!host.ok()) {
      log->error("sink {}: {}", spec.sinks[i].common.name, host.error().to_string());
      runtime.stop();
      runtime.join();
      return kExitBadConfig;
    }
    hosts.push_back(std::move(*host));
  }
  for (size_t i = 0; i < spec.sources.size(); ++i) {
    auto executor = runtime.executor(spec.sinks.size() + i);
    auto building = asio::post(executor, asio::use_future([&, executor] {
                                 return SourceHost::create(spec.sources[i], executor, runtime.blocking());
                               }));
    auto host = building.get();
    if (!host.ok()) {
      log->error("source {}: {}", spec.sources[i].common.name, host.error().to_string());
      runtime.stop();
      runtime.join();
      return kExitBadConfig;
    }
    hosts.push_back(std::move(*host));
  }

  Progress progress(hosts.size());
  // Signals: the first asks for a drain, a second one exits at once.
  asio::signal_set signals(runtime.executor(0), SIGINT, SIGTERM);
  std::atomic<int> signals_seen{0};
  std::function<void(const boost::system::error_code&, int)> on_signal = [&](const boost::system::error_code& ec,
                                                                             int number) {
    if (ec) return;
    if (signals_seen.fetch_add(1) == 0) {
      log->info("signal {}: draining (a second signal exits at once)", number);
      progress.stop_requested();
      signals.async_wait(on_signal);
    } else {
      log->warn("signal {} again: exiting without draining", number);
      std::_Exit(kExitFailure);
    }
  };
  signals.async_wait(on_signal);

  for (auto& host : hosts) {
    asio::co_spawn(host->executor(), run_pipeline(*host, progress), [](std::exception_ptr) {});
  }
  progress.wait_for_event();
  for (auto& host : hosts) asio::post(host->executor(), [&host] { host->stop(); });
  const bool drained = progress.wait_all(std::chrono::steady_clock::now() + options.drain_timeout);
  if (!drained) {
    log->error("the drain did not finish within {} ms: exiting; messages not yet acknowledged will be redelivered",
               options.drain_timeout.count());
    std::_Exit(kExitFailure);
  }
  asio::post(runtime.executor(0), [&] { signals.cancel(); });
  // The hosts' clients belong to their loops: destroy them there, then stop the loops.
  for (auto& host : hosts) {
    auto executor = host->executor();
    asio::post(executor, asio::use_future([&host] { host.reset(); })).get();
  }
  runtime.stop();
  runtime.join();
  const bool failed = progress.failed();
  log->info("stopped{}", failed ? " after a failure" : "");
  return failed ? kExitFailure : kExitOk;
}

}  // namespace pk::app
