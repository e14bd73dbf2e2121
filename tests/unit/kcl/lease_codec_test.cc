// Lease items: reading the KCL 3.1.2 layout, keeping unknown attributes, sentinel checkpoints, parent sets, our
// record counter, entities that are not leases, and errors that name the culprit.
#include <gtest/gtest.h>

#include "kcl/lease_codec.h"

namespace pk::kcl {
namespace {

using dynamodb::AttributeValue;
using dynamodb::Item;
using namespace std::string_literals;

// An item in the shape the Java connector's KCL 3.1.2 leaves in the lease table (docs/leases.md).
Item kcl_item() {
  return Item{
      {"leaseKey", AttributeValue::s("shardId-000000000003")},
      {"leaseOwner", AttributeValue::s("3f8a1c2e-6b1d-4e55-9a7e-1c0d2b3a4f5e")},
      {"leaseCounter", AttributeValue::n("1742")},
      {"ownerSwitchesSinceCheckpoint", AttributeValue::n("2")},
      {"checkpoint", AttributeValue::s("49654046542364372823410483474137893658461463421473456178")},
      {"checkpointSubSequenceNumber", AttributeValue::n("5")},
      {"parentShardId", AttributeValue::ss({"shardId-000000000000", "shardId-000000000001"})},
      {"startingHashKey", AttributeValue::s("85070591730234615865843651857942052864")},
      {"endingHashKey", AttributeValue::s("170141183460469231731687303715884105727")},
      {"throughputKBps", AttributeValue::n("12.345678")},
  };
}

TEST(LeaseCodec, ReadsTheKclLayout) {
  auto read = lease_from_item(kcl_item());
  ASSERT_TRUE(read.ok()) << read.error().to_string();
  ASSERT_TRUE(read->has_value());
  const Lease& lease = **read;
  EXPECT_EQ(lease.key.str(), "shardId-000000000003");
  ASSERT_TRUE(lease.owner);
  EXPECT_EQ(lease.owner->str(), "3f8a1c2e-6b1d-4e55-9a7e-1c0d2b3a4f5e");
  EXPECT_EQ(lease.counter, 1742);
  EXPECT_EQ(lease.owner_switches_since_checkpoint, 2);
  EXPECT_EQ(lease.checkpoint.text(), "49654046542364372823410483474137893658461463421473456178");
  EXPECT_EQ(lease.checkpoint.sub_sequence_number(), 5);
  EXPECT_FALSE(lease.pending_checkpoint);
  ASSERT_EQ(lease.parent_shard_ids.size(), 2u);
  EXPECT_EQ(lease.parent_shard_ids[0].str(), "shardId-000000000000");
  EXPECT_EQ(lease.parent_shard_ids[1].str(), "shardId-000000000001");
  EXPECT_TRUE(lease.child_shard_ids.empty());
  ASSERT_TRUE(lease.hash_key_range);
  EXPECT_EQ(lease.hash_key_range->starting.to_string(), "85070591730234615865843651857942052864");
  EXPECT_EQ(lease.hash_key_range->ending.to_string(), "170141183460469231731687303715884105727");
  EXPECT_EQ(lease.throughput_kbps, "12.345678");
  EXPECT_FALSE(lease.checkpoint_owner);
  EXPECT_FALSE(lease.record_counter);
  EXPECT_FALSE(lease.records_at_checkpoint());
  EXPECT_TRUE(lease.other_attributes.empty());
  EXPECT_FALSE(lease.finished());
  // Written back (what a create would put), the item is the same.
  EXPECT_EQ(lease_to_item(lease), kcl_item());
}

TEST(LeaseCodec, KeepsUnknownAttributesThroughARoundTrip) {
  Item item = kcl_item();
  item.emplace("pendingCheckpointState", AttributeValue::b("\x00\xff state"s));
  item.emplace("someFutureAttribute", AttributeValue::m({{"nested", AttributeValue::l({AttributeValue::n(1)})}}));
  item.emplace("entityType", AttributeValue::s("LEASE"));
  auto read = lease_from_item(item);
  ASSERT_TRUE(read.ok()) << read.error().to_string();
  ASSERT_TRUE(read->has_value());
  ASSERT_EQ((*read)->other_attributes.size(), 3u);
  EXPECT_EQ((*read)->other_attributes.at("pendingCheckpointState"), AttributeValue::b("\x00\xff state"s));
  EXPECT_EQ((*read)->other_attributes.at("entityType"), AttributeValue::s("LEASE"));
  EXPECT_EQ(lease_to_item(**read), item);
}

TEST(LeaseCodec, SentinelCheckpointsPendingCheckpointAndChildren) {
  for (const char* sentinel : {"TRIM_HORIZON", "LATEST", "AT_TIMESTAMP", "SHARD_END"}) {
    Item item{{"leaseKey", AttributeValue::s("shardId-1")},
              {"leaseCounter", AttributeValue::n(0)},
              {"checkpoint", AttributeValue::s(sentinel)}};
    auto read = lease_from_item(item);
    ASSERT_TRUE(read.ok()) << read.error().to_string();
    EXPECT_EQ((*read)->checkpoint.text(), sentinel);
    EXPECT_EQ((*read)->checkpoint.sub_sequence_number(), 0);
    EXPECT_FALSE((*read)->owner);
    EXPECT_EQ((*read)->finished(), std::string_view(sentinel) == "SHARD_END");
    // Absent optional attributes stay absent when written (ownerSwitches and the sub-sequence are always written,
    // as the KCL does).
    Item expected = item;
    expected.emplace("ownerSwitchesSinceCheckpoint", AttributeValue::n(0));
    expected.emplace("checkpointSubSequenceNumber", AttributeValue::n(0));
    EXPECT_EQ(lease_to_item(**read), expected);
  }
  Item item{{"leaseKey", AttributeValue::s("shardId-2")},
            {"leaseCounter", AttributeValue::n(9)},
            {"checkpoint", AttributeValue::s("SHARD_END")},
            {"pendingCheckpoint", AttributeValue::s("777")},
            {"pendingCheckpointSubSequenceNumber", AttributeValue::n(3)},
            {"childShardIds", AttributeValue::ss({"shardId-5", "shardId-6"})},
            {"checkpointOwner", AttributeValue::s("worker-a")},
            {"parentShardId", AttributeValue::s("shardId-0")}};
  auto read = lease_from_item(item);
  ASSERT_TRUE(read.ok()) << read.error().to_string();
  const Lease& lease = **read;
  ASSERT_TRUE(lease.pending_checkpoint);
  EXPECT_EQ(lease.pending_checkpoint->to_string(), "777/3");
  ASSERT_EQ(lease.child_shard_ids.size(), 2u);
  EXPECT_EQ(lease.child_shard_ids[1].str(), "shardId-6");
  EXPECT_EQ(lease.checkpoint_owner, WorkerId("worker-a"));
  ASSERT_EQ(lease.parent_shard_ids.size(), 1u);  // a plain S is read as one parent
  EXPECT_EQ(lease.parent_shard_ids[0].str(), "shardId-0");
}

TEST(LeaseCodec, RecordCounterBelongsToItsCheckpoint) {
  Item item = kcl_item();
  item.emplace("pkRecordCounter", AttributeValue::n("18446744073709551615"));
  item.emplace("pkRecordCounterCheckpoint",
               AttributeValue::s("49654046542364372823410483474137893658461463421473456178/5"));
  auto read = lease_from_item(item);
  ASSERT_TRUE(read.ok()) << read.error().to_string();
  ASSERT_TRUE((*read)->record_counter);
  EXPECT_EQ((*read)->record_counter->count, 18446744073709551615u);
  EXPECT_EQ((*read)->records_at_checkpoint(), 18446744073709551615u);
  EXPECT_TRUE((*read)->other_attributes.empty());
  EXPECT_EQ(lease_to_item(**read), item);

  // A Java worker checkpointed since: the counter is kept but no longer applies.
  item.insert_or_assign("checkpointSubSequenceNumber", AttributeValue::n(6));
  read = lease_from_item(item);
  ASSERT_TRUE(read.ok());
  ASSERT_TRUE((*read)->record_counter);
  EXPECT_FALSE((*read)->records_at_checkpoint());

  // Malformed counters are as if never written (and not lost: the item keeps them until our next checkpoint).
  for (const auto& [count, at] : {std::pair{"-1", "5/0"}, {"12", "5"}, {"1.5", "5/0"}, {"3", "x/0"}, {"3", "5/a"}}) {
    item.insert_or_assign("pkRecordCounter", AttributeValue::n(count));
    item.insert_or_assign("pkRecordCounterCheckpoint", AttributeValue::s(at));
    read = lease_from_item(item);
    ASSERT_TRUE(read.ok()) << count << " " << at;
    EXPECT_FALSE((*read)->record_counter) << count << " " << at;
  }
}

TEST(LeaseCodec, SkipsOtherEntities) {
  Item item = kcl_item();
  item.emplace("entityType", AttributeValue::s("LEADER"));
  auto read = lease_from_item(item);
  ASSERT_TRUE(read.ok());
  EXPECT_FALSE(read->has_value());
  item.insert_or_assign("entityType", AttributeValue::n(1));
  read = lease_from_item(item);
  ASSERT_TRUE(read.ok());
  EXPECT_FALSE(read->has_value());
}

TEST(LeaseCodec, ErrorsNameTheLeaseAndAttribute) {
  auto expect_error = [](Item item, std::string_view message) {
    auto read = lease_from_item(item);
    ASSERT_FALSE(read.ok());
    EXPECT_EQ(read.error().message, message);
    EXPECT_EQ(read.error().code, ErrorCode::kMalformedInput);
  };
  Item item = kcl_item();
  item.erase("leaseKey");
  expect_error(item, "lease item: leaseKey: missing");
  item = kcl_item();
  item.erase("leaseCounter");
  expect_error(item, "lease shardId-000000000003: leaseCounter: missing");
  item = kcl_item();
  item.erase("checkpoint");
  expect_error(item, "lease shardId-000000000003: checkpoint: missing");
  item = kcl_item();
  item.insert_or_assign("checkpoint", AttributeValue::s("somewhere"));
  expect_error(item,
               "lease shardId-000000000003: checkpoint: \"somewhere\" is neither a sequence number nor TRIM_HORIZON, "
               "LATEST, AT_TIMESTAMP or SHARD_END");
  item = kcl_item();
  item.insert_or_assign("parentShardId", AttributeValue::n(3));
  expect_error(item, "lease shardId-000000000003: parentShardId: expected SS, got N");
  item = kcl_item();
  item.insert_or_assign("endingHashKey", AttributeValue::s("340282366920938463463374607431768211456"));
  auto read = lease_from_item(item);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.error().message.rfind("lease shardId-000000000003: endingHashKey", 0), 0u) << read.error().message;
}

}  // namespace
}  // namespace pk::kcl
