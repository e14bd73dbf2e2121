#pragma once
// The process: event loops, one pipeline host per configured pipeline (each on a loop of its own, up to the number
// of cores), signals and the drain.
//
//   start every pipeline ──(one fails to start)──> stop the others, exit 1
//        │
//   run until SIGTERM / SIGINT ──> stop intake, drain (deliver, ack, checkpoint, release) within drain_timeout
//        │                              └──(a second signal, or the deadline)──> exit at once (1)
//   every pipeline drained ──> exit 0 (1 if any failed while running)
//
// SIGHUP is left to the log sink (reopening files). Owned by main; run() blocks the calling thread.

#include <chrono>
#include <memory>
#include <vector>

#include "config/model.h"

namespace pk::app {

struct DaemonOptions {
  std::chrono::milliseconds drain_timeout{std::chrono::seconds(30)};
  size_t max_loops = 0;  // 0: one per core
};

// Exit codes: 0 clean stop, 1 runtime failure, 2 bad configuration.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitBadConfig = 2;

int run_daemon(const config::RunSpec& spec, const DaemonOptions& options);

}  // namespace pk::app
