#pragma once
// The keep-alive HTTP/1.1 connections of one origin, bounded by max_connections.
//
//   acquire() --> an idle connection (most recently used first)
//             --> or a free slot: the caller opens a new connection into its lease
//             --> or, at the bound, waits in line (FIFO) until a lease is given back: back-pressure, no queue of
//                 requests grows without bound
//   ~Lease    --> a reusable connection goes to the first waiter or back to the idle list; anything else is
//                 closed and its slot passed on (a failed or server-closed connection is never reused)
//
// Idle connections above min_connections are closed after idle_timeout (one timer for the pool); the
// min_connections most recently used stay open while idle.
// Shared (shared_ptr) by the client and its in-flight requests; lives on one loop and is touched only there.

#include <chrono>
#include <cstdint>
#include <deque>
#include <list>
#include <memory>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include "common/result.h"
#include "http/http1_connection.h"
#include "http/types.h"

namespace pk::http {

struct PoolStats {
  size_t open = 0;      // connections open or being opened (idle + busy)
  size_t idle = 0;      // open and waiting for a request
  size_t waiting = 0;   // requests waiting for a connection
  uint64_t opened = 0;  // connections opened so far
};

class Http1Pool;

// The right to use one connection slot of a pool. Holds no connection while the caller opens one.
class Http1Lease {
 public:
  Http1Lease(std::shared_ptr<Http1Pool> pool, std::unique_ptr<Http1Connection> connection);
  Http1Lease(Http1Lease&& other) noexcept = default;
  Http1Lease& operator=(Http1Lease&&) = delete;
  ~Http1Lease();

  Http1Connection* connection() const { return connection_.get(); }
  // Whether the connection came from the idle list (it may have been closed by the server meanwhile).
  bool reused() const { return reused_; }
  void set(std::unique_ptr<Http1Connection> connection);
  // Closes the connection but keeps the slot (to open a fresh one).
  void discard();

 private:
  std::shared_ptr<Http1Pool> pool_;
  std::unique_ptr<Http1Connection> connection_;
  bool reused_ = false;
};

class Http1Pool {
 public:
  static std::shared_ptr<Http1Pool> create(boost::asio::any_io_executor executor, Url origin,
                                           const ClientOptions& options);
  Http1Pool(boost::asio::any_io_executor executor, Url origin, const ClientOptions& options);

  // Waits (without a deadline of its own: the caller bounds it) for an idle connection or a free slot.
  // kCancelled once the pool is shut down.
  static boost::asio::awaitable<Result<Http1Lease>> acquire(std::shared_ptr<Http1Pool> pool);

  // Closes idle connections, fails waiters; leases given back later are closed.
  void shutdown();
  PoolStats stats() const;
  uint64_t next_connection_id() { return ++stats_opened_; }

 private:
  friend class Http1Lease;
  struct Waiter {
    boost::asio::steady_timer wake;
    std::unique_ptr<Http1Connection> connection;
    bool granted = false;  // woken with a connection, or with an empty slot
  };

  void give_back(std::unique_ptr<Http1Connection> connection);
  void schedule_reap();
  void reap();

  boost::asio::any_io_executor executor_;
  Url origin_;
  size_t max_connections_;
  size_t min_connections_;
  std::chrono::milliseconds idle_timeout_;
  std::deque<std::unique_ptr<Http1Connection>> idle_;  // oldest first
  std::list<Waiter*> waiters_;                         // first come, first served
  size_t open_ = 0;
  uint64_t stats_opened_ = 0;
  bool closed_ = false;
  boost::asio::steady_timer reap_timer_;
  bool reap_armed_ = false;
  std::weak_ptr<Http1Pool> self_;  // for the reap timer's callback, which must not keep the pool alive
};

}  // namespace pk::http
