#include "kcl/lease_coordinator.h"

#include <cassert>

#include <fmt/format.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "common/log.h"
#include "kcl/kcl3_guard.h"
#include "kcl/shard_sync.h"

namespace pk::kcl {

namespace asio = boost::asio;

namespace {

// Waits on `timer` until `wake` (a time of `clock`), or until the timer is cancelled.
asio::awaitable<void> sleep_until(asio::steady_timer& timer, const Clock& clock, SteadyTime wake) {
  const auto delay = wake - clock.steady_now();
  timer.expires_after(delay.count() > 0 ? delay : std::chrono::steady_clock::duration::zero());
  co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
}

}  // namespace

std::string_view to_string(LossReason reason) {
  return reason == LossReason::kTaken ? "taken by another worker" : "expired (no successful renewal in time)";
}

LeaseCoordinator::LeaseCoordinator(asio::any_io_executor executor, std::shared_ptr<const LeaseTable> table,
                                   LeaseListener& listener, CoordinatorOptions options, const Clock& clock)
    : executor_(executor),
      table_(std::move(table)),
      listener_(listener),
      options_(std::move(options)),
      clock_(clock),
      random_(options_.random_seed),
      held_(options_.timing.local_lease_duration()),
      tasks_(executor),
      renew_wake_(executor),
      take_wake_(executor) {}

LeaseCoordinator::~LeaseCoordinator() {
  assert(tasks_.size() == 0 && "LeaseCoordinator destroyed before stop() completed");
}

void LeaseCoordinator::start() {
  if (started_) return;
  started_ = true;
  logger("kcl")->info(
      "worker {} on lease table {}: failover {} ms, renewing every {} ms, taking every {} ms, reading stops {} ms "
      "after the last successful write",
      options_.worker.str(), table_->name(), options_.timing.failover.count(), options_.timing.renew_interval().count(),
      options_.timing.take_interval().count(), options_.timing.local_lease_duration().count());
  tasks_.spawn(renew_loop());
  tasks_.spawn(take_loop());
}

asio::awaitable<void> LeaseCoordinator::stop(bool release_leases) {
  stopping_ = true;
  renew_wake_.cancel();
  take_wake_.cancel();
  co_await tasks_.join();
  if (release_leases) {
    for (const Lease& lease : held_.all()) {
      auto releasing = release(lease.key);
      Status released = co_await std::move(releasing);
      if (!released.ok()) logger("kcl")->warn("releasing lease {}: {}", lease.key.str(), released.error().to_string());
    }
  }
  for (const Lease& lease : held_.all()) held_.remove(lease.key.str());
  mutexes_.clear();
  hand_over_at_.clear();
}

std::optional<Lease> LeaseCoordinator::held_lease(std::string_view key) const {
  const HeldLease* h = held_.find(key);
  return h ? std::optional<Lease>(h->lease) : std::nullopt;
}

std::shared_ptr<AsyncMutex> LeaseCoordinator::mutex_for(std::string_view key) {
  auto it = mutexes_.find(key);
  if (it == mutexes_.end()) it = mutexes_.emplace(std::string(key), std::make_shared<AsyncMutex>(executor_)).first;
  return it->second;
}

void LeaseCoordinator::lose(std::string_view key, LossReason reason) {
  std::optional<Lease> last = held_.remove(key);
  mutexes_.erase(std::string(key));
  const bool handed_over = hand_over_at_.erase(std::string(key)) == 0;
  if (!last) return;
  logger("kcl")->warn("worker {} lost lease {}: {}", options_.worker.str(), last->key.str(), to_string(reason));
  if (handed_over) listener_.on_lease_lost(*last, reason);
}

void LeaseCoordinator::expire_round() {
  const SteadyTime now = clock_.steady_now();
  for (const Lease& lease : held_.expire(now)) {
    // expire() removed it; put the bookkeeping in line and tell the listener.
    mutexes_.erase(lease.key.str());
    const bool handed_over = hand_over_at_.erase(lease.key.str()) == 0;
    logger("kcl")->warn("worker {} lost lease {}: {}", options_.worker.str(), lease.key.str(),
                        to_string(LossReason::kExpired));
    if (handed_over) listener_.on_lease_lost(lease, LossReason::kExpired);
  }
  for (auto it = hand_over_at_.begin(); it != hand_over_at_.end();) {
    if (it->second > now) {
      ++it;
      continue;
    }
    const HeldLease* h = held_.find(it->first);
    it = hand_over_at_.erase(it);
    if (h != nullptr) listener_.on_lease_acquired(h->lease);
  }
}

SteadyTime LeaseCoordinator::next_wake() const {
  const SteadyTime now = clock_.steady_now();
  SteadyTime wake = now + options_.timing.renew_interval();
  if (auto deadline = held_.next_deadline(); deadline && *deadline < wake) wake = *deadline;
  for (const auto& [key, at] : hand_over_at_) wake = std::min(wake, at);
  for (const Lease& lease : held_.all()) {
    auto m = mutexes_.find(lease.key.str());
    if (m != mutexes_.end() && m->second->locked()) continue;  // a write is in flight: its answer moves the time
    wake = std::min(wake, held_.find(lease.key.str())->last_sent + options_.timing.renew_interval());
  }
  return wake;
}

asio::awaitable<void> LeaseCoordinator::renew_loop() {
  while (!stopping_) {
    expire_round();
    for (Lease& lease : held_.due(clock_.steady_now(), options_.timing.renew_interval())) {
      AsyncMutex::Guard guard = mutex_for(lease.key.str())->try_lock();
      if (!guard.owns_lock()) continue;  // a checkpoint is being written: it renews the lease too
      tasks_.spawn(renew_one(std::move(lease), std::move(guard)));
    }
    if (stopping_) break;
    co_await sleep_until(renew_wake_, clock_, next_wake());
  }
}

asio::awaitable<void> LeaseCoordinator::renew_one(Lease lease, AsyncMutex::Guard guard) {
  const SteadyTime sent = clock_.steady_now();
  auto renewing = table_->renew(lease);
  auto renewed = co_await std::move(renewing);
  const HeldLease* h = held_.find(lease.key.str());
  if (h == nullptr || h->lease.counter != lease.counter) co_return;  // lost (or lost and taken again) meanwhile
  if (!renewed.ok()) {
    logger("kcl")->warn(
        "renewing lease {}: {} (held until {} ms from now unless a renewal succeeds)", lease.key.str(),
        renewed.error().to_string(),
        std::chrono::duration_cast<std::chrono::milliseconds>(h->deadline - clock_.steady_now()).count());
    co_return;
  }
  if (renewed->applied()) {
    held_.on_written(std::move(*renewed->lease), sent);
  } else {
    guard.release();
    lose(lease.key.str(), LossReason::kTaken);
  }
}

asio::awaitable<bool> LeaseCoordinator::guard_allows_taking() {
  if (taking_stopped_) co_return false;
  if (guard_ == nullptr) co_return true;
  auto polling = guard_->poll();
  auto verdict = co_await std::move(polling);
  if (!verdict.ok()) {
    logger("kcl")->warn("KCL 3 leader check: {}; not taking leases this round", verdict.error().to_string());
    co_return false;
  }
  if (*verdict == LeaderVerdict::kLive) {
    taking_stopped_ = true;
    listener_.on_coordinator_error(guard_->live_leader_error());
    co_return false;
  }
  co_return *verdict != LeaderVerdict::kWatching;
}

asio::awaitable<Result<TakeRound>> LeaseCoordinator::take_round() {
  TakeRound round;
  const bool allowed = co_await guard_allows_taking();
  if (!allowed) {
    round.skipped = true;
    co_return round;
  }
  if (shard_sync_ != nullptr && (!next_shard_sync_ || clock_.steady_now() >= *next_shard_sync_)) {
    next_shard_sync_ = clock_.steady_now() + options_.timing.shard_sync_interval;
    auto syncing = shard_sync_->run_once();
    auto synced = co_await std::move(syncing);
    if (!synced.ok()) logger("kcl")->warn("shard sync: {}", synced.error().to_string());
  }
  auto listing = table_->list();
  auto list = co_await std::move(listing);
  if (!list.ok()) co_return std::move(list).error();
  for (const std::string& bad : list->unreadable) logger("kcl")->warn("lease table {}: {}", table_->name(), bad);
  observer_.update(std::move(list->leases), clock_.steady_now());
  round.plan = plan_take(observer_, options_.worker, clock_.steady_now(), options_.timing, random_);
  for (const Lease& lease : round.plan.take) {
    if (stopping_) break;
    if (held_.find(lease.key.str()) != nullptr) continue;
    auto taking = take_one(lease, round.plan.steal);
    const bool taken = co_await std::move(taking);
    if (taken) ++round.taken;
  }
  if (!round.plan.take.empty()) {
    logger("kcl")->info("worker {}: {} leases, {} workers, target {}, held {}; {} {} of {}", options_.worker.str(),
                        round.plan.leases, round.plan.workers, round.plan.target, round.plan.mine,
                        round.plan.steal ? "stole" : "took", round.taken, round.plan.take.size());
  }
  co_return round;
}

asio::awaitable<bool> LeaseCoordinator::take_one(Lease lease, bool steal) {
  const SteadyTime sent = clock_.steady_now();
  auto taking = table_->take(lease, options_.worker);
  auto taken = co_await std::move(taking);
  if (!taken.ok()) {
    logger("kcl")->warn("taking lease {}: {}", lease.key.str(), taken.error().to_string());
    co_return false;
  }
  if (!taken->applied()) {
    logger("kcl")->info("worker {} lost the race for lease {}", options_.worker.str(), lease.key.str());
    co_return false;
  }
  const Lease& now = *taken->lease;
  held_.add(now, sent);
  observer_.record_write(now, sent);
  mutex_for(now.key.str());
  if (steal) {
    // The previous holder reads until its next renewal fails, at the latest until its deadline: wait that out.
    hand_over_at_.insert_or_assign(now.key.str(), sent + options_.timing.failover);
    logger("kcl")->info("worker {} stole lease {} from {}; reading starts in {} ms", options_.worker.str(),
                        now.key.str(), lease.owner ? lease.owner->str() : "nobody", options_.timing.failover.count());
  } else if (!stopping_) {
    listener_.on_lease_acquired(now);
  }
  co_return true;
}

asio::awaitable<void> LeaseCoordinator::take_loop() {
  while (!stopping_) {
    auto taking = take_round();
    auto round = co_await std::move(taking);
    if (!round.ok()) logger("kcl")->warn("taking leases: {}", round.error().to_string());
    if (stopping_) break;
    co_await sleep_until(take_wake_, clock_, clock_.steady_now() + options_.timing.take_interval());
  }
}

asio::awaitable<Result<LeaseWrite>> LeaseCoordinator::write_checkpoint(kinesis::ShardId key,
                                                                       ExtendedSequenceNumber position,
                                                                       std::optional<uint64_t> record_count) {
  auto it = mutexes_.find(key.str());
  if (it == mutexes_.end()) co_return LeaseWrite{WriteOutcome::kLost, std::nullopt};
  std::shared_ptr<AsyncMutex> mutex = it->second;
  auto locking = mutex->lock();
  AsyncMutex::Guard guard = co_await std::move(locking);
  const HeldLease* h = held_.find(key.str());
  if (h == nullptr) co_return LeaseWrite{WriteOutcome::kLost, std::nullopt};
  const Lease before = h->lease;
  const SteadyTime sent = clock_.steady_now();
  auto writing = table_->checkpoint(before, position, record_count);
  auto written = co_await std::move(writing);
  if (!written.ok()) co_return written;
  h = held_.find(key.str());
  const bool same = h != nullptr && h->lease.counter == before.counter;
  if (written->applied()) {
    if (same) held_.on_written(*written->lease, sent);
  } else if (same) {
    guard.release();
    lose(key.str(), LossReason::kTaken);
  }
  co_return written;
}

asio::awaitable<Status> LeaseCoordinator::release(kinesis::ShardId key) {
  auto it = mutexes_.find(key.str());
  if (it == mutexes_.end()) co_return ok_status();
  std::shared_ptr<AsyncMutex> mutex = it->second;
  auto locking = mutex->lock();
  AsyncMutex::Guard guard = co_await std::move(locking);
  const HeldLease* h = held_.find(key.str());
  if (h == nullptr) co_return ok_status();
  const Lease lease = h->lease;
  auto releasing = table_->release(lease);
  auto released = co_await std::move(releasing);
  held_.remove(key.str());
  mutexes_.erase(key.str());
  hand_over_at_.erase(key.str());
  if (!released.ok()) co_return std::move(released).error();
  if (released->applied()) {
    logger("kcl")->info("worker {} released lease {}", options_.worker.str(), key.str());
  } else {
    logger("kcl")->info("worker {}: lease {} was taken by another worker before its release", options_.worker.str(),
                        key.str());
  }
  co_return ok_status();
}

}  // namespace pk::kcl
