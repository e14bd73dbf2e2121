#include "kcl/lease_observer.h"

namespace pk::kcl {

void LeaseObserver::update(std::vector<Lease> scanned, SteadyTime scan_time) {
  std::map<std::string, ObservedLease, std::less<>> next;
  for (Lease& lease : scanned) {
    ObservedLease seen;
    auto before = leases_.find(lease.key.str());
    if (before != leases_.end()) {
      // Known: the change time moves only when the counter moved.
      seen.last_change = before->second.lease.counter == lease.counter ? before->second.last_change : scan_time;
    } else if (lease.owner) {
      seen.last_change = scan_time;  // new and owned: treat as renewed now
    }                                // new and unowned: never renewed
    std::string key = lease.key.str();
    seen.lease = std::move(lease);
    next.insert_or_assign(std::move(key), std::move(seen));
  }
  leases_ = std::move(next);
  last_scan_ = scan_time;
}

void LeaseObserver::record_write(const Lease& lease, SteadyTime time) {
  leases_.insert_or_assign(lease.key.str(), ObservedLease{lease, time});
}

const ObservedLease* LeaseObserver::find(std::string_view key) const {
  auto it = leases_.find(key);
  return it == leases_.end() ? nullptr : &it->second;
}

bool LeaseObserver::older_than(const ObservedLease& lease, SteadyTime now, std::chrono::milliseconds age) {
  return !lease.last_change || now - *lease.last_change > age;
}

bool LeaseObserver::available(const ObservedLease& lease, SteadyTime now, std::chrono::milliseconds failover) {
  return !lease.lease.owner || older_than(lease, now, failover);
}

}  // namespace pk::kcl
