#pragma once
// What every producer and consumer of one client shares: the loop they all run on, the options, the connection
// pool, lookup, the memory limit (with the condition that wakes senders when memory frees up), id counters, the
// producers and consumers that are open (so that closing the client closes them) and the task group that runs the
// closes of those dropped without close().
// Owned jointly (shared_ptr) by the Client and its producers/consumers, so it outlives whichever closes last.
// Used on `executor` only.

#include <cstdint>
#include <memory>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "common/backoff.h"
#include "net/loop_condition.h"
#include "net/task_group.h"
#include "pulsar/client/connection_pool.h"
#include "pulsar/client/ids.h"
#include "pulsar/client/lookup.h"
#include "pulsar/client/options.h"
#include "pulsar/client/send_queue.h"

namespace pk::pulsar {

// Something of a client that runs background tasks: a producer or consumer of one topic, a pattern consumer's
// refresh. Client::close() stops what is still open through this.
class ClientResource {
 public:
  virtual ~ClientResource() = default;
  // The client is closing: stop for good (what waits fails with kCancelled) and return once the background tasks
  // have ended.
  virtual boost::asio::awaitable<void> close_for_client() = 0;
};

struct ClientState {
  ClientState(boost::asio::any_io_executor ex, ClientOptions opts, ServiceUrl url, ConnectionOptions connection)
      : executor(std::move(ex)),
        options(std::move(opts)),
        pool(std::move(connection)),
        lookup(std::move(url), pool),
        memory(options.memory_limit_bytes),
        background(executor) {}

  Backoff make_backoff() const { return Backoff(options.initial_backoff, options.max_backoff); }
  ProducerId new_producer_id() { return ProducerId(next_producer_id++); }
  ConsumerId new_consumer_id() { return ConsumerId(next_consumer_id++); }
  // Remembers an open resource (weakly: its owner decides when it goes) for Client::close().
  void track(const std::shared_ptr<ClientResource>& resource) {
    std::erase_if(resources, [](const auto& r) { return r.expired(); });
    resources.push_back(resource);
  }

  boost::asio::any_io_executor executor;
  ClientOptions options;
  ConnectionPool pool;
  LookupService lookup;
  MemoryLimit memory;
  net::LoopCondition memory_freed;  // notified whenever any producer releases queue room
  net::TaskGroup background;        // closes of producers and consumers destroyed without close()
  std::vector<std::weak_ptr<ClientResource>> resources;
  uint64_t next_producer_id = 0;
  uint64_t next_consumer_id = 0;
  bool closed = false;
};

}  // namespace pk::pulsar
