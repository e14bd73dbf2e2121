#pragma once
// The timing and limits of the lease protocol, with the KCL's defaults (docs/leases.md): failover 10 s, renew every
// failover/3 - epsilon, take every 2 x (failover + epsilon), steal at most one lease at a time. Plain values.

#include <chrono>
#include <climits>

#include "common/result.h"

namespace pk::kcl {

using SteadyTime = std::chrono::steady_clock::time_point;

struct LeaseTiming {
  // A lease whose counter did not change for this long (by the observer's own clock) is expired: others may take
  // it. The KCL's failoverTimeMillis.
  std::chrono::milliseconds failover{10000};
  // The KCL's epsilonMillis: slack subtracted from the renew interval and added to the take interval.
  std::chrono::milliseconds epsilon{25};
  // A holder stops reading a shard this long before the failover time after its last successful write was sent
  // (room to stop the reader before another worker may own the lease). 0 means failover / 10.
  std::chrono::milliseconds stop_margin{0};
  std::chrono::milliseconds shard_sync_interval{60000};  // the KCL's shardSyncIntervalMillis
  // Leases whose counter did not change for this many failover times are taken first, past the target (the KCL's
  // priority lease assignment; unowned leases never seen renewed count as such).
  int very_old_multiplier = 3;
  bool take_very_old_first = true;
  int max_leases_for_worker = INT_MAX;
  int max_leases_to_steal_at_one_time = 1;

  std::chrono::milliseconds renew_interval() const { return failover / 3 - epsilon; }
  std::chrono::milliseconds take_interval() const { return 2 * (failover + epsilon); }
  // How long after sending its last successful write a holder may still read the shard.
  std::chrono::milliseconds local_lease_duration() const {
    return failover - (stop_margin.count() > 0 ? stop_margin : failover / 10);
  }
};

// Errors name the field: failover must be at least 100 ms and above 3 x epsilon, the margin below failover, the
// limits at least 1.
Status validate(const LeaseTiming& timing);

}  // namespace pk::kcl
