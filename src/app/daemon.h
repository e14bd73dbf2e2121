#pragma once
// The process: event loops (one per pipeline, one for the admin endpoint and the signals), a host per configured
// pipeline, the metrics registry and status board they report to, the admin endpoint, signals and the drain.
//
//   build every pipeline ──(a spec the factories refuse)──> exit 2
//   admin endpoint listens ──(address taken)──> exit 1
//   start every pipeline ──(one fails to start)──> stop the others, exit 1
//        │ each reports to the board once a second (metrics, /status, /readyz, the progress line)
//   run until SIGTERM / SIGINT, or a pipeline fails ──> stop intake, drain (deliver, ack, checkpoint, release)
//        │                                               within drain_timeout
//        │                              └──(a second signal, or the deadline)──> exit at once (1)
//   every pipeline drained ──> exit 0 (1 if any failed)
//
// SIGHUP calls on_sighup (the log output reopens its file). Owned by main; run_daemon() blocks the calling thread,
// which also draws the progress line.

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "app/console.h"
#include "config/model.h"
#include "http/http_server.h"

namespace pk::app {

struct DaemonOptions {
  std::chrono::milliseconds drain_timeout{std::chrono::seconds(30)};
  std::optional<http::ListenAddress> admin;  // nullopt: no admin endpoint
  std::string version = "dev";
  Console* console = nullptr;  // where the progress line goes
  bool progress = false;       // draw it (the console is a terminal and the user did not turn it off)
  std::function<void()> on_sighup;
  std::chrono::milliseconds report_interval{1000};  // how often pipelines report to the board
};

// Exit codes: 0 clean stop, 1 runtime failure, 2 bad configuration.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitBadConfig = 2;

int run_daemon(const config::RunSpec& spec, const DaemonOptions& options);

}  // namespace pk::app
