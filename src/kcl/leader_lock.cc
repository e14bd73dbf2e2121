#include "kcl/leader_lock.h"

#include <charconv>

#include <fmt/format.h>

namespace pk::kcl {

std::string coordinator_state_table(std::string_view application_name) {
  return fmt::format("{}-CoordinatorState", application_name);
}

Result<LeaderLock> leader_lock_from_item(const dynamodb::Item& item) {
  LeaderLock lock;
  PK_ASSIGN_OR_RETURN(auto version, dynamodb::get_s(item, "recordVersionNumber"));
  if (!version) return make_error(ErrorCode::kMalformedInput, "leader lock: recordVersionNumber: missing");
  lock.record_version = std::move(*version);
  PK_ASSIGN_OR_RETURN(auto owner, dynamodb::get_s(item, "ownerName"));
  lock.owner = owner.value_or("");
  PK_ASSIGN_OR_RETURN(auto duration, dynamodb::get_s(item, "leaseDuration"));
  if (duration) {
    int64_t ms = 0;
    auto [end, ec] = std::from_chars(duration->data(), duration->data() + duration->size(), ms);
    if (ec == std::errc() && end == duration->data() + duration->size() && ms > 0) {
      lock.lease_duration = std::chrono::milliseconds(ms);
    }
  }
  lock.released = dynamodb::find(item, "isReleased") != nullptr;
  return lock;
}

std::string client_version_from_item(const dynamodb::Item& item) {
  const dynamodb::AttributeValue* cv = dynamodb::find(item, "cv");
  return cv != nullptr && cv->as_s() != nullptr ? *cv->as_s() : std::string();
}

std::string_view to_string(LeaderVerdict verdict) {
  switch (verdict) {
    case LeaderVerdict::kNone:
      return "none";
    case LeaderVerdict::kWatching:
      return "watching";
    case LeaderVerdict::kLive:
      return "live";
    case LeaderVerdict::kStale:
      return "stale";
  }
  return "none";
}

LeaderVerdict LeaderLockObserver::observe(const std::optional<LeaderLock>& lock, SteadyTime now) {
  if (!lock || lock->released) {
    watching_ = false;
    return LeaderVerdict::kNone;
  }
  const bool changed = watching_ && lock->record_version != record_version_;
  if (!watching_ || changed) {
    watching_ = true;
    owner_ = lock->owner;
    record_version_ = lock->record_version;
    first_seen_ = now;
    lease_duration_ = lock->lease_duration;
    return changed ? LeaderVerdict::kLive : LeaderVerdict::kWatching;
  }
  return now > decide_by() ? LeaderVerdict::kStale : LeaderVerdict::kWatching;
}

}  // namespace pk::kcl
