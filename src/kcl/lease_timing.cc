#include "kcl/lease_timing.h"

#include <fmt/format.h>

namespace pk::kcl {

Status validate(const LeaseTiming& t) {
  auto bad = [](std::string message) { return make_error(ErrorCode::kInvalidArgument, std::move(message)); };
  if (t.failover < std::chrono::milliseconds(100) || t.failover <= 3 * t.epsilon) {
    return bad(fmt::format("lease failover time {} ms: must be at least 100 ms and more than 3 x epsilon ({} ms)",
                           t.failover.count(), t.epsilon.count()));
  }
  if (t.epsilon.count() < 0) return bad(fmt::format("lease epsilon {} ms: must not be negative", t.epsilon.count()));
  if (t.stop_margin.count() < 0 || t.stop_margin >= t.failover) {
    return bad(fmt::format("lease stop margin {} ms: must be at least 0 and below the failover time ({} ms)",
                           t.stop_margin.count(), t.failover.count()));
  }
  if (t.shard_sync_interval.count() <= 0) {
    return bad(fmt::format("shard sync interval {} ms: must be positive", t.shard_sync_interval.count()));
  }
  if (t.very_old_multiplier < 1 || t.max_leases_for_worker < 1 || t.max_leases_to_steal_at_one_time < 1) {
    return bad(
        fmt::format("lease limits: very_old_multiplier ({}), max_leases_for_worker ({}) and "
                    "max_leases_to_steal_at_one_time ({}) must be at least 1",
                    t.very_old_multiplier, t.max_leases_for_worker, t.max_leases_to_steal_at_one_time));
  }
  return ok_status();
}

}  // namespace pk::kcl
