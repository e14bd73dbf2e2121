// The refreshing cache (ManualClock), the chain, and the plugin-name factory.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>

#include "aws/caching_credentials_provider.h"
#include "aws/credentials_chain.h"
#include "aws/credentials_factory.h"
#include "aws/static_credentials_provider.h"
#include "net/task_group.h"
#include "net/timeout.h"
#include "test_support.h"

namespace pk::aws {
namespace {

using namespace std::chrono_literals;
using pk::testing::run_coroutine;
using testing::ScopedEnv;

// Hands out credentials "AKID<n>" that expire `lifetime` after the clock's now; can be told to fail or to
// take a while (on the caller's loop).
class Source final : public CredentialsProvider {
 public:
  Source(const Clock& clock, std::chrono::seconds lifetime) : clock_(clock), lifetime_(lifetime) {}
  boost::asio::awaitable<Result<Credentials>> get() override {
    const int n = ++calls;
    if (delay.count() > 0) {
      // Two waits, like a real fetch (a token, then the credentials): Asio throws out of a cancelled coroutine
      // at its next wait.
      co_await net::sleep(delay);
      co_await net::sleep(std::chrono::milliseconds(1));
    }
    if (fail) co_return make_error(ErrorCode::kUnavailable, "source down");
    co_return Credentials{"AKID" + std::to_string(n), "secret", "token", clock_.now() + lifetime_};
  }
  std::string name() const override { return "test source"; }
  void invalidate() override { ++invalidations; }

  std::atomic<int> calls{0};
  std::atomic<int> invalidations{0};
  bool fail = false;
  std::chrono::milliseconds delay{0};

