#pragma once
// What every producer and consumer of one client shares: the loop they all run on, the options, the connection
// pool, lookup, the memory limit (with the condition that wakes senders when memory frees up) and id counters.
// Owned jointly (shared_ptr) by the Client and its producers/consumers, so it outlives whichever closes last.
// Used on `executor` only.

#include <cstdint>

#include <boost/asio/any_io_executor.hpp>

#include "common/backoff.h"
#include "pulsar/client/connection_pool.h"
#include "pulsar/client/ids.h"
#include "pulsar/client/lookup.h"
#include "net/loop_condition.h"
#include "pulsar/client/options.h"
#include "pulsar/client/send_queue.h"

namespace pk::pulsar {

struct ClientState {
  ClientState(boost::asio::any_io_executor ex, ClientOptions opts, ServiceUrl url, ConnectionOptions connection)
      : executor(std::move(ex)),
        options(std::move(opts)),
        pool(std::move(connection)),
        lookup(std::move(url), pool),
        memory(options.memory_limit_bytes) {}

  Backoff make_backoff() const { return Backoff(options.initial_backoff, options.max_backoff); }
  ProducerId new_producer_id() { return ProducerId(next_producer_id++); }
  ConsumerId new_consumer_id() { return ConsumerId(next_consumer_id++); }

  boost::asio::any_io_executor executor;
  ClientOptions options;
  ConnectionPool pool;
  LookupService lookup;
  MemoryLimit memory;
  net::LoopCondition memory_freed;  // notified whenever any producer releases queue room
  uint64_t next_producer_id = 0;
  uint64_t next_consumer_id = 0;
  bool closed = false;
};

}  // namespace pk::pulsar
