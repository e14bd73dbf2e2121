#pragma once
// Which pipeline a log line is about: the daemon runs each pipeline on an event loop of its own, and marks that
// loop's thread with the pipeline's context. The log output reads the mark of the thread that logs, so every line
// written there (the pipeline's own and its clients') carries the pipeline, and its warnings and errors reach the
// pipeline's recent errors on the status board.

#include <memory>
#include <string>

#include "metrics/status_board.h"

namespace pk::app {

struct PipelineLogContext {
  std::string pipeline;                                 // its name in logs, metrics and /status
  std::shared_ptr<metrics::PipelineReporter> reporter;  // may be null
};

// Marks the calling thread (null: unmarked).
void set_thread_log_context(std::shared_ptr<const PipelineLogContext> context);
// The calling thread's mark; null when none.
const PipelineLogContext* thread_log_context();

}  // namespace pk::app