 private:
  const Clock& clock_;
  std::chrono::seconds lifetime_;
};

TEST(CachingProvider, ServesCachedCredentialsUntilTheRefreshWindow) {
  ManualClock clock(std::chrono::system_clock::from_time_t(1700000000));
  auto source = std::make_shared<Source>(clock, 3600s);
  CachingCredentialsProvider cache(source, CacheOptions{5000ms, 300s}, clock);
  EXPECT_EQ(testing::fetch_credentials(cache)->access_key_id, "AKID1");
  clock.advance(3000s);
  EXPECT_EQ(testing::fetch_credentials(cache)->access_key_id, "AKID1") << "still 10 minutes left";
  clock.advance(301s);  // inside the 5-minute margin: refresh ahead of expiry
  EXPECT_EQ(testing::fetch_credentials(cache)->access_key_id, "AKID2");
  EXPECT_EQ(source->calls.load(), 2);
  EXPECT_EQ(cache.fetches(), 2u);
}

TEST(CachingProvider, RechecksAtMostEveryCheckInterval) {
  ManualClock clock(std::chrono::system_clock::from_time_t(1700000000));
  auto source = std::make_shared<Source>(clock, 200s);  // always inside the margin
  CachingCredentialsProvider cache(source, CacheOptions{5000ms, 300s}, clock);
  EXPECT_TRUE(testing::fetch_credentials(cache).ok());
  for (int i = 0; i < 10; ++i) EXPECT_TRUE(testing::fetch_credentials(cache).ok());
  EXPECT_EQ(source->calls.load(), 1) << "no refresh before the check interval";
  clock.advance(5s);
  EXPECT_EQ(testing::fetch_credentials(cache)->access_key_id, "AKID2");
  EXPECT_EQ(source->calls.load(), 2);
}

TEST(CachingProvider, ExpiredCredentialsAreNeverHandedOut) {
  ManualClock clock(std::chrono::system_clock::from_time_t(1700000000));
  auto source = std::make_shared<Source>(clock, 600s);
  CachingCredentialsProvider cache(source, CacheOptions{5000ms, 300s, 15s}, clock);
  ASSERT_TRUE(testing::fetch_credentials(cache).ok());
  source->fail = true;
  clock.advance(400s);  // refresh fails; the current ones still have 200 s: keep them
  auto kept = testing::fetch_credentials(cache);
  ASSERT_TRUE(kept.ok()) << kept.error().to_string();
  EXPECT_EQ(kept->access_key_id, "AKID1");
  clock.advance(190s);  // 10 s left: within the skew, not usable any more
  auto expired = testing::fetch_credentials(cache);
  ASSERT_FALSE(expired.ok());
  EXPECT_NE(expired.error().message.find("source down"), std::string::npos);
  source->fail = false;
  EXPECT_TRUE(testing::fetch_credentials(cache).ok());
}

TEST(CachingProvider, ConcurrentCallersShareOneFetch) {
  ManualClock clock(std::chrono::system_clock::from_time_t(1700000000));
  auto source = std::make_shared<Source>(clock, 3600s);
  source->delay = 50ms;
  auto cache = std::make_shared<CachingCredentialsProvider>(source, CacheOptions{}, clock);
  boost::asio::io_context io;
  std::vector<std::optional<Result<Credentials>>> results(20);
  for (auto& slot : results) {
    boost::asio::co_spawn(
        io, [&, cache]() -> boost::asio::awaitable<void> { slot.emplace(co_await cache->get()); },
        boost::asio::detached);
  }
  io.run_for(10s);
  EXPECT_EQ(source->calls.load(), 1) << "one fetch for 20 callers";
  for (auto& r : results) {
    ASSERT_TRUE(r.has_value());
    ASSERT_TRUE(r->ok());
    EXPECT_EQ((*r)->access_key_id, "AKID1");
  }
}

TEST(CachingProvider, ConcurrentCallersOnOtherThreadsAreWokenOnTheirOwnLoops) {
  ManualClock clock(std::chrono::system_clock::from_time_t(1700000000));
  auto source = std::make_shared<Source>(clock, 3600s);
  source->delay = 100ms;
  auto cache = std::make_shared<CachingCredentialsProvider>(source, CacheOptions{}, clock);
  boost::asio::thread_pool loops(4);
  std::atomic<int> ok{0};
  for (int i = 0; i < 16; ++i) {
    boost::asio::co_spawn(
        loops,
        [&, cache]() -> boost::asio::awaitable<void> {
          auto r = co_await cache->get();
          if (r.ok() && r->access_key_id == "AKID1") ++ok;
        },
        boost::asio::detached);
  }
  loops.join();
  EXPECT_EQ(ok.load(), 16);
  EXPECT_EQ(source->calls.load(), 1);
}

TEST(CachingProvider, InvalidateForcesAFetch) {
  ManualClock clock(std::chrono::system_clock::from_time_t(1700000000));
  auto source = std::make_shared<Source>(clock, 3600s);
  CachingCredentialsProvider cache(source, CacheOptions{}, clock);
  EXPECT_EQ(testing::fetch_credentials(cache)->access_key_id, "AKID1");
  cache.invalidate();
  EXPECT_EQ(source->invalidations.load(), 1);
  EXPECT_EQ(testing::fetch_credentials(cache)->access_key_id, "AKID2");
}

// A caller that gives up (a deadline) while the fetch is under way. Asio then throws out of the fetch at its next
// wait: the fetch never reaches its end, and before the scope guard the cache stayed "fetching" for good, so every
// later caller waited forever.
TEST(CachingProvider, AFetchCancelledMidWayDoesNotWedgeLaterCallers) {
  ManualClock clock(std::chrono::system_clock::from_time_t(1700000000));
  auto source = std::make_shared<Source>(clock, 3600s);
  source->delay = 10s;
  auto cache = std::make_shared<CachingCredentialsProvider>(source, CacheOptions{}, clock);
  std::optional<Result<Credentials>> waited;
  auto first = run_coroutine<Result<Credentials>>([&]() -> boost::asio::awaitable<Result<Credentials>> {
    net::TaskGroup others(co_await boost::asio::this_coro::executor);
    auto second_caller = [&]() -> boost::asio::awaitable<void> {
      co_await net::sleep(5ms);  // the fetch is under way: this caller waits for it
      auto getting = cache->get();
      waited = co_await std::move(getting);
    };
    others.spawn(second_caller());
    auto bounded = net::with_timeout(cache->get(), 30ms, "credentials");
    auto got = co_await std::move(bounded);
    co_await others.join();
    co_return got;
  });
  ASSERT_FALSE(first.ok());
  EXPECT_EQ(first.error().code, ErrorCode::kTimeout);
  ASSERT_TRUE(waited.has_value());
  ASSERT_FALSE(waited->ok()) << "the waiter was woken";
  EXPECT_EQ(waited->error().code, ErrorCode::kUnavailable);
  EXPECT_TRUE(waited->error().retryable());
  EXPECT_EQ(waited->error().message, "credentials: the fetch from test source this call waited for was abandoned");
  source->delay = 0ms;
  auto later = run_coroutine<Result<Credentials>>([&] { return cache->get(); }, 5s);
  ASSERT_TRUE(later.ok()) << later.error().to_string();
  EXPECT_EQ(later->access_key_id, "AKID2");
  EXPECT_EQ(source->calls.load(), 2);
}

class Failing final : public CredentialsProvider {
 public:
  explicit Failing(std::string why, ErrorCode code = ErrorCode::kUnauthenticated) : why_(std::move(why)), code_(code) {}
  boost::asio::awaitable<Result<Credentials>> get() override {
    ++calls;
    co_return make_error(code_, why_);
  }
  std::string name() const override { return "failing"; }
  std::atomic<int> calls{0};

