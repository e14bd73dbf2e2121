#pragma once
// One pipeline as the daemon runs it: built on its own event loop, started, run until stopped, drained. The
// daemon knows pipelines only through this interface (sinks now; sources plug in the same way).
// Every method runs on the pipeline's loop (executor()); stop() is posted there by the daemon.

#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "common/result.h"

namespace pk::app {

class PipelineHost {
 public:
  virtual ~PipelineHost() = default;
  virtual const std::string& name() const = 0;
  virtual boost::asio::any_io_executor executor() const = 0;
  // Connects and prepares (subscriptions, shard maps, leases): an error here is a start-up failure.
  virtual boost::asio::awaitable<Status> start() = 0;
  // Moves records until stop(), then drains; an error is a runtime failure.
  virtual boost::asio::awaitable<Status> run() = 0;
  virtual void stop() = 0;
  // Closes the clients (after run() returned, or when start() failed).
  virtual boost::asio::awaitable<void> close() = 0;
};

}  // namespace pk::app
