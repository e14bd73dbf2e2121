#include "net/timeout.h"

#include <gtest/gtest.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

namespace pk::net {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

asio::awaitable<Result<int>> answer_after(std::chrono::milliseconds d, int v) {
  co_await sleep(d);
  co_return v;
}

TEST(WithTimeout, ReturnsTheResultWhenInTime) {
  asio::io_context io;
  std::optional<Result<int>> got;
  asio::co_spawn(
      io, [&]() -> asio::awaitable<void> { got = co_await with_timeout(answer_after(1ms, 7), 5s, "op"); },
      asio::detached);
  io.run();
  ASSERT_TRUE(got.has_value());
  ASSERT_TRUE(got->ok());
  EXPECT_EQ(**got, 7);
}

TEST(WithTimeout, TimesOutAndNamesTheOperation) {
  asio::io_context io;
  std::optional<Result<int>> got;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> { got = co_await with_timeout(answer_after(10s, 7), 20ms, "lookup of my-topic"); },
      asio::detached);
  io.run_for(5s);  // the losing sleep is cancelled, so run() returns promptly
  ASSERT_TRUE(got.has_value());
  ASSERT_FALSE(got->ok());
  EXPECT_EQ(got->error().code, ErrorCode::kTimeout);
  EXPECT_NE(got->error().message.find("lookup of my-topic"), std::string::npos);
  EXPECT_TRUE(io.stopped()) << "the cancelled operation should not keep the loop alive";
}

}  // namespace
}  // namespace pk::net
