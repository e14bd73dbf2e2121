#pragma once
// What a worker knows about every lease from its scans of the lease table: the lease as last seen and when its
// counter was last seen to change, by this worker's own steady clock. Expiry is purely local (the KCL's rule): a
// lease is expired when its counter has not changed for `failover` since this worker first saw the current value.
// A lease first seen without an owner counts as never renewed; one first seen with an owner as renewed at that scan.
// Pure state, no I/O; owned by the lease coordinator (one loop).

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "kcl/lease.h"
#include "kcl/lease_timing.h"

namespace pk::kcl {

struct ObservedLease {
  Lease lease;
  std::optional<SteadyTime> last_change;  // nullopt: never seen renewed
};

class LeaseObserver {
 public:
  // Folds in a complete scan made at `scan_time`; leases no longer in the table are forgotten.
  void update(std::vector<Lease> scanned, SteadyTime scan_time);
  // Records a write of ours that changed the counter (a take): the lease as it now is, changed at `time`.
  void record_write(const Lease& lease, SteadyTime time);

  const std::map<std::string, ObservedLease, std::less<>>& leases() const { return leases_; }
  const ObservedLease* find(std::string_view key) const;
  std::optional<SteadyTime> last_scan() const { return last_scan_; }

  // Unchanged for longer than `age` as of `now` (never renewed counts as infinitely old).
  static bool older_than(const ObservedLease& lease, SteadyTime now, std::chrono::milliseconds age);
  // Nobody holds it, or it is expired.
  static bool available(const ObservedLease& lease, SteadyTime now, std::chrono::milliseconds failover);

 private:
  std::map<std::string, ObservedLease, std::less<>> leases_;
  std::optional<SteadyTime> last_scan_;
};

}  // namespace pk::kcl
