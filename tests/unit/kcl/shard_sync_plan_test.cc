// Shard discovery (the KCL's ancestry rules, on its own documented example), child leases at a shard's end,
// parents before children, and the conservative clean-up of finished leases.
#include <map>

#include <gtest/gtest.h>

#include "kcl/shard_sync_plan.h"

namespace pk::kcl {
namespace {

kinesis::Shard shard(int id, std::optional<int> parent, std::optional<int> adjacent, bool open, int start) {
  kinesis::Shard s;
  s.shard_id = kinesis::ShardId("shardId-" + std::to_string(id));
  if (parent) s.parent_shard_id = kinesis::ShardId("shardId-" + std::to_string(*parent));
  if (adjacent) s.adjacent_parent_shard_id = kinesis::ShardId("shardId-" + std::to_string(*adjacent));
  s.hash_key_range = {kinesis::HashKey(static_cast<kinesis::uint128>(id) * 100),
                      kinesis::HashKey(static_cast<kinesis::uint128>(id) * 100 + 99)};
  s.sequence_number_range.starting = *kinesis::SequenceNumber::parse(std::to_string(1000 + start));
  if (!open) s.sequence_number_range.ending = *kinesis::SequenceNumber::parse(std::to_string(5000 + start));
  return s;
}

Lease lease(int id, ExtendedSequenceNumber checkpoint = ExtendedSequenceNumber::trim_horizon(),
            std::vector<int> parents = {}, std::vector<int> children = {}) {
  Lease l;
  l.key = kinesis::ShardId("shardId-" + std::to_string(id));
  l.checkpoint = std::move(checkpoint);
  for (int p : parents) l.parent_shard_ids.emplace_back("shardId-" + std::to_string(p));
  for (int c : children) l.child_shard_ids.emplace_back("shardId-" + std::to_string(c));
  return l;
}

std::vector<std::string> summary(const std::vector<Lease>& leases) {
  std::vector<std::string> s;
  for (const Lease& l : leases) s.push_back(l.key.str() + "@" + l.checkpoint.text());
  return s;
}

// The KCL's example (HierarchicalShardSyncer's comment):
//   0 1 2 3 4   5      closed, except 4
//   \ / \ / |   |
//    6   7  4   5      6 and 7 closed
//     \ /   |  / \     .
//      8    4 9  10    open
std::vector<kinesis::Shard> example() {
  return {shard(0, {}, {}, false, 0), shard(1, {}, {}, false, 1), shard(2, {}, {}, false, 2),
          shard(3, {}, {}, false, 3), shard(4, {}, {}, true, 4),  shard(5, {}, {}, false, 5),
          shard(6, 0, 1, false, 6),   shard(7, 2, 3, false, 7),   shard(8, 6, 7, true, 8),
          shard(9, 5, {}, true, 9),   shard(10, 5, {}, true, 10)};
}

TEST(ShardSyncPlan, TheKclExampleWithLeasesFor4_5_7) {
  const std::vector<Lease> existing = {lease(4), lease(5), lease(7)};
  auto latest = plan_new_leases(example(), existing, InitialPosition::kLatest);
  EXPECT_EQ(summary(latest), (std::vector<std::string>{"shardId-6@LATEST"}));
  ASSERT_EQ(latest[0].parent_shard_ids.size(), 2u);
  EXPECT_EQ(latest[0].parent_shard_ids[0].str(), "shardId-0");
  EXPECT_EQ(latest[0].parent_shard_ids[1].str(), "shardId-1");
  EXPECT_EQ(latest[0].hash_key_range->starting.value(), 600u);
  EXPECT_FALSE(latest[0].owner);
  EXPECT_EQ(latest[0].counter, 0);
  EXPECT_EQ(summary(plan_new_leases(example(), existing, InitialPosition::kTrimHorizon)),
            (std::vector<std::string>{"shardId-0@TRIM_HORIZON", "shardId-1@TRIM_HORIZON"}));
  EXPECT_EQ(summary(plan_new_leases(example(), existing, InitialPosition::kAtTimestamp)),
            (std::vector<std::string>{"shardId-0@AT_TIMESTAMP", "shardId-1@AT_TIMESTAMP"}));
}

TEST(ShardSyncPlan, EmptyTable) {
  // LATEST: the open shards, at LATEST. TRIM_HORIZON: the oldest ancestors, children wait for their ends.
  EXPECT_EQ(
      summary(plan_new_leases(example(), {}, InitialPosition::kLatest)),
      (std::vector<std::string>{"shardId-4@LATEST", "shardId-8@LATEST", "shardId-9@LATEST", "shardId-10@LATEST"}));
  EXPECT_EQ(summary(plan_new_leases(example(), {}, InitialPosition::kTrimHorizon)),
            (std::vector<std::string>{"shardId-0@TRIM_HORIZON", "shardId-1@TRIM_HORIZON", "shardId-2@TRIM_HORIZON",
                                      "shardId-3@TRIM_HORIZON", "shardId-4@TRIM_HORIZON", "shardId-5@TRIM_HORIZON"}));
  // Nothing twice: with every lease there, nothing to create.
  std::vector<Lease> all;
  for (const kinesis::Shard& s : example()) all.push_back(lease(std::stoi(s.shard_id.str().substr(8))));
  EXPECT_TRUE(plan_new_leases(example(), all, InitialPosition::kTrimHorizon).empty());
}

TEST(ShardSyncPlan, SkipsAnOpenShardWhoseParentIsStillOpen) {
  // An inconsistent listing (the child shows up while the parent is still open).
  const std::vector<kinesis::Shard> shards = {shard(0, {}, {}, true, 0), shard(1, 0, {}, true, 1)};
  EXPECT_EQ(summary(plan_new_leases(shards, {}, InitialPosition::kLatest)),
            (std::vector<std::string>{"shardId-0@LATEST"}));
}

TEST(ShardSyncPlan, ChildLeasesStartAtTrimHorizonWithTheirParents) {
  kinesis::ChildShard merged;
  merged.shard_id = kinesis::ShardId("shardId-9");
  merged.parent_shards = {kinesis::ShardId("shardId-3"), kinesis::ShardId("shardId-4")};
  merged.hash_key_range = {kinesis::HashKey(10), kinesis::HashKey(20)};
  auto children = child_leases({merged});
  ASSERT_EQ(children.size(), 1u);
  EXPECT_EQ(children[0].key.str(), "shardId-9");
  EXPECT_EQ(children[0].checkpoint, ExtendedSequenceNumber::trim_horizon());
  EXPECT_EQ(children[0].parent_shard_ids, merged.parent_shards);
  EXPECT_EQ(children[0].hash_key_range, merged.hash_key_range);
  EXPECT_FALSE(children[0].owner);
  EXPECT_EQ(children[0].counter, 0);

  std::map<std::string, Lease> table = {{"shardId-3", lease(3)}};
  LeaseLookup lookup = [&](const kinesis::ShardId& id) -> const Lease* {
    auto it = table.find(id.str());
    return it == table.end() ? nullptr : &it->second;
  };
  Status deferred = check_merge_parents(kinesis::ShardId("shardId-3"), {merged}, lookup);
  ASSERT_FALSE(deferred.ok());
  EXPECT_EQ(deferred.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(deferred.error().message,
            "shard shardId-3: merge child shardId-9 waits: the lease of parent shardId-4 is "
            "missing");
  table.emplace("shardId-4", lease(4));
  EXPECT_TRUE(check_merge_parents(kinesis::ShardId("shardId-3"), {merged}, lookup).ok());
  merged.parent_shards.pop_back();
  EXPECT_EQ(check_merge_parents(kinesis::ShardId("shardId-3"), {merged}, lookup).error().message,
            "shard shardId-3: its only child shardId-9 names 1 parent(s), a merge needs 2");
}

TEST(ShardSyncPlan, AChildIsReadOnlyAfterEveryParentEnded) {
  std::map<std::string, Lease> table = {{"shardId-1", lease(1, ExtendedSequenceNumber::shard_end())},
                                        {"shardId-2", lease(2, ExtendedSequenceNumber::trim_horizon())}};
  LeaseLookup lookup = [&](const kinesis::ShardId& id) -> const Lease* {
    auto it = table.find(id.str());
    return it == table.end() ? nullptr : &it->second;
  };
  EXPECT_FALSE(ready_to_process(lease(3, ExtendedSequenceNumber::trim_horizon(), {1, 2}), lookup));
  table.at("shardId-2").checkpoint = ExtendedSequenceNumber::at(*kinesis::SequenceNumber::parse("77"));
  EXPECT_FALSE(ready_to_process(lease(3, ExtendedSequenceNumber::trim_horizon(), {1, 2}), lookup));
  table.at("shardId-2").checkpoint = ExtendedSequenceNumber::shard_end();
  EXPECT_TRUE(ready_to_process(lease(3, ExtendedSequenceNumber::trim_horizon(), {1, 2}), lookup));
  table.erase("shardId-1");  // a parent cleaned up (or never leased) does not block
  EXPECT_TRUE(ready_to_process(lease(3, ExtendedSequenceNumber::trim_horizon(), {1, 2}), lookup));
  EXPECT_TRUE(ready_to_process(lease(5), lookup));
}

TEST(ShardSyncPlan, CleanUpOnlyWhenEveryChildStartedAndNoParentIsLeft) {
  const auto started = ExtendedSequenceNumber::at(*kinesis::SequenceNumber::parse("123"));
  std::vector<Lease> leases = {
      lease(1, ExtendedSequenceNumber::shard_end(), {}, {3}),    // child 3 started: delete
      lease(2, ExtendedSequenceNumber::shard_end(), {}, {4}),    // child 4 not started
      lease(3, started, {1}),                                    //
      lease(4, ExtendedSequenceNumber::trim_horizon(), {2}),     //
      lease(5, ExtendedSequenceNumber::shard_end(), {}, {6}),    // child 6 missing
      lease(7, ExtendedSequenceNumber::shard_end(), {}, {}),     // children unknown
      lease(8, ExtendedSequenceNumber::shard_end(), {1}, {9}),   // its parent 1 is still there
      lease(9, ExtendedSequenceNumber::shard_end()),             //
      lease(10, ExtendedSequenceNumber::shard_end(), {}, {11}),  // child at LATEST: not started
      lease(11, ExtendedSequenceNumber::latest(), {10}),         //
      lease(12, started, {}, {3}),                               // not finished
  };
  auto deletable = plan_cleanup(leases);
  ASSERT_EQ(deletable.size(), 1u);
  EXPECT_EQ(deletable[0].str(), "shardId-1");
}

TEST(ShardSyncPlan, BackfillsChildrenOfFinishedLeasesFromTheListing) {
  const std::vector<kinesis::Shard> shards = {shard(1, {}, {}, false, 0), shard(2, {}, {}, false, 1),
                                              shard(3, 1, 2, true, 2), shard(4, 1, {}, true, 3)};
  std::vector<Lease> leases = {lease(1, ExtendedSequenceNumber::shard_end()),
                               lease(2, ExtendedSequenceNumber::shard_end(), {}, {3}),
                               lease(5, ExtendedSequenceNumber::shard_end())};
  auto backfill = plan_child_backfill(leases, shards);
  ASSERT_EQ(backfill.size(), 1u);
  EXPECT_EQ(backfill[0].first.str(), "shardId-1");
  ASSERT_EQ(backfill[0].second.size(), 2u);
  EXPECT_EQ(backfill[0].second[0].str(), "shardId-3");
  EXPECT_EQ(backfill[0].second[1].str(), "shardId-4");
}

}  // namespace
}  // namespace pk::kcl
