#include "kcl/held_leases.h"

namespace pk::kcl {

void HeldLeases::add(Lease lease, SteadyTime sent) {
  std::string key = lease.key.str();
  held_.insert_or_assign(std::move(key), HeldLease{std::move(lease), sent + duration_, sent});
}

bool HeldLeases::on_written(Lease lease, SteadyTime sent) {
  auto it = held_.find(lease.key.str());
  if (it == held_.end()) return false;
  it->second.lease = std::move(lease);
  // A write sent earlier than the one that set the deadline (answers may come back out of order) moves nothing.
  if (sent > it->second.last_sent) {
    it->second.last_sent = sent;
    it->second.deadline = sent + duration_;
  }
  return true;
}

std::optional<Lease> HeldLeases::remove(std::string_view key) {
  auto it = held_.find(key);
  if (it == held_.end()) return std::nullopt;
  Lease lease = std::move(it->second.lease);
  held_.erase(it);
  return lease;
}

std::vector<Lease> HeldLeases::expire(SteadyTime now) {
  std::vector<Lease> expired;
  for (auto it = held_.begin(); it != held_.end();) {
    if (it->second.deadline <= now) {
      expired.push_back(std::move(it->second.lease));
      it = held_.erase(it);
    } else {
      ++it;
    }
  }
  return expired;
}

const HeldLease* HeldLeases::find(std::string_view key) const {
  auto it = held_.find(key);
  return it == held_.end() ? nullptr : &it->second;
}

std::vector<Lease> HeldLeases::due(SteadyTime now, std::chrono::milliseconds interval) const {
  std::vector<Lease> due;
  for (const auto& [key, h] : held_) {
    if (now - h.last_sent >= interval) due.push_back(h.lease);
  }
  return due;
}

std::vector<Lease> HeldLeases::all() const {
  std::vector<Lease> all;
  for (const auto& [key, h] : held_) all.push_back(h.lease);
  return all;
}

std::optional<SteadyTime> HeldLeases::next_deadline() const {
  std::optional<SteadyTime> next;
  for (const auto& [key, h] : held_) {
    if (!next || h.deadline < *next) next = h.deadline;
  }
  return next;
}

}  // namespace pk::kcl