 private:
  std::string why_;
  ErrorCode code_;
};

TEST(CredentialsChain, FirstThatAnswersWinsAndIsTriedFirstNextTime) {
  auto a = std::make_shared<Failing>("a: nothing");
  auto b = std::make_shared<StaticCredentialsProvider>(Credentials{"AKIDB", "s", "", std::nullopt}, "b");
  auto c = std::make_shared<StaticCredentialsProvider>(Credentials{"AKIDC", "s", "", std::nullopt}, "c");
  CredentialsChain chain({a, b, c});
  EXPECT_EQ(testing::fetch_credentials(chain)->access_key_id, "AKIDB");
  EXPECT_EQ(a->calls.load(), 1);
  EXPECT_EQ(testing::fetch_credentials(chain)->access_key_id, "AKIDB");
  EXPECT_EQ(a->calls.load(), 1) << "the link that answered is asked first";
}

TEST(CredentialsChain, ListsEveryLinkWhenAllFail) {
  CredentialsChain chain(
      {std::make_shared<Failing>("environment: not set"), std::make_shared<Failing>("profile default: not found")},
      "default credentials chain");
  auto r = testing::fetch_credentials(chain);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(r.error().message,
            "default credentials chain: no credentials found: environment: not set; profile default: not found");
}

// A metadata endpoint that was down or slow may answer next time: the chain's error must stay retryable then
// (before, every failure became kUnauthenticated, which is_retryable treats as fatal, so a start-up during an IMDS
// hiccup was never retried).
TEST(CredentialsChain, KeepsTheFirstRetryableCodeAmongTheLinks) {
  CredentialsChain chain({std::make_shared<Failing>("environment: not set", ErrorCode::kNotFound),
                          std::make_shared<Failing>("profile default: bad file", ErrorCode::kInvalidArgument),
                          std::make_shared<Failing>("container endpoint: timed out", ErrorCode::kTimeout),
                          std::make_shared<Failing>("instance metadata: HTTP 503", ErrorCode::kUnavailable)},
                         "default credentials chain");
  auto r = testing::fetch_credentials(chain);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kTimeout);
  EXPECT_TRUE(r.error().retryable());
  EXPECT_EQ(r.error().message,
            "default credentials chain: no credentials found: environment: not set; profile default: bad file; "
            "container endpoint: timed out; instance metadata: HTTP 503");
  CredentialsChain nothing_retryable({std::make_shared<Failing>("environment: not set", ErrorCode::kNotFound),
                                      std::make_shared<Failing>("profile: no such profile", ErrorCode::kNotFound)});
  auto fatal = testing::fetch_credentials(nothing_retryable);
  ASSERT_FALSE(fatal.ok());
  EXPECT_EQ(fatal.error().code, ErrorCode::kUnauthenticated);
}

TEST(DefaultChain, EnvironmentComesFirst) {
  ScopedEnv env;
  env.clear_aws()
      .set("AWS_ACCESS_KEY_ID", "AKIDENV")
      .set("AWS_SECRET_ACCESS_KEY", "s")
      .set("AWS_EC2_METADATA_DISABLED", "true");
  CredentialsContext ctx;
  auto chain = make_default_chain(ctx);
  EXPECT_EQ(testing::fetch_credentials(*chain)->access_key_id, "AKIDENV");
}

TEST(DefaultChain, NothingConfiguredSaysWhatWasTried) {
  ScopedEnv env;
  env.clear_aws()
      .set("AWS_CONFIG_FILE", "/nonexistent/config")
      .set("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials")
      .set("AWS_EC2_METADATA_DISABLED", "true");
  CredentialsContext ctx;
  auto chain = make_default_chain(ctx);
  auto r = testing::fetch_credentials(*chain);
  ASSERT_FALSE(r.ok());
  for (const char* part :
       {"environment", "profile default", "web identity", "container endpoint", "instance metadata"}) {
    EXPECT_NE(r.error().message.find(part), std::string::npos) << part << " in: " << r.error().message;
  }
}

TEST(CredentialsFactory, PluginNames) {
  ScopedEnv env;
  env.clear_aws().set("AWS_ACCESS_KEY_ID", "AKIDENV").set("AWS_SECRET_ACCESS_KEY", "s");
  CredentialsContext ctx;
  auto fixed = make_credentials_provider("", R"({"accessKey":"AKIDP","secretKey":"s"})", ctx);
  ASSERT_TRUE(fixed.ok()) << fixed.error().to_string();
  EXPECT_EQ(testing::fetch_credentials(**fixed)->access_key_id, "AKIDP");

  for (const char* name : {"org.apache.pulsar.io.aws.AwsDefaultProviderChainPlugin",
                           "org.apache.pulsar.io.kinesis.AwsDefaultProviderChainPlugin"}) {
    auto chain = make_credentials_provider(name, "", ctx);
    ASSERT_TRUE(chain.ok()) << name;
    EXPECT_EQ(testing::fetch_credentials(**chain)->access_key_id, "AKIDENV") << name;
  }
  for (const char* name : {"org.apache.pulsar.io.aws.STSAssumeRoleProviderPlugin",
                           "org.apache.pulsar.io.kinesis.STSAssumeRoleProviderPlugin"}) {
    auto role = make_credentials_provider(
        name, R"({"roleArn":"arn:aws:iam::1:role/x","roleSessionName":"s","durationSeconds":"900"})", ctx);
    ASSERT_TRUE(role.ok()) << role.error().to_string();
    EXPECT_NE((*role)->name().find("arn:aws:iam::1:role/x"), std::string::npos);
  }
}

TEST(CredentialsFactory, ErrorsNameThePluginAndTheKey) {
  CredentialsContext ctx;
  auto unknown = make_credentials_provider("com.example.MyPlugin", "{}", ctx);
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message.find("com.example.MyPlugin"), std::string::npos);
  auto no_arn = make_credentials_provider(kStsAssumeRolePlugin, R"({"roleSessionName":"s"})", ctx);
  ASSERT_FALSE(no_arn.ok());
  EXPECT_NE(no_arn.error().message.find("roleArn"), std::string::npos);
  auto no_session = make_credentials_provider(kStsAssumeRolePlugin, R"({"roleArn":"a"})", ctx);
  ASSERT_FALSE(no_session.ok());
  EXPECT_NE(no_session.error().message.find("roleSessionName"), std::string::npos);
  auto bad_duration = make_credentials_provider(kStsAssumeRolePlugin,
                                                R"({"roleArn":"a","roleSessionName":"s","durationSeconds":5})", ctx);
  ASSERT_FALSE(bad_duration.ok());
  auto bad_endpoint = make_credentials_provider(
      kStsAssumeRolePlugin, R"({"roleArn":"a","roleSessionName":"s","stsEndpoint":"ftp://x"})", ctx);
  ASSERT_FALSE(bad_endpoint.ok());
  auto missing_secret = make_credentials_provider("", R"({"accessKey":"AKID"})", ctx);
  ASSERT_FALSE(missing_secret.ok());
  EXPECT_NE(missing_secret.error().message.find("secretKey"), std::string::npos);
}

}  // namespace
}  // namespace pk::aws
