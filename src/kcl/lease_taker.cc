#include "kcl/lease_taker.h"

#include <algorithm>
#include <map>

namespace pk::kcl {
namespace {

// Up to `n` of `candidates`, picked at random.
std::vector<Lease> pick(std::vector<const ObservedLease*> candidates, int n, std::mt19937_64& random) {
  std::shuffle(candidates.begin(), candidates.end(), random);
  std::vector<Lease> picked;
  for (const ObservedLease* c : candidates) {
    if (static_cast<int>(picked.size()) >= n) break;
    picked.push_back(c->lease);
  }
  return picked;
}

}  // namespace

TakePlan plan_take(const LeaseObserver& observed, const WorkerId& me, SteadyTime now, const LeaseTiming& timing,
                   std::mt19937_64& random) {
  TakePlan plan;
  std::vector<const ObservedLease*> available;
  std::vector<const ObservedLease*> very_old;
  std::map<std::string, int> counts;  // owner -> unexpired leases
  counts[me.str()] = 0;
  for (const auto& [key, o] : observed.leases()) {
    if (o.lease.finished()) continue;
    ++plan.leases;
    if (LeaseObserver::available(o, now, timing.failover)) {
      available.push_back(&o);
      if (LeaseObserver::older_than(o, now, timing.very_old_multiplier * timing.failover)) very_old.push_back(&o);
    } else {
      ++counts[o.lease.owner->str()];
    }
  }
  plan.workers = static_cast<int>(counts.size());
  plan.mine = counts[me.str()];
  if (plan.leases == 0) return plan;

  plan.target = plan.workers >= plan.leases ? 1 : (plan.leases + plan.workers - 1) / plan.workers;
  plan.target = std::min(plan.target, timing.max_leases_for_worker);

  if (timing.take_very_old_first && !very_old.empty()) {
    plan.very_old = true;
    plan.take = pick(std::move(very_old), std::max(0, timing.max_leases_for_worker - plan.mine), random);
    return plan;
  }
  const int needed = plan.target - plan.mine;
  if (needed <= 0) return plan;
  if (!available.empty()) {
    plan.take = pick(std::move(available), needed, random);
    return plan;
  }

  // Balance: steal from the most loaded worker (ties: the smallest id).
  auto most = counts.begin();
  for (auto it = counts.begin(); it != counts.end(); ++it) {
    if (it->second > most->second) most = it;
  }
  if (most->second < plan.target) return plan;
  int steal = std::min(needed, most->second - plan.target);
  if (needed > 1 && steal == 0) steal = 1;
  steal = std::min(steal, timing.max_leases_to_steal_at_one_time);
  if (steal <= 0) return plan;
  std::vector<const ObservedLease*> theirs;
  for (const auto& [key, o] : observed.leases()) {
    if (!o.lease.finished() && o.lease.owner && o.lease.owner->str() == most->first) theirs.push_back(&o);
  }
  plan.take = pick(std::move(theirs), steal, random);
  plan.steal = !plan.take.empty();
  return plan;
}

}  // namespace pk::kcl
