#pragma once
// The leases this worker holds and, for each, the local deadline until which it may read the shard: the time its
// last successful write (take, renewal, checkpoint) was SENT plus LeaseTiming::local_lease_duration(). Another
// worker may take the lease only after seeing the counter unchanged for the whole failover time, and it can have
// seen our last write only after we sent it, so reading stops before anyone else may own the lease - even when
// DynamoDB cannot be reached and no renewal gets through. A lease past its deadline is lost for good (a late
// answer to a renewal does not bring it back: it is left to expire and be taken like any other). Pure state, no
// I/O; owned by the lease coordinator (one loop).

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "kcl/lease.h"
#include "kcl/lease_timing.h"

namespace pk::kcl {

struct HeldLease {
  Lease lease;           // as our last successful write left it
  SteadyTime deadline;   // stop reading by then
  SteadyTime last_sent;  // when that write was sent
};

class HeldLeases {
 public:
  explicit HeldLeases(std::chrono::milliseconds local_lease_duration) : duration_(local_lease_duration) {}

  // A lease we just took; `sent` is when the winning write was sent.
  void add(Lease lease, SteadyTime sent);
  // A write of ours applied (`lease` as it now is): moves the deadline. False (and nothing changes) when the lease
  // is no longer held.
  bool on_written(Lease lease, SteadyTime sent);
  // Removes a lease (lost a conditional write, released); its last state, or nullopt when not held.
  std::optional<Lease> remove(std::string_view key);
  // Removes and returns the leases whose deadline is at or before `now`.
  std::vector<Lease> expire(SteadyTime now);

  const HeldLease* find(std::string_view key) const;
  // Those whose last write was sent at least `interval` before `now` (due for renewal).
  std::vector<Lease> due(SteadyTime now, std::chrono::milliseconds interval) const;
  std::vector<Lease> all() const;
  std::optional<SteadyTime> next_deadline() const;
  size_t size() const { return held_.size(); }

 private:
  std::chrono::milliseconds duration_;
  std::map<std::string, HeldLease, std::less<>> held_;
};

}  // namespace pk::kcl
