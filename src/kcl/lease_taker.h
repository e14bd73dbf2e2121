#pragma once
// The taker's and balancer's decision, as the KCL 2.x protocol makes it (docs/leases.md), as a pure function of what
// the worker observed. Finished leases (checkpoint SHARD_END) are left out of everything: nobody needs to read them
// (ShardSync deletes them once their children started).
//
//  1. Leases unchanged for very_old_multiplier x failover (and new unowned ones) are taken first, past the target,
//     up to max_leases_for_worker.
//  2. Otherwise target = ceil(leases / workers), workers = the owners of unexpired leases plus this one; a worker
//     below target takes available (unowned or expired) leases, in random order, up to the target.
//  3. Balancer: when nothing is available and this worker is below target, it steals from the most loaded worker
//     if that one holds at least the target: as many as that one is over (at least 1 when this one needs more than
//     1), at most max_leases_to_steal_at_one_time.
// Ties among equally loaded workers go to the smallest worker id (the KCL leaves it to hash order).

#include <random>
#include <string>
#include <vector>

#include "kcl/lease.h"
#include "kcl/lease_observer.h"
#include "kcl/lease_timing.h"

namespace pk::kcl {

struct TakePlan {
  std::vector<Lease> take;  // as observed (the take is conditional on their counters)
  bool steal = false;       // the leases are stolen from a live worker (step 3)
  bool very_old = false;    // step 1
  int leases = 0;           // leases counted (unfinished)
  int workers = 0;          // workers counted
  int target = 0;
  int mine = 0;  // leases this worker holds (unexpired)
};

TakePlan plan_take(const LeaseObserver& observed, const WorkerId& me, SteadyTime now, const LeaseTiming& timing,
                   std::mt19937_64& random);

}  // namespace pk::kcl
