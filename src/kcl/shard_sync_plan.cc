#include "kcl/shard_sync_plan.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>

#include <fmt/format.h>

namespace pk::kcl {
namespace {

Lease lease_for_shard(const kinesis::Shard& shard) {
  Lease lease;
  lease.key = shard.shard_id;
  if (shard.parent_shard_id) lease.parent_shard_ids.push_back(*shard.parent_shard_id);
  if (shard.adjacent_parent_shard_id) lease.parent_shard_ids.push_back(*shard.adjacent_parent_shard_id);
  lease.hash_key_range = shard.hash_key_range;
  return lease;
}

// The KCL's ancestry walk (HierarchicalShardSyncer's non-empty-table rules), memoised per shard.
class AncestryPlanner {
 public:
  AncestryPlanner(const std::vector<kinesis::Shard>& shards, const std::vector<Lease>& existing,
                  InitialPosition initial)
      : initial_(initial) {
    for (const kinesis::Shard& s : shards) shards_.emplace(s.shard_id.str(), &s);
    for (const Lease& l : existing) leased_.insert(l.key.str());
  }

  void plan_open_shard(const kinesis::Shard& shard) {
    const std::string& id = shard.shard_id.str();
    if (leased_.count(id) != 0 || has_open_parent(shard)) return;  // leased, or an inconsistent listing
    if (!descendant(id)) {
      Lease& lease = create(shard);
      lease.checkpoint = initial_checkpoint(initial_);
    }
  }

  std::vector<Lease> take_planned() {
    std::vector<Lease> planned;
    for (auto& [id, lease] : new_leases_) planned.push_back(std::move(lease));
    auto starting = [&](const Lease& l) -> const kinesis::SequenceNumber& {
      return shards_.at(l.key.str())->sequence_number_range.starting;
    };
    std::sort(planned.begin(), planned.end(), [&](const Lease& a, const Lease& b) {
      if (auto c = starting(a) <=> starting(b); c != 0) return c < 0;
      return a.key < b.key;
    });
    return planned;
  }

 private:
  std::vector<std::string> parents_of(const kinesis::Shard& shard) const {
    std::vector<std::string> parents;
    for (const auto& p : {shard.parent_shard_id, shard.adjacent_parent_shard_id}) {
      if (p && shards_.count(p->str()) != 0) parents.push_back(p->str());
    }
    return parents;
  }

  bool has_open_parent(const kinesis::Shard& shard) const {
    for (const std::string& p : parents_of(shard)) {
      if (shards_.at(p)->is_open()) return true;
    }
    return false;
  }

  Lease& create(const kinesis::Shard& shard) {
    return new_leases_.insert_or_assign(shard.shard_id.str(), lease_for_shard(shard)).first->second;
  }

  // Whether `id` has an ancestor with a lease (or one planned); plans the leases of the first ancestors to read.
  bool descendant(const std::string& id) {
    if (auto memo = descendant_.find(id); memo != descendant_.end()) return memo->second;
    bool is_descendant = false;
    auto shard = shards_.find(id);
    if (shard != shards_.end()) {
      if (leased_.count(id) != 0) {
        is_descendant = true;
      } else {
        const std::vector<std::string> parents = parents_of(*shard->second);
        std::set<std::string> descendant_parents;
        for (const std::string& p : parents) {
          const bool parent_descendant = descendant(p);
          if (parent_descendant || should_create_.count(p) != 0) {
            is_descendant = true;
            descendant_parents.insert(p);
          }
        }
        if (is_descendant) {
          for (const std::string& p : parents) plan_parent(p, descendant_parents.count(p) != 0);
        } else if (initial_ != InitialPosition::kLatest) {
          should_create_.insert(id);  // the whole history is read: this shard too
        }
      }
    }
    descendant_[id] = is_descendant;
    return is_descendant;
  }

  void plan_parent(const std::string& p, bool parent_is_descendant) {
    if (leased_.count(p) != 0) return;
    auto planned = new_leases_.find(p);
    if (planned == new_leases_.end()) {
      if (should_create_.count(p) == 0 && parent_is_descendant) return;
      planned = new_leases_.emplace(p, lease_for_shard(*shards_.at(p))).first;
    }
    planned->second.checkpoint = parent_is_descendant && initial_ != InitialPosition::kAtTimestamp
                                     ? ExtendedSequenceNumber::trim_horizon()
                                     : initial_checkpoint(initial_);
  }

