#include "net/runtime.h"

#include <algorithm>

namespace pk::net {

Runtime::Runtime(size_t loops, size_t blocking_threads) : blocking_(std::max<size_t>(1, blocking_threads)) {
  if (loops == 0) loops = std::max(1u, std::thread::hardware_concurrency());
  for (size_t i = 0; i < loops; ++i) {
    // Each io_context is run by exactly one thread: tell Asio so it can skip internal locking.
    loops_.push_back(std::make_unique<boost::asio::io_context>(1));
  }
}

Runtime::~Runtime() {
  stop();
  join();
}

void Runtime::start() {
  for (auto& loop : loops_) {
    guards_.emplace_back(loop->get_executor());
    threads_.emplace_back([ctx = loop.get()] { ctx->run(); });
  }
}

void Runtime::stop() {
  for (auto& guard : guards_) guard.reset();
  guards_.clear();
}

void Runtime::join() {
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
  blocking_.join();
}

boost::asio::any_io_executor Runtime::executor(size_t i) const {
  return loops_[i % loops_.size()]->get_executor();
}

boost::asio::any_io_executor Runtime::next_executor() {
  return executor(next_++);
}

}  // namespace pk::net
