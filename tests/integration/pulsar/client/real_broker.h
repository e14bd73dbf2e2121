#pragma once
// Helpers for tests against the real Pulsar standalone: clients for its plain/TLS/token URLs, unique topic names,
// a dedup-enabled namespace, and the time limit for test coroutines.

#include <chrono>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "admin.h"
#include "pulsar/client/client.h"
#include "support/async_test.h"
#include "support/server_env.h"

namespace pk::pulsar::testing {

inline std::string unique_suffix() {
  static std::mt19937_64 rng{std::random_device{}()};
  std::stringstream ss;
  ss << std::hex << rng();
  return ss.str().substr(0, 10);
}

inline std::string unique_topic(const std::string& stem, const std::string& ns = "public/default") {
  return "persistent://" + ns + "/" + stem + "-" + unique_suffix();
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline ClientOptions real_options(const std::string& url_var = "PK_PULSAR_URL") {
  ClientOptions o;
  o.service_url = pk::testing::server_env(url_var.c_str());
  o.operation_timeout = std::chrono::seconds(30);
  o.initial_backoff = std::chrono::milliseconds(100);
  o.max_backoff = std::chrono::seconds(2);
  if (url_var == "PK_PULSAR_TLS_URL") o.tls.ca_file = pk::testing::server_env("PK_TLS_CA_FILE");
  return o;
}

// A namespace with broker deduplication on (created once per process).
inline std::string dedup_namespace() {
  static const std::string ns = [] {
    const std::string name = "public/pk-dedup-" + unique_suffix();
    auto created = admin_request(boost::beast::http::verb::put, "/admin/v2/namespaces/" + name, "");
    EXPECT_TRUE(created.status == 204 || created.status == 200 || created.status == 409)
        << created.status << " " << created.body;
    auto dedup =
        admin_request(boost::beast::http::verb::post, "/admin/v2/namespaces/" + name + "/deduplication", "true");
    EXPECT_TRUE(dedup.status == 204 || dedup.status == 200) << dedup.status << " " << dedup.body;
    return name;
  }();
  return ns;
}

// How long a test coroutine against the real broker may take (pk::testing::run_on's limit).
inline constexpr std::chrono::seconds kRealBrokerLimit{120};

inline OutgoingMessage message(std::string payload) {
  OutgoingMessage m;
  m.payload = std::move(payload);
  return m;
}

// A producer with `options`, or null (and a test failure).
inline boost::asio::awaitable<std::unique_ptr<Producer>> make_producer(Client& client, ProducerOptions options) {
  auto creating = client.create_producer(std::move(options));
  auto producer = co_await std::move(creating);
  EXPECT_TRUE(producer.ok()) << (producer.ok() ? "" : producer.error().to_string());
  co_return producer.ok() ? std::move(*producer) : nullptr;
}

inline ProducerOptions producer_options(const std::string& topic, uint32_t batch_max = 1000) {
  ProducerOptions o;
  o.topic = topic;
  o.batch.max_messages = batch_max;
  return o;
}

// Sends "0", "1", ... "<n-1>" and waits until all are confirmed.
inline boost::asio::awaitable<void> send_numbers(Producer& producer, int n) {
  for (int i = 0; i < n; ++i) {
    auto sending = producer.send_async(message(std::to_string(i)), nullptr);
    auto sending_result = co_await std::move(sending);
    PK_EXPECT_OK(sending_result);
  }
  auto flushing = producer.flush();
  auto flushing_result = co_await std::move(flushing);
  PK_EXPECT_OK(flushing_result);
}

}  // namespace pk::pulsar::testing
