// The lease table on moto: the layout we create is the one KCL 3 creates (compared by boto3's DescribeTable), the
// conditional writes of the protocol (one winner per race), checkpoints that leave attributes we do not know in
// place, and items boto3 wrote in the exact shape of a KCL 3.1.2 table read correctly.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include "kcl/lease_codec.h"
#include "kcl_itest.h"

namespace pk::kcl::itest {
namespace {

using dynamodb::AttributeValue;

using LeaseTableMoto = LeaseTableTest;

TEST_F(LeaseTableMoto, CreatesTheLayoutKclCreates) {
  const std::string kcl = unique_name("pk-kcl-java-layout");
  extra_tables_.push_back(kcl);
  peer("kcl-table " + kcl);
  const std::string ours = peer("layout " + name_);
  EXPECT_EQ(ours, peer("layout " + kcl));
  EXPECT_EQ(ours,
            R"({"AttributeDefinitions": [{"AttributeName": "leaseKey", "AttributeType": "S"}, {"AttributeName": )"
            R"("leaseOwner", "AttributeType": "S"}], "BillingMode": "PAY_PER_REQUEST", "GlobalSecondaryIndexes": )"
            R"([{"IndexName": "LeaseOwnerToLeaseKeyIndex", "KeySchema": [{"AttributeName": "leaseOwner", "KeyType": )"
            R"("HASH"}, {"AttributeName": "leaseKey", "KeyType": "RANGE"}], "Projection": {"ProjectionType": )"
            R"("KEYS_ONLY"}}], "KeySchema": [{"AttributeName": "leaseKey", "KeyType": "HASH"}]})");
  // An existing table (ours, or the one KCL made) is used as it is.
  auto again = run_coroutine<Result<dynamodb::TableDescription>>([&] { return table_->create_if_missing(); });
  ASSERT_TRUE(again.ok()) << again.error().to_string();
  EXPECT_EQ(again->status, dynamodb::TableStatus::kActive);
  ASSERT_NE(again->index("LeaseOwnerToLeaseKeyIndex"), nullptr);
  LeaseTable on_kcl(client_, kcl);
  auto theirs = run_coroutine<Result<dynamodb::TableDescription>>([&] { return on_kcl.create_if_missing(); });
  ASSERT_TRUE(theirs.ok()) << theirs.error().to_string();
  EXPECT_EQ(theirs->hash_key, "leaseKey");
}

TEST_F(LeaseTableMoto, TheProtocolsWrites) {
  create_leases(1);
  const std::string key = "shardId-000000000000";
  const Lease fresh = get(key);
  EXPECT_FALSE(*run_coroutine<Result<bool>>([&] { return table_->create(fresh); }));  // exists
  const WorkerId me("worker-a");
  auto taken = run_coroutine<Result<LeaseWrite>>([&] { return table_->take(fresh, me); });
  ASSERT_TRUE(taken.ok()) << taken.error().to_string();
  ASSERT_TRUE(taken->applied());
  EXPECT_EQ(taken->lease->owner, me);
  EXPECT_EQ(taken->lease->counter, 1);
  EXPECT_EQ(taken->lease->owner_switches_since_checkpoint, 0);  // nobody held it before
  auto renewed = run_coroutine<Result<LeaseWrite>>([&] { return table_->renew(*taken->lease); });
  ASSERT_TRUE(renewed.ok() && renewed->applied());
  EXPECT_EQ(renewed->lease->counter, 2);
  // A renewal whose condition fails but finds the lease exactly as it would have made it (ours, counter + 1) counts
  // as applied: what a retry of a renewal that did get through sees.
  auto retried = run_coroutine<Result<LeaseWrite>>([&] { return table_->renew(*taken->lease); });
  ASSERT_TRUE(retried.ok()) << retried.error().to_string();
  EXPECT_TRUE(retried->applied());
  EXPECT_EQ(retried->lease->counter, 2);
  // A renewal with an older counter loses, and tells how the lease is now.
  auto stale = run_coroutine<Result<LeaseWrite>>([&] { return table_->renew(fresh); });
  ASSERT_TRUE(stale.ok()) << stale.error().to_string();
  EXPECT_FALSE(stale->applied());
  ASSERT_TRUE(stale->lease);
  EXPECT_EQ(stale->lease->counter, 2);
  EXPECT_EQ(stale->lease->owner, me);
  // Stolen by another worker: its switch is counted, our renewal loses.
  auto stolen = run_coroutine<Result<LeaseWrite>>([&] { return table_->take(*renewed->lease, WorkerId("thief")); });
  ASSERT_TRUE(stolen.ok() && stolen->applied());
  EXPECT_EQ(stolen->lease->owner_switches_since_checkpoint, 1);
  EXPECT_FALSE(run_coroutine<Result<LeaseWrite>>([&] { return table_->renew(*renewed->lease); })->applied());
  // The thief checkpoints (with our record counter) and releases.
  const auto position = ExtendedSequenceNumber::at(*kinesis::SequenceNumber::parse("4960"), 3);
  auto checkpointed =
      run_coroutine<Result<LeaseWrite>>([&] { return table_->checkpoint(*stolen->lease, position, 17); });
  ASSERT_TRUE(checkpointed.ok() && checkpointed->applied());
  EXPECT_EQ(checkpointed->lease->checkpoint, position);
  EXPECT_EQ(checkpointed->lease->owner_switches_since_checkpoint, 0);
  EXPECT_EQ(checkpointed->lease->records_at_checkpoint(), 17u);
  EXPECT_EQ(checkpointed->lease->counter, 4);
  auto released = run_coroutine<Result<LeaseWrite>>([&] { return table_->release(*checkpointed->lease); });
  ASSERT_TRUE(released.ok() && released->applied());
  EXPECT_FALSE(released->lease->owner);
  EXPECT_EQ(released->lease->counter, 5);
  EXPECT_EQ(get(key).checkpoint, position);
  // Only a finished lease is deleted.
  EXPECT_FALSE(*run_coroutine<Result<bool>>([&] { return table_->delete_finished(kinesis::ShardId(key)); }));
  auto finished = run_coroutine<Result<LeaseWrite>>([&] { return table_->take(*released->lease, WorkerId("closer")); });
  ASSERT_TRUE(finished.ok() && finished->applied());
  auto ended = run_coroutine<Result<LeaseWrite>>(
      [&] { return table_->checkpoint(*finished->lease, ExtendedSequenceNumber::shard_end(), std::nullopt); });
  ASSERT_TRUE(ended.ok() && ended->applied());
  EXPECT_FALSE(ended->lease->record_counter);  // a checkpoint without a counter removes the stale one
  EXPECT_TRUE(*run_coroutine<Result<bool>>(
      [&] { return table_->set_child_shards(kinesis::ShardId(key), {kinesis::ShardId("shardId-000000000009")}); }));
  EXPECT_EQ(get(key).child_shard_ids, std::vector<kinesis::ShardId>{kinesis::ShardId("shardId-000000000009")});
  EXPECT_TRUE(*run_coroutine<Result<bool>>([&] { return table_->delete_finished(kinesis::ShardId(key)); }));
  EXPECT_TRUE(list().empty());
  EXPECT_FALSE(*run_coroutine<Result<bool>>(
      [&] { return table_->set_child_shards(kinesis::ShardId(key), {kinesis::ShardId("x")}); }));
}

// Both workers try to take the same lease at once: exactly one wins.
boost::asio::awaitable<void> take_into(const LeaseTable& table, Lease lease, WorkerId worker,
                                       std::vector<Result<LeaseWrite>>& results) {
  auto taking = table.take(std::move(lease), std::move(worker));
  auto taken = co_await std::move(taking);
  results.push_back(std::move(taken));
}

TEST_F(LeaseTableMoto, AConditionalRaceHasExactlyOneWinner) {
  create_leases(1);
  for (int round = 0; round < 5; ++round) {
    const Lease seen = get("shardId-000000000000");
    std::vector<Result<LeaseWrite>> results;
    run_coroutine<bool>([&]() -> boost::asio::awaitable<bool> {
      auto& loop = pk::testing::coroutine_loop();
      boost::asio::co_spawn(loop, take_into(*table_, seen, WorkerId("a"), results), boost::asio::detached);
      boost::asio::co_spawn(loop, take_into(*table_, seen, WorkerId("b"), results), boost::asio::detached);
      auto waiting = eventually([&] { return results.size() == 2; }, 10000ms);
      co_return co_await std::move(waiting);
    });
    ASSERT_EQ(results.size(), 2u);
    int winners = 0;
    std::string winner;
    for (const auto& r : results) {
      ASSERT_TRUE(r.ok()) << r.error().to_string();
      if (r->applied()) {
        ++winners;
        winner = r->lease->owner->str();
      } else {
        ASSERT_TRUE(r->lease);
        EXPECT_EQ(r->lease->counter, seen.counter + 1);  // the loser sees the winner's write
      }
    }
    EXPECT_EQ(winners, 1) << "round " << round;
    const Lease now = get("shardId-000000000000");
    EXPECT_EQ(now.owner->str(), winner);
    EXPECT_EQ(now.counter, seen.counter + 1);
  }
}

TEST_F(LeaseTableMoto, WritesKeepAttributesWeDoNotKnow) {
  peer("put-lease-with-unknown " + name_ + " shardId-000000000042");
  const auto before = peer_get(name_, "leaseKey", "shardId-000000000042");
  ASSERT_TRUE(before);
  const Lease seen = get("shardId-000000000042");
  EXPECT_EQ(seen.owner, WorkerId("java-worker"));
  ASSERT_EQ(seen.other_attributes.size(), 2u);  // javaOnly, pendingCheckpointState
  auto taken = run_coroutine<Result<LeaseWrite>>([&] { return table_->take(seen, WorkerId("ours")); });
  ASSERT_TRUE(taken.ok() && taken->applied());
  auto renewed = run_coroutine<Result<LeaseWrite>>([&] { return table_->renew(*taken->lease); });
  ASSERT_TRUE(renewed.ok() && renewed->applied());
  const auto position = ExtendedSequenceNumber::at(*kinesis::SequenceNumber::parse("5000"), 0);
  auto checkpointed =
      run_coroutine<Result<LeaseWrite>>([&] { return table_->checkpoint(*renewed->lease, position, 99); });
  ASSERT_TRUE(checkpointed.ok() && checkpointed->applied());

  const auto after = peer_get(name_, "leaseKey", "shardId-000000000042");
  ASSERT_TRUE(after);
  EXPECT_EQ(after->at("javaOnly"), before->at("javaOnly"));
  EXPECT_EQ(after->at("throughputKBps"), AttributeValue::n("3.5"));
  EXPECT_EQ(after->at("leaseOwner"), AttributeValue::s("ours"));
  EXPECT_EQ(after->at("leaseCounter"), AttributeValue::n("10"));
  EXPECT_EQ(after->at("checkpoint"), AttributeValue::s("5000"));
  EXPECT_EQ(after->at("checkpointSubSequenceNumber"), AttributeValue::n("0"));
  EXPECT_EQ(after->at("ownerSwitchesSinceCheckpoint"), AttributeValue::n("0"));
  EXPECT_EQ(after->at("pkRecordCounter"), AttributeValue::n("99"));
  EXPECT_EQ(after->at("pkRecordCounterCheckpoint"), AttributeValue::s("5000/0"));
  // The checkpoint clears the pending checkpoint (as the KCL's checkpoint does), nothing else goes.
  EXPECT_EQ(after->count("pendingCheckpoint"), 0u);
  EXPECT_EQ(after->count("pendingCheckpointSubSequenceNumber"), 0u);
  EXPECT_EQ(after->count("pendingCheckpointState"), 0u);
  EXPECT_EQ(after->size(), before->size() - 3 + 2);
}

TEST_F(LeaseTableMoto, ReadsATableInTheShapeKcl312LeavesIt) {
  peer("put-kcl-leases " + name_);
  auto listed = run_coroutine<Result<LeaseList>>([&] { return table_->list(); });
  ASSERT_TRUE(listed.ok()) << listed.error().to_string();
  EXPECT_TRUE(listed->unreadable.empty());
  ASSERT_EQ(listed->leases.size(), 5u);  // the LEADER entity is not a lease
  std::map<std::string, Lease> by_key;
  for (const Lease& l : listed->leases) by_key.emplace(l.key.str(), l);

  const Lease& parent = by_key.at("shardId-000000000000");
  EXPECT_TRUE(parent.finished());
  EXPECT_EQ(parent.owner, WorkerId("d7c3a1f0-5b2e-4c8a-9f1d-2e3b4c5d6e7f"));
  EXPECT_EQ(parent.counter, 3121);
  EXPECT_EQ(parent.child_shard_ids, std::vector<kinesis::ShardId>{kinesis::ShardId("shardId-000000000002")});
  // Kept as its text: moto keeps "0.0" as written, DynamoDB would answer "0".
  EXPECT_TRUE(parent.throughput_kbps == "0.0" || parent.throughput_kbps == "0") << *parent.throughput_kbps;

  const Lease& child = by_key.at("shardId-000000000002");
  EXPECT_FALSE(child.owner);
  EXPECT_EQ(child.checkpoint, ExtendedSequenceNumber::trim_horizon());
  std::vector<std::string> parents;
  for (const auto& p : child.parent_shard_ids) parents.push_back(p.str());
  std::sort(parents.begin(), parents.end());
  EXPECT_EQ(parents, (std::vector<std::string>{"shardId-000000000000", "shardId-000000000001"}));
  EXPECT_EQ(child.hash_key_range->ending, kinesis::HashKey::max());

  const Lease& mid = by_key.at("shardId-000000000003");
  EXPECT_EQ(mid.owner, WorkerId("0"));
  EXPECT_EQ(mid.checkpoint.to_string(), "49654046542364372823410483474137893658461463421473456178/4");
  EXPECT_EQ(mid.pending_checkpoint->to_string(), "49654046542364372823410483474137893658461463421473456200/0");
  EXPECT_EQ(mid.owner_switches_since_checkpoint, 1);
  EXPECT_EQ(mid.checkpoint_owner, WorkerId("java-worker-b"));
  EXPECT_EQ(mid.throughput_kbps, "12.345678");
  EXPECT_TRUE(mid.other_attributes.empty());

  EXPECT_EQ(by_key.at("shardId-000000000004").checkpoint, ExtendedSequenceNumber::latest());
  EXPECT_FALSE(by_key.at("shardId-000000000004").hash_key_range);
}

}  // namespace
}  // namespace pk::kcl::itest
