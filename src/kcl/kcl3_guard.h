#pragma once
// Keeps us from running next to live KCL 3 workers (the Java connector 4.0.x). KCL 3 workers do not take leases
// themselves: an elected leader assigns them (holding the "Leader" lock in `<applicationName>-CoordinatorState`,
// docs/leases.md), and it would reassign the leases of workers that publish no worker metrics, i.e. ours. So we
// do not take part: at start we refuse with a clear message while a live leader holds the lock, and while running
// we stop taking leases as soon as a lock appears, for good if it proves live.
//
// Liveness is the lock client's own rule (LeaderLockObserver): the lock's record version changes within its lease
// duration (the Java default heartbeat is every 30 s, the duration 2 minutes). A lock left by Java workers that
// were killed stays unchanged: after its lease duration it is stale and we delete it (conditionally on the record
// version we watched), so the next start does not wait again. A Java worker that stopped gracefully deleted it.
//
// Owned by the source's setup; used from one loop (the lease coordinator's).

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "common/clock.h"
#include "common/result.h"
#include "dynamodb/client.h"
#include "kcl/leader_lock.h"

namespace pk::kcl {

class Kcl3Guard {
 public:
  Kcl3Guard(std::shared_ptr<dynamodb::DynamoDbClient> client, std::string application_name,
            const Clock& clock = SystemClock::instance());

  // At start: no lock (or no CoordinatorState table at all) -> ok at once. A lock -> watched, reading it every
  // `poll_interval`, until it moves (live: an error, kUnsupported, saying what to do) or stays unchanged for its
  // lease duration (stale: deleted, ok). The watch takes up to the lock's lease duration (2 minutes by default).
  boost::asio::awaitable<Status> check_at_start(std::chrono::milliseconds poll_interval = std::chrono::seconds(1));

  // While running: one read. kNone when there is no lock (or a stale one, deleted now), kWatching while its
  // liveness is not known, kLive when it moved.
  boost::asio::awaitable<Result<LeaderVerdict>> poll();

  // The error for a live leader (names the table, the lock's owner and what to do).
  Error live_leader_error() const;
  const std::string& table() const { return table_; }

 private:
  // The Leader item (nullopt: none, or no table).
  boost::asio::awaitable<Result<std::optional<LeaderLock>>> read_lock();
  // Deletes the stale lock if its record version is still the one watched.
  boost::asio::awaitable<Status> delete_stale_lock();

  std::shared_ptr<dynamodb::DynamoDbClient> client_;
  std::string application_name_;
  std::string table_;
  const Clock& clock_;
  LeaderLockObserver observer_;
  std::string client_version_;  // from the Migration3.0 item, for messages
};

}  // namespace pk::kcl
