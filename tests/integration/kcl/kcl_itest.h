#pragma once
// Shared by the kcl integration tests: DynamoDB clients on moto (signatures verified; optionally through a proxy
// that can be cut), a fresh lease table per test, boto3 as the independent peer (boto3_kcl_peer.py), a background
// process runner, a listener that records what the coordinator told it and when, and waiting helpers.

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "dynamodb/client.h"
#include "dynamodb/item_ops_codec.h"
#include "integration/aws/run_support.h"
#include "integration/dynamodb/moto_table.h"
#include "kcl/lease_coordinator.h"
#include "kcl/lease_table.h"
#include "support/async_test.h"
#include "support/server_env.h"

namespace pk::kcl::itest {

using namespace std::chrono_literals;
using pk::testing::run_coroutine;

inline std::string unique_name(std::string_view prefix) {
  return dynamodb::itest::unique_table_name(prefix);
}

// A DynamoDB client on moto, or on `endpoint_url` (a proxy in front of moto).
inline std::shared_ptr<dynamodb::DynamoDbClient> make_dynamodb(std::string endpoint_url = {},
                                                               dynamodb::DynamoDbClientOptions options = {}) {
  return dynamodb::itest::make_moto_client(std::move(endpoint_url), std::move(options));
}

// Runs boto3_kcl_peer.py with `args`; its stdout without the final newline. Fails the test on a non-zero exit.
inline std::string peer(const std::string& args) {
  const std::string script = std::string(PK_SOURCE_DIR) + "/tests/integration/kcl/boto3_kcl_peer.py";
  bool ok = false;
  std::string out = aws::itest::run_python(pk::testing::server_env("PK_PYTHON"), script + " " + args, ok);
  EXPECT_TRUE(ok) << "boto3 peer failed: " << args << "\n" << out;
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

// The item boto3 reads (nullopt when there is none).
inline std::optional<dynamodb::Item> peer_get(const std::string& table, const std::string& hash_name,
                                              const std::string& key) {
  auto item = dynamodb::parse_get_item_response(peer(fmt::format("get {} {} {}", table, hash_name, key)));
  EXPECT_TRUE(item.ok()) << item.error().to_string();
  return item.ok() ? *item : std::nullopt;
}

// A process running in the background (the boto3 heartbeater), killed when this goes.
class BackgroundPeer {
 public:
  explicit BackgroundPeer(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {pk::testing::server_env("PK_PYTHON"),
                                     std::string(PK_SOURCE_DIR) + "/tests/integration/kcl/boto3_kcl_peer.py"};
    argv.insert(argv.end(), args.begin(), args.end());
    pid_ = ::fork();
    if (pid_ == 0) {
      std::vector<char*> c;
      for (std::string& a : argv) c.push_back(a.data());
      c.push_back(nullptr);
      ::execv(c[0], c.data());
      ::_exit(127);
    }
    EXPECT_GT(pid_, 0);
  }
  ~BackgroundPeer() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  BackgroundPeer(const BackgroundPeer&) = delete;
  BackgroundPeer& operator=(const BackgroundPeer&) = delete;

 private:
  pid_t pid_ = -1;
};

// co_await pause(d)
inline boost::asio::awaitable<void> pause(std::chrono::steady_clock::duration d) {
  boost::asio::steady_timer t(pk::testing::coroutine_loop(), d);
  co_await t.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
}

// Polls `done` every 50 ms until it holds or `limit` passed; whether it held.
inline boost::asio::awaitable<bool> eventually(std::function<bool()> done, std::chrono::milliseconds limit) {
  const auto give_up = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() > give_up) co_return false;
    co_await pause(50ms);
  }
  co_return true;
}

// Records what a coordinator tells its listener, with the (real) time of each call.
class RecordingListener : public LeaseListener {
 public:
  struct Event {
    std::string kind;  // "acquired", "lost"
    std::string key;
    std::chrono::steady_clock::time_point at;
    std::optional<LossReason> reason;
  };

