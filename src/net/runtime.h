#pragma once
// The process's event loops. A Runtime owns N single-threaded io_contexts ("loops"), each run by its own
// thread, plus a small thread pool for blocking work (file reads, credential_process). A pipeline's hot path
// lives on one loop so that it needs no locks; loops talk to each other by posting.
// Owned by main (or a test); start() once, stop() + join() once. Thread-safe: executor()/blocking() may be
// called from any thread.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <memory>
#include <thread>
#include <vector>

namespace pk::net {

class Runtime {
 public:
  // loops == 0 means one per CPU core.
  explicit Runtime(size_t loops = 0, size_t blocking_threads = 2);
  ~Runtime();
  Runtime(const Runtime&) = delete;
  Runtime& operator=(const Runtime&) = delete;

  void start();
  // Lets the loops finish queued work and return; new work is not accepted after stop().
  void stop();
  void join();

  size_t loop_count() const { return loops_.size(); }
  // The executor of loop `i % loop_count()`.
  boost::asio::any_io_executor executor(size_t i = 0) const;
  // The loop with the fewest users so far (a simple round robin).
  boost::asio::any_io_executor next_executor();
  boost::asio::thread_pool& blocking() { return blocking_; }

 private:
  using WorkGuard = boost::asio::executor_work_guard<boost::asio::io_context::executor_type>;
  std::vector<std::unique_ptr<boost::asio::io_context>> loops_;
  std::vector<WorkGuard> guards_;
  std::vector<std::thread> threads_;
  boost::asio::thread_pool blocking_;
  size_t next_ = 0;
};

}  // namespace pk::net
