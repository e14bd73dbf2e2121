#pragma once
// KCL 3's leader election lock, as the Java workers keep it in `<applicationName>-CoordinatorState` (hash key `key`,
// item "Leader"), written by the DynamoDB lock client (docs/leases.md): `ownerName` (S), `leaseDuration` (S, the
// lock's lease in milliseconds, 120000 by default), `recordVersionNumber` (S, a fresh UUID at every heartbeat, every
// 30 s by default), `isReleased` (present once released; by default the item is deleted instead). The lock client's
// own liveness rule: a lock is held while its record version number changes within its lease duration, as watched
// by the observer's own clock; one that stayed the same for longer is stale and may be taken over.
//
// LeaderLockObserver applies that rule to successive reads of the item. Pure state, no I/O.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "dynamodb/attribute_value.h"
#include "kcl/lease_timing.h"

namespace pk::kcl {

inline constexpr std::string_view kCoordinatorStateKey = "key";         // the hash key of the CoordinatorState table
inline constexpr std::string_view kLeaderLockKey = "Leader";            // the leader lock's item
inline constexpr std::string_view kMigrationStateKey = "Migration3.0";  // KCL 3's client version item
inline constexpr std::chrono::milliseconds kDefaultLeaderLeaseDuration{120000};

// "<applicationName>-CoordinatorState"
std::string coordinator_state_table(std::string_view application_name);

struct LeaderLock {
  std::string owner;           // ownerName
  std::string record_version;  // recordVersionNumber
  std::chrono::milliseconds lease_duration{kDefaultLeaderLeaseDuration};
  bool released = false;  // isReleased present
};

// The lock in a "Leader" item; a missing or malformed leaseDuration falls back to the default (2 minutes), a
// missing recordVersionNumber is an error naming it.
Result<LeaderLock> leader_lock_from_item(const dynamodb::Item& item);

// The client version a "Migration3.0" item records (`cv`, e.g. CLIENT_VERSION_3X); empty when absent.
std::string client_version_from_item(const dynamodb::Item& item);

enum class LeaderVerdict {
  kNone,      // no lock, or a released one: no KCL 3 leader
  kWatching,  // a lock whose liveness is not known yet: keep reading it until decide_by()
  kLive,      // its record version changed while watched: a live KCL 3 leader
  kStale,     // unchanged for longer than its lease duration: left by stopped workers
};
std::string_view to_string(LeaderVerdict verdict);

class LeaderLockObserver {
 public:
  // One read of the item (nullopt: there is none) made at `now`.
  LeaderVerdict observe(const std::optional<LeaderLock>& lock, SteadyTime now);
  // While watching: when the current record version becomes stale if it does not change.
  SteadyTime decide_by() const { return first_seen_ + lease_duration_; }
  // The lock last observed (valid after a kWatching, kLive or kStale verdict).
  const std::string& owner() const { return owner_; }
  const std::string& record_version() const { return record_version_; }

 private:
  std::string owner_;
  std::string record_version_;
  SteadyTime first_seen_{};
  std::chrono::milliseconds lease_duration_{0};
  bool watching_ = false;
};

}  // namespace pk::kcl
