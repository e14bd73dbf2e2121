#pragma once
// One connection per broker, shared by every producer, consumer and lookup of a client. A connection is keyed by
// the broker's logical URL (what LOOKUP named) and the address actually dialled (the broker itself, or the
// service URL's proxy). Callers that ask while a connection is being made wait for that attempt instead of
// dialling again; a closed connection is replaced on the next ask. The pool keeps every connection it made until
// that connection's coroutines have ended, so that join() can wait for all of them.
// Owned by the client's shared state; used on the client's loop only.

#include <map>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "common/result.h"
#include "net/loop_condition.h"
#include "pulsar/client/connection.h"

namespace pk::pulsar {

class ConnectionPool {
 public:
  explicit ConnectionPool(ConnectionOptions options) : options_(std::move(options)) {}
  ~ConnectionPool();
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  // The connection to `logical_url`, dialling `physical`. `proxy_to_broker` ("host:port") is non-empty when
  // `physical` is a proxy that must forward to that broker.
  boost::asio::awaitable<Result<std::shared_ptr<Connection>>> get(std::string logical_url, net::Endpoint physical,
                                                                  std::string proxy_to_broker);

  // Closes every connection (client shutdown); get() fails from now on.
  void close_all(const Error& reason);
  // Returns once the coroutines of every connection the pool made have ended (after close_all()).
  boost::asio::awaitable<void> join();
  size_t size() const;
  const ConnectionOptions& options() const { return options_; }

 private:
  struct Entry {
    std::shared_ptr<Connection> connection;
    bool connecting = false;
    uint64_t attempts = 0;
    std::optional<Error> last_error;
    net::LoopCondition done;
  };

  ConnectionOptions options_;
  std::map<std::string, std::unique_ptr<Entry>> entries_;
  std::vector<std::shared_ptr<Connection>> replaced_;  // closed and replaced, their coroutines maybe still running
  bool closed_ = false;
};

}  // namespace pk::pulsar
