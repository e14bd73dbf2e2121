#include "kcl/kcl3_guard.h"

#include <algorithm>

#include <fmt/format.h>

#include "common/log.h"
#include "net/timeout.h"

namespace pk::kcl {

namespace asio = boost::asio;

namespace {

dynamodb::Item state_key(std::string_view key) {
  return dynamodb::Item{{std::string(kCoordinatorStateKey), dynamodb::AttributeValue::s(std::string(key))}};
}

}  // namespace

Kcl3Guard::Kcl3Guard(std::shared_ptr<dynamodb::DynamoDbClient> client, std::string application_name, const Clock& clock)
    : client_(std::move(client)),
      application_name_(std::move(application_name)),
      table_(coordinator_state_table(application_name_)),
      clock_(clock) {}

Error Kcl3Guard::live_leader_error() const {
  return make_error(
      ErrorCode::kUnsupported,
      fmt::format("live Java KCL 3 workers run application \"{}\": the leader lock in DynamoDB table {} (item "
                  "\"Leader\", owner \"{}\"{}) was renewed while we watched it. pulsar-kinesis does not run next to "
                  "KCL 3 workers (their leader would reassign our leases). Stop the Java connector's workers first "
                  "(a graceful stop deletes the lock; a killed worker's lock goes stale after its lease duration, 2 "
                  "minutes by default), then start pulsar-kinesis on the same applicationName: it resumes from their "
                  "checkpoints",
                  application_name_, table_, observer_.owner(),
                  client_version_.empty() ? "" : fmt::format(", client version {}", client_version_)));
}

asio::awaitable<Result<std::optional<LeaderLock>>> Kcl3Guard::read_lock() {
  auto getting = client_->get_item(dynamodb::GetItemRequest{table_, state_key(kLeaderLockKey), true, {}, {}});
  auto item = co_await std::move(getting);
  if (!item.ok()) {
    if (item.error().code == ErrorCode::kNotFound) co_return std::optional<LeaderLock>();  // no such table
    co_return std::move(item).error().with_context(fmt::format("reading the KCL 3 leader lock in {}", table_));
  }
  if (!*item) co_return std::optional<LeaderLock>();
  auto lock = leader_lock_from_item(**item);
  if (!lock.ok()) co_return std::move(lock).error().with_context(table_);
  co_return std::optional<LeaderLock>(std::move(*lock));
}

asio::awaitable<Status> Kcl3Guard::delete_stale_lock() {
  dynamodb::DeleteItemRequest request;
  request.table = table_;
  request.key = state_key(kLeaderLockKey);
  request.condition_expression = "#rvn = :rvn";
  request.attributes.names.emplace("#rvn", "recordVersionNumber");
  request.attributes.values.emplace(":rvn", dynamodb::AttributeValue::s(observer_.record_version()));
  auto deleting = client_->delete_item(std::move(request));
  auto deleted = co_await std::move(deleting);
  if (deleted.ok()) {
    logger("kcl")->warn(
        "deleted the stale KCL 3 leader lock in {} (owner \"{}\", unchanged for its lease duration: "
        "its workers are gone)",
        table_, observer_.owner());
    co_return ok_status();
  }
  co_return std::move(deleted).error();
}

asio::awaitable<Result<LeaderVerdict>> Kcl3Guard::poll() {
  auto reading = read_lock();
  auto lock = co_await std::move(reading);
  if (!lock.ok()) co_return std::move(lock).error();
  const LeaderVerdict verdict = observer_.observe(*lock, clock_.steady_now());
  if (verdict != LeaderVerdict::kStale) co_return verdict;
  auto deleting = delete_stale_lock();
  Status deleted = co_await std::move(deleting);
  if (!deleted.ok()) {
    // Someone renewed or took it right now (the condition failed), or DynamoDB failed: keep watching.
    logger("kcl")->info("stale KCL 3 leader lock in {} not deleted: {}", table_, deleted.error().to_string());
    observer_.observe(std::nullopt, clock_.steady_now());
    co_return LeaderVerdict::kWatching;
  }
  co_return LeaderVerdict::kNone;
}

asio::awaitable<Status> Kcl3Guard::check_at_start(std::chrono::milliseconds poll_interval) {
  auto migration = client_->get_item(dynamodb::GetItemRequest{table_, state_key(kMigrationStateKey), true, {}, {}});
  auto state = co_await std::move(migration);
  if (state.ok() && *state) client_version_ = client_version_from_item(**state);
  bool announced = false;
  for (;;) {
    auto polling = poll();
    auto verdict = co_await std::move(polling);
    if (!verdict.ok()) co_return std::move(verdict).error();
    if (*verdict == LeaderVerdict::kNone) co_return ok_status();
    if (*verdict == LeaderVerdict::kLive) co_return live_leader_error();
    if (!announced) {
      announced = true;
      logger("kcl")->warn(
          "a KCL 3 leader lock exists in {} (owner \"{}\"): watching it for up to {} ms to tell a "
          "live Java worker from one that is gone",
          table_, observer_.owner(),
          std::chrono::duration_cast<std::chrono::milliseconds>(observer_.decide_by() - clock_.steady_now()).count());
    }
    const auto until_decided = observer_.decide_by() - clock_.steady_now() + std::chrono::milliseconds(1);
    const auto wait =
        std::clamp<std::chrono::steady_clock::duration>(until_decided, std::chrono::milliseconds(1), poll_interval);
    const bool slept = co_await net::sleep(wait);
    if (!slept) co_return make_error(ErrorCode::kCancelled, "KCL 3 leader check cancelled");
  }
}

}  // namespace pk::kcl