  void on_lease_acquired(const Lease& lease) override {
    EXPECT_TRUE(reading.insert(lease.key.str()).second) << "acquired twice: " << lease.key.str();
    events.push_back({"acquired", lease.key.str(), std::chrono::steady_clock::now(), std::nullopt});
  }
  void on_lease_lost(const Lease& last_known, LossReason reason) override {
    EXPECT_EQ(reading.erase(last_known.key.str()), 1u) << "lost a lease never acquired: " << last_known.key.str();
    events.push_back({"lost", last_known.key.str(), std::chrono::steady_clock::now(), reason});
    last_known_[last_known.key.str()] = last_known;
  }
  void on_coordinator_error(const Error& error) override { errors.push_back(error); }
  // The worker stopped without releasing (a crash): it reads nothing from now on.
  void stopped() {
    for (const std::string& key : reading)
      events.push_back({"lost", key, std::chrono::steady_clock::now(), std::nullopt});
    reading.clear();
  }

  std::optional<std::chrono::steady_clock::time_point> first(std::string_view kind, std::string_view key) const {
    for (const Event& e : events) {
      if (e.kind == kind && e.key == key) return e.at;
    }
    return std::nullopt;
  }
  int count(std::string_view kind) const {
    int n = 0;
    for (const Event& e : events) n += e.kind == kind ? 1 : 0;
    return n;
  }

  std::set<std::string> reading;  // shards this worker may read now
  std::vector<Event> events;
  std::vector<Error> errors;
  std::map<std::string, Lease> last_known_;
};

// A lease table of its own per test (the KCL layout), deleted afterwards.
class LeaseTableTest : public ::testing::Test {
 protected:
  void SetUp() override {
    client_ = make_dynamodb();
    ASSERT_NE(client_, nullptr);
    name_ = unique_name("pk-kcl-it");
    table_ = std::make_shared<LeaseTable>(client_, name_, LeaseTableOptions{3, 50ms});
    auto created = run_coroutine<Result<dynamodb::TableDescription>>([&] { return table_->create_if_missing(); });
    ASSERT_TRUE(created.ok()) << created.error().to_string();
  }
  void TearDown() override {
    for (const std::string& t : extra_tables_) delete_table(t);
    if (client_) delete_table(name_);
  }
  void delete_table(const std::string& t) {
    auto deleted = run_coroutine<Status>([&] { return client_->delete_table(t); });
    EXPECT_TRUE(deleted.ok()) << t << ": " << deleted.error().to_string();
  }

  // `n` unowned leases shardId-0 .. shardId-(n-1) at TRIM_HORIZON.
  void create_leases(int n) {
    for (int i = 0; i < n; ++i) {
      Lease lease;
      lease.key = kinesis::ShardId(fmt::format("shardId-{:012}", i));
      auto created = run_coroutine<Result<bool>>([&] { return table_->create(lease); });
      ASSERT_TRUE(created.ok()) << created.error().to_string();
      ASSERT_TRUE(*created);
    }
  }
  std::vector<Lease> list() {
    auto listed = run_coroutine<Result<LeaseList>>([&] { return table_->list(); });
    EXPECT_TRUE(listed.ok()) << listed.error().to_string();
    return listed.ok() ? listed->leases : std::vector<Lease>{};
  }
  Lease get(const std::string& key) {
    auto read = run_coroutine<Result<std::optional<Lease>>>([&] { return table_->get(kinesis::ShardId(key)); });
    EXPECT_TRUE(read.ok() && *read) << key;
    return read.ok() && *read ? **read : Lease{};
  }

  // The same two for use inside a test coroutine (run_coroutine does not nest).
  boost::asio::awaitable<std::vector<Lease>> co_list() {
    auto listing = table_->list();
    auto listed = co_await std::move(listing);
    EXPECT_TRUE(listed.ok()) << listed.error().to_string();
    co_return listed.ok() ? listed->leases : std::vector<Lease>{};
  }
  boost::asio::awaitable<Lease> co_get(std::string key) {
    auto reading = table_->get(kinesis::ShardId(key));
    auto read = co_await std::move(reading);
    EXPECT_TRUE(read.ok() && *read) << key;
    co_return read.ok() && *read ? **read : Lease{};
  }

  std::shared_ptr<dynamodb::DynamoDbClient> client_;
  std::string name_;
  std::shared_ptr<LeaseTable> table_;
  std::vector<std::string> extra_tables_;
};

}  // namespace pk::kcl::itest
