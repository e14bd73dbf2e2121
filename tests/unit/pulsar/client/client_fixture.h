#pragma once
// A Client talking to an in-process FakeBroker, with short timeouts, for producer/consumer unit tests.

#include <memory>
#include <utility>

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>

#include "fake_broker.h"
#include "pulsar/client/client.h"
#include "support/async_test.h"

namespace pk::pulsar::testing {

inline ClientOptions fast_client_options(const std::string& url) {
  ClientOptions o;
  o.service_url = url;
  o.operation_timeout = std::chrono::milliseconds(2000);
  o.connect_timeout = std::chrono::milliseconds(1000);
  o.keep_alive = std::chrono::milliseconds(10000);
  o.initial_backoff = std::chrono::milliseconds(20);
  o.max_backoff = std::chrono::milliseconds(200);
  return o;
}

struct FakeBrokerFixture {
  boost::asio::io_context io;
  pk::testing::FakeBroker broker{io.get_executor()};
  std::unique_ptr<Client> client = Client::create(io.get_executor(), fast_client_options(broker.url())).value();

  // The consumer (producer) the options describe; null, and the test failed, when the client refuses it. For
  // tests of the refusal itself, call client->subscribe (create_producer) and look at the error.
  boost::asio::awaitable<std::unique_ptr<Consumer>> subscribe(ConsumerOptions options) {
    auto subscribing = client->subscribe(std::move(options));
    return expect_created(std::move(subscribing), "subscribe");
  }
  boost::asio::awaitable<std::unique_ptr<Producer>> create_producer(ProducerOptions options) {
    auto creating = client->create_producer(std::move(options));
    return expect_created(std::move(creating), "create_producer");
  }

 private:
  template <typename T>
  static boost::asio::awaitable<std::unique_ptr<T>> expect_created(
      boost::asio::awaitable<Result<std::unique_ptr<T>>> creating, const char* what) {
    auto created = co_await std::move(creating);
    if (!created.ok()) {
      ADD_FAILURE() << what << ": " << created.error().to_string();
      co_return nullptr;
    }
    co_return std::move(*created);
  }
};

inline OutgoingMessage text(std::string payload) {
  OutgoingMessage m;
  m.payload = std::move(payload);
  return m;
}

}  // namespace pk::pulsar::testing
