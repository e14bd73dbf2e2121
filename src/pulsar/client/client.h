#pragma once
// The entry point: a Pulsar client bound to one event loop. It owns the connection pool and lookup shared by the
// producers and consumers it creates; they all run on the same loop, so nothing here needs a lock.
//
//   auto client = Client::create(runtime.executor(0), options).value();
//   // on that executor:
//   auto producer = co_await client->create_producer(producer_options);
//   auto consumer = co_await client->subscribe(consumer_options);
//
// Owned by the caller; every call (and every call on its producers/consumers) must be made on `executor`.
// close() closes the connections, and the producers/consumers still open fail their operations afterwards;
// `co_await client->shutdown()` closes too and waits until every background task of the client has ended.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "common/result.h"
#include "pulsar/client/consumer.h"
#include "pulsar/client/lookup.h"
#include "pulsar/client/options.h"
#include "pulsar/client/producer.h"

namespace pk::pulsar {

struct ClientState;

class Client {
 public:
  // Validates the options (service URL, TLS files) and builds the client; connects lazily.
  static Result<std::unique_ptr<Client>> create(boost::asio::any_io_executor executor, ClientOptions options);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  boost::asio::awaitable<Result<std::unique_ptr<Producer>>> create_producer(ProducerOptions options);
  boost::asio::awaitable<Result<std::unique_ptr<Consumer>>> subscribe(ConsumerOptions options);

  // The partitions of a topic by full name (just the topic when not partitioned).
  boost::asio::awaitable<Result<std::vector<std::string>>> partitions_of(std::string topic);
  // The topic's schema (its latest, or the given schema version); kNotFound when it has none.
  boost::asio::awaitable<Result<SchemaInfo>> get_schema(std::string topic, std::optional<std::string> version = {});
  // Topics of a namespace ("tenant/ns"), partitions listed individually.
  boost::asio::awaitable<Result<std::vector<std::string>>> topics_of_namespace(std::string ns);

  // Closes the client at once: no new producers, consumers or lookups; every connection closes, so producers and
  // consumers still open fail what waits, and their background tasks end on their own soon after. Idempotent.
  void close();
  // close(), then stops the producers and consumers still open for good (what waits fails with kCancelled), waits
  // for the closes of those destroyed without close(), and returns once every background task of the client
  // (connection, producer, consumer and pattern-refresh loops) has ended. What a drain on shutdown ends with.
  boost::asio::awaitable<void> shutdown();
  boost::asio::any_io_executor executor() const;
  // Number of open broker connections (tests).
  size_t open_connections() const;

 private:
  explicit Client(std::shared_ptr<ClientState> state);
  std::shared_ptr<ClientState> state_;
};

}  // namespace pk::pulsar
