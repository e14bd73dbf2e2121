#pragma once
// Running coroutine test bodies on an io_context, for the HTTP tests.

#include <chrono>
#include <optional>

#include <gtest/gtest.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "common/result.h"
#include "http/http1_client.h"

namespace pk::http::testing {

namespace asio = boost::asio;

// Runs `body` (a callable returning awaitable<void>) on `io` until it finishes; fails the test if it does not
// finish within `limit`.
template <typename F>
void run(asio::io_context& io, F body, std::chrono::seconds limit = std::chrono::seconds(60)) {
  bool done = false;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        co_await body();
        done = true;
        io.stop();
      },
      asio::detached);
  io.restart();
  io.run_for(limit);
  ASSERT_TRUE(done) << "test coroutine did not finish";
}

// One request, awaited: the two-statement form the GCC 12 rules ask for.
inline asio::awaitable<Result<Response>> send(Http1Client& client, const Request& request) {
  auto sending = client.send(request);
  co_return co_await std::move(sending);
}

inline Request get(std::string target) {
  Request r;
  r.method = "GET";
  r.target = std::move(target);
  return r;
}

inline Request post(std::string target, std::string body) {
  Request r;
  r.method = "POST";
  r.target = std::move(target);
  r.body = std::move(body);
  return r;
}

}  // namespace pk::http::testing