  InitialPosition initial_;
  std::map<std::string, const kinesis::Shard*> shards_;
  std::set<std::string> leased_;
  std::map<std::string, Lease> new_leases_;
  std::map<std::string, bool> descendant_;
  std::set<std::string> should_create_;
};

bool started(const ExtendedSequenceNumber& checkpoint) {
  return !checkpoint.is_sentinel() || checkpoint.is_shard_end();
}

}  // namespace

std::string_view to_string(InitialPosition position) {
  switch (position) {
    case InitialPosition::kLatest:
      return "LATEST";
    case InitialPosition::kTrimHorizon:
      return "TRIM_HORIZON";
    case InitialPosition::kAtTimestamp:
      return "AT_TIMESTAMP";
  }
  return "LATEST";
}

ExtendedSequenceNumber initial_checkpoint(InitialPosition position) {
  switch (position) {
    case InitialPosition::kTrimHorizon:
      return ExtendedSequenceNumber::trim_horizon();
    case InitialPosition::kAtTimestamp:
      return ExtendedSequenceNumber::at_timestamp();
    case InitialPosition::kLatest:
      break;
  }
  return ExtendedSequenceNumber::latest();
}

std::vector<Lease> plan_new_leases(const std::vector<kinesis::Shard>& shards, const std::vector<Lease>& existing,
                                   InitialPosition initial) {
  AncestryPlanner planner(shards, existing, initial);
  for (const kinesis::Shard& shard : shards) {
    if (shard.is_open()) planner.plan_open_shard(shard);
  }
  return planner.take_planned();
}

std::vector<Lease> child_leases(const std::vector<kinesis::ChildShard>& children) {
  std::vector<Lease> leases;
  for (const kinesis::ChildShard& child : children) {
    Lease lease;
    lease.key = child.shard_id;
    lease.parent_shard_ids = child.parent_shards;
    lease.hash_key_range = child.hash_key_range;
    lease.checkpoint = ExtendedSequenceNumber::trim_horizon();
    leases.push_back(std::move(lease));
  }
  return leases;
}

Status check_merge_parents(const kinesis::ShardId& ended, const std::vector<kinesis::ChildShard>& children,
                           const LeaseLookup& lookup) {
  if (children.size() != 1) return ok_status();
  const kinesis::ChildShard& child = children.front();
  if (child.parent_shards.size() != 2) {
    return make_error(ErrorCode::kMalformedInput,
                      fmt::format("shard {}: its only child {} names {} parent(s), a merge needs 2", ended.str(),
                                  child.shard_id.str(), child.parent_shards.size()));
  }
  const bool first = lookup(child.parent_shards[0]) != nullptr;
  const bool second = lookup(child.parent_shards[1]) != nullptr;
  if (first != second) {
    return make_error(ErrorCode::kUnavailable,
                      fmt::format("shard {}: merge child {} waits: the lease of parent {} is missing", ended.str(),
                                  child.shard_id.str(), child.parent_shards[first ? 1 : 0].str()));
  }
  return ok_status();
}

bool ready_to_process(const Lease& lease, const LeaseLookup& lookup) {
  for (const kinesis::ShardId& parent : lease.parent_shard_ids) {
    const Lease* p = lookup(parent);
    if (p != nullptr && !p->finished()) return false;
  }
  return true;
}

std::vector<kinesis::ShardId> plan_cleanup(const std::vector<Lease>& leases) {
  std::map<std::string, const Lease*, std::less<>> by_key;
  for (const Lease& l : leases) by_key.emplace(l.key.str(), &l);
  auto find = [&](const kinesis::ShardId& id) -> const Lease* {
    auto it = by_key.find(id.str());
    return it == by_key.end() ? nullptr : it->second;
  };
  std::vector<kinesis::ShardId> deletable;
  for (const Lease& lease : leases) {
    if (!lease.finished() || lease.child_shard_ids.empty()) continue;
    const bool children_started =
        std::all_of(lease.child_shard_ids.begin(), lease.child_shard_ids.end(), [&](const kinesis::ShardId& c) {
          const Lease* child = find(c);
          return child != nullptr && started(child->checkpoint);
        });
    const bool parents_gone = std::none_of(lease.parent_shard_ids.begin(), lease.parent_shard_ids.end(),
                                           [&](const kinesis::ShardId& p) { return find(p) != nullptr; });
    if (children_started && parents_gone) deletable.push_back(lease.key);
  }
  return deletable;
}

std::vector<std::pair<kinesis::ShardId, std::vector<kinesis::ShardId>>> plan_child_backfill(
    const std::vector<Lease>& leases, const std::vector<kinesis::Shard>& shards) {
  std::vector<std::pair<kinesis::ShardId, std::vector<kinesis::ShardId>>> backfill;
  for (const Lease& lease : leases) {
    if (!lease.finished() || !lease.child_shard_ids.empty()) continue;
    std::vector<kinesis::ShardId> children;
    for (const kinesis::Shard& s : shards) {
      if (s.parent_shard_id == lease.key || s.adjacent_parent_shard_id == lease.key) children.push_back(s.shard_id);
    }
    if (!children.empty()) backfill.emplace_back(lease.key, std::move(children));
  }
  return backfill;
}

}  // namespace pk::kcl
