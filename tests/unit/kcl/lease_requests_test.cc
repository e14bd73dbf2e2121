// The conditional writes of the lease protocol, as the request bodies DynamoDB receives (golden JSON).
#include <gtest/gtest.h>

#include "dynamodb/item_ops_codec.h"
#include "kcl/lease_codec.h"
#include "kcl/lease_requests.h"

namespace pk::kcl {
namespace {

Lease held_lease() {
  Lease lease;
  lease.key = kinesis::ShardId("shardId-7");
  lease.owner = WorkerId("me");
  lease.counter = 41;
  return lease;
}

std::string body(const dynamodb::UpdateItemRequest& r) {
  auto b = dynamodb::build_update_item_body(r);
  EXPECT_TRUE(b.ok()) << b.error().to_string();
  return b.ok() ? *b : std::string();
}

TEST(LeaseRequests, Create) {
  Lease lease;
  lease.key = kinesis::ShardId("shardId-1");
  lease.checkpoint = ExtendedSequenceNumber::trim_horizon();
  lease.parent_shard_ids = {kinesis::ShardId("shardId-0")};
  auto b = dynamodb::build_put_item_body(create_lease_request("app", lease));
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(*b,
            R"j({"TableName":"app","Item":{"checkpoint":{"S":"TRIM_HORIZON"},"checkpointSubSequenceNumber":{"N":"0"},)j"
            R"j("leaseCounter":{"N":"0"},"leaseKey":{"S":"shardId-1"},"ownerSwitchesSinceCheckpoint":{"N":"0"},)j"
            R"j("parentShardId":{"SS":["shardId-0"]}},"ConditionExpression":"attribute_not_exists(#key)",)j"
            R"j("ExpressionAttributeNames":{"#key":"leaseKey"}})j");
}

TEST(LeaseRequests, Renew) {
  EXPECT_EQ(body(renew_lease_request("app", held_lease())),
            R"j({"TableName":"app","Key":{"leaseKey":{"S":"shardId-7"}},"UpdateExpression":"SET #counter = :next",)j"
            R"j("ConditionExpression":"#counter = :counter AND attribute_not_exists(#cpowner)",)j"
            R"j("ExpressionAttributeNames":{"#counter":"leaseCounter","#cpowner":"checkpointOwner"},)j"
            R"j("ExpressionAttributeValues":{":counter":{"N":"41"},":next":{"N":"42"}},"ReturnValues":"ALL_NEW"})j");
}

TEST(LeaseRequests, TakeCountsAnOwnerSwitchOnlyFromAnotherOwner) {
  Lease lease = held_lease();
  lease.owner = WorkerId("other");
  EXPECT_EQ(body(take_lease_request("app", lease, WorkerId("me"))),
            R"j({"TableName":"app","Key":{"leaseKey":{"S":"shardId-7"}},)j"
            R"j("UpdateExpression":"SET #counter = :next, #owner = :owner REMOVE #cpowner ADD #switches :one",)j"
            R"j("ConditionExpression":"#counter = :counter","ExpressionAttributeNames":{"#counter":"leaseCounter",)j"
            R"j("#cpowner":"checkpointOwner","#owner":"leaseOwner","#switches":"ownerSwitchesSinceCheckpoint"},)j"
            R"j("ExpressionAttributeValues":{":counter":{"N":"41"},":next":{"N":"42"},":one":{"N":"1"},)j"
            R"j(":owner":{"S":"me"}},"ReturnValues":"ALL_NEW"})j");
  lease.owner.reset();
  EXPECT_EQ(body(take_lease_request("app", lease, WorkerId("me"))),
            R"j({"TableName":"app","Key":{"leaseKey":{"S":"shardId-7"}},)j"
            R"j("UpdateExpression":"SET #counter = :next, #owner = :owner REMOVE #cpowner",)j"
            R"j("ConditionExpression":"#counter = :counter","ExpressionAttributeNames":{"#counter":"leaseCounter",)j"
            R"j("#cpowner":"checkpointOwner","#owner":"leaseOwner"},)j"
            R"j("ExpressionAttributeValues":{":counter":{"N":"41"},":next":{"N":"42"},":owner":{"S":"me"}},)j"
            R"j("ReturnValues":"ALL_NEW"})j");
  lease.owner = WorkerId("me");  // our own expired lease taken back: not a switch
  EXPECT_EQ(body(take_lease_request("app", lease, WorkerId("me"))).find("#switches"), std::string::npos);
  lease.checkpoint_owner = WorkerId("me");  // a KCL 3 hand-off to us completed by the take: a switch
  EXPECT_NE(body(take_lease_request("app", lease, WorkerId("me"))).find("ADD #switches :one"), std::string::npos);
}

TEST(LeaseRequests, Release) {
  EXPECT_EQ(body(release_lease_request("app", held_lease())),
            R"j({"TableName":"app","Key":{"leaseKey":{"S":"shardId-7"}},)j"
            R"j("UpdateExpression":"SET #counter = :next REMOVE #owner",)j"
            R"j("ConditionExpression":"#counter = :counter AND #owner = :owner AND attribute_not_exists(#cpowner)",)j"
            R"j("ExpressionAttributeNames":{"#counter":"leaseCounter","#cpowner":"checkpointOwner",)j"
            R"j("#owner":"leaseOwner"},"ExpressionAttributeValues":{":counter":{"N":"41"},":next":{"N":"42"},)j"
            R"j(":owner":{"S":"me"}},"ReturnValues":"ALL_NEW"})j");
}

TEST(LeaseRequests, CheckpointWithAndWithoutRecordCounter) {
  const auto position = ExtendedSequenceNumber::at(*kinesis::SequenceNumber::parse("4960"), 2);
  const std::string names =
      R"j("ExpressionAttributeNames":{"#counter":"leaseCounter","#cp":"checkpoint",)j"
      R"j("#cpsub":"checkpointSubSequenceNumber","#owner":"leaseOwner","#pending":"pendingCheckpoint",)j"
      R"j("#pendingstate":"pendingCheckpointState","#pendingsub":"pendingCheckpointSubSequenceNumber",)j"
      R"j("#rc":"pkRecordCounter","#rcat":"pkRecordCounterCheckpoint","#switches":"ownerSwitchesSinceCheckpoint"},)j";
  EXPECT_EQ(body(checkpoint_lease_request("app", held_lease(), position, 1234)),
            R"j({"TableName":"app","Key":{"leaseKey":{"S":"shardId-7"}},"UpdateExpression":"SET #counter = :next, )j"
            R"j(#cp = :cp, #cpsub = :cpsub, #switches = :zero, #rc = :rc, #rcat = :rcat REMOVE #pending, )j"
            R"j(#pendingsub, #pendingstate","ConditionExpression":"#counter = :counter AND #owner = :owner",)j" +
                names +
                R"j("ExpressionAttributeValues":{":counter":{"N":"41"},":cp":{"S":"4960"},":cpsub":{"N":"2"},)j"
                R"j(":next":{"N":"42"},":owner":{"S":"me"},":rc":{"N":"1234"},":rcat":{"S":"4960/2"},)j"
                R"j(":zero":{"N":"0"}},"ReturnValues":"ALL_NEW"})j");
  EXPECT_EQ(body(checkpoint_lease_request("app", held_lease(), ExtendedSequenceNumber::shard_end(), std::nullopt)),
            R"j({"TableName":"app","Key":{"leaseKey":{"S":"shardId-7"}},"UpdateExpression":"SET #counter = :next, )j"
            R"j(#cp = :cp, #cpsub = :cpsub, #switches = :zero REMOVE #pending, #pendingsub, #pendingstate, #rc, )j"
            R"j(#rcat","ConditionExpression":"#counter = :counter AND #owner = :owner",)j" +
                names +
                R"j("ExpressionAttributeValues":{":counter":{"N":"41"},":cp":{"S":"SHARD_END"},":cpsub":{"N":"0"},)j"
                R"j(":next":{"N":"42"},":owner":{"S":"me"},":zero":{"N":"0"}},"ReturnValues":"ALL_NEW"})j");
}

TEST(LeaseRequests, ChildShardsAndDelete) {
  EXPECT_EQ(
      body(set_child_shards_request("app", kinesis::ShardId("shardId-7"),
                                    {kinesis::ShardId("shardId-8"), kinesis::ShardId("shardId-9")})),
      R"j({"TableName":"app","Key":{"leaseKey":{"S":"shardId-7"}},"UpdateExpression":"SET #children = :children",)j"
      R"j("ConditionExpression":"attribute_exists(#key)","ExpressionAttributeNames":{"#children":"childShardIds",)j"
      R"j("#key":"leaseKey"},"ExpressionAttributeValues":{":children":{"SS":["shardId-8","shardId-9"]}},)j"
      R"j("ReturnValues":"ALL_NEW"})j");
  auto b = dynamodb::build_delete_item_body(delete_finished_lease_request("app", kinesis::ShardId("shardId-7")));
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(*b, R"j({"TableName":"app","Key":{"leaseKey":{"S":"shardId-7"}},"ConditionExpression":"#cp = :end",)j"
                R"j("ExpressionAttributeNames":{"#cp":"checkpoint"},"ExpressionAttributeValues":{":end":)j"
                R"j({"S":"SHARD_END"}}})j");
}

}  // namespace
}  // namespace pk::kcl
