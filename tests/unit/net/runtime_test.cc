#include "net/runtime.h"

#include <atomic>
#include <future>
#include <set>

#include <gtest/gtest.h>
#include <boost/asio/post.hpp>

namespace pk::net {
namespace {

TEST(Runtime, EachLoopRunsOnItsOwnThread) {
  Runtime rt(3, 1);
  rt.start();
  std::set<std::thread::id> ids;
  for (size_t i = 0; i < rt.loop_count(); ++i) {
    std::promise<std::thread::id> p;
    boost::asio::post(rt.executor(i), [&p] { p.set_value(std::this_thread::get_id()); });
    ids.insert(p.get_future().get());
  }
  EXPECT_EQ(ids.size(), 3u);
  EXPECT_EQ(ids.count(std::this_thread::get_id()), 0u);
  rt.stop();
  rt.join();
}

TEST(Runtime, StopLetsQueuedWorkFinish) {
  std::atomic<int> done{0};
  {
    Runtime rt(2, 1);
    rt.start();
    for (int i = 0; i < 100; ++i) boost::asio::post(rt.next_executor(), [&done] { ++done; });
    boost::asio::post(rt.blocking(), [&done] { ++done; });
    rt.stop();
    rt.join();
  }
  EXPECT_EQ(done.load(), 101);
}

TEST(Runtime, ZeroLoopsMeansOnePerCore) {
  Runtime rt(0, 1);
  EXPECT_GE(rt.loop_count(), 1u);
}

}  // namespace
}  // namespace pk::net
