#pragma once
// Helpers for the client's unit tests: run a test coroutine on an io_context until it finishes.

#include <chrono>
#include <utility>

#include <boost/asio/io_context.hpp>

#include "support/async_test.h"

namespace pk::pulsar::testing {

// Runs `body()` (returning awaitable<void>) on `io` until it returns; fails the test after `limit`.
template <typename F>
void run(boost::asio::io_context& io, F body, std::chrono::seconds limit = std::chrono::seconds(20)) {
  ::pk::testing::run_on(io, std::move(body), limit);
}

}  // namespace pk::pulsar::testing
