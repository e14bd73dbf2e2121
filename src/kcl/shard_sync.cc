#include "kcl/shard_sync.h"

#include <map>

#include <fmt/format.h>

#include "common/log.h"

namespace pk::kcl {

namespace asio = boost::asio;

namespace {

using LeasesById = std::map<std::string, std::optional<Lease>>;

LeaseLookup lookup_in(const LeasesById& leases) {
  return [&leases](const kinesis::ShardId& id) -> const Lease* {
    auto it = leases.find(id.str());
    return it == leases.end() || !it->second ? nullptr : &*it->second;
  };
}

}  // namespace

ShardSync::ShardSync(std::shared_ptr<const kinesis::KinesisClient> kinesis, kinesis::StreamRef stream,
                     std::shared_ptr<const LeaseTable> table, InitialPosition initial)
    : kinesis_(std::move(kinesis)), stream_(std::move(stream)), table_(std::move(table)), initial_(initial) {}

asio::awaitable<Result<ShardSyncReport>> ShardSync::run_once() const {
  ShardSyncReport report;
  auto listing_shards = kinesis_->list_shards(stream_);
  auto shards = co_await std::move(listing_shards);
  if (!shards.ok()) co_return std::move(shards).error().with_context("shard sync: ListShards");
  report.shards = static_cast<int>(shards->size());
  auto listing_leases = table_->list();
  auto leases = co_await std::move(listing_leases);
  if (!leases.ok()) co_return std::move(leases).error().with_context("shard sync");

  for (const Lease& lease : plan_new_leases(*shards, leases->leases, initial_)) {
    auto creating = table_->create(lease);
    auto created = co_await std::move(creating);
    if (!created.ok()) co_return std::move(created).error().with_context("shard sync");
    if (*created) {
      ++report.created;
      logger("kcl")->info("shard sync: created lease {} at {}", lease.key.str(), lease.checkpoint.text());
    }
  }
  for (auto& [key, children] : plan_child_backfill(leases->leases, *shards)) {
    auto recording = table_->set_child_shards(key, children);
    auto recorded = co_await std::move(recording);
    if (!recorded.ok()) co_return std::move(recorded).error().with_context("shard sync");
    if (*recorded) {
      ++report.children_recorded;
      for (Lease& l : leases->leases) {
        if (l.key == key) l.child_shard_ids = children;
      }
    }
  }
  for (const kinesis::ShardId& key : plan_cleanup(leases->leases)) {
    auto deleting = table_->delete_finished(key);
    auto deleted = co_await std::move(deleting);
    if (!deleted.ok()) co_return std::move(deleted).error().with_context("shard sync");
    if (*deleted) {
      ++report.deleted;
      logger("kcl")->info("shard sync: deleted finished lease {} (its children started)", key.str());
    }
  }
  co_return report;
}

asio::awaitable<Status> ShardSync::on_shard_end(kinesis::ShardId ended,
                                                std::vector<kinesis::ChildShard> children) const {
  if (children.empty()) co_return ok_status();
  // The parents of a merge child: both leases or neither (the KCL's rule).
  LeasesById parents;
  for (const kinesis::ChildShard& child : children) {
    for (const kinesis::ShardId& parent : child.parent_shards) {
      if (parents.count(parent.str()) != 0) continue;
      auto getting = table_->get(parent);
      auto lease = co_await std::move(getting);
      if (!lease.ok()) co_return std::move(lease).error();
      parents.emplace(parent.str(), std::move(*lease));
    }
  }
  PK_CO_TRY(check_merge_parents(ended, children, lookup_in(parents)));
  std::vector<kinesis::ShardId> child_ids;
  for (const Lease& lease : child_leases(children)) {
    child_ids.push_back(lease.key);
    auto creating = table_->create(lease);
    auto created = co_await std::move(creating);
    if (!created.ok()) co_return std::move(created).error().with_context(fmt::format("shard {} ended", ended.str()));
    if (*created) logger("kcl")->info("shard {} ended: created child lease {}", ended.str(), lease.key.str());
  }
  auto recording = table_->set_child_shards(ended, child_ids);
  auto recorded = co_await std::move(recording);
  if (!recorded.ok()) co_return std::move(recorded).error();
  co_return ok_status();
}

asio::awaitable<Result<bool>> ShardSync::ready(Lease lease) const {
  LeasesById parents;
  for (const kinesis::ShardId& parent : lease.parent_shard_ids) {
    auto getting = table_->get(parent);
    auto read = co_await std::move(getting);
    if (!read.ok()) co_return std::move(read).error();
    parents.emplace(parent.str(), std::move(*read));
  }
  co_return ready_to_process(lease, lookup_in(parents));
}

}  // namespace pk::kcl
