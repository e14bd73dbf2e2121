// Request bodies (golden JSON) and responses of the table and item operations.
#include <string>

#include <gtest/gtest.h>

#include "dynamodb/item_ops_codec.h"
#include "dynamodb/table_codec.h"

namespace pk::dynamodb {
namespace {

Item lease_key(std::string_view shard) {
  return Item{{"leaseKey", AttributeValue::s(std::string(shard))}};
}

TEST(TableRequests, Golden) {
  EXPECT_EQ(*build_create_table_body("app", "leaseKey"),
            R"({"TableName":"app","AttributeDefinitions":[{"AttributeName":"leaseKey","AttributeType":"S"}],)"
            R"("KeySchema":[{"AttributeName":"leaseKey","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST"})");
  EXPECT_EQ(*build_describe_table_body("app"), R"({"TableName":"app"})");
  EXPECT_EQ(*build_delete_table_body("app"), R"({"TableName":"app"})");
  EXPECT_FALSE(build_describe_table_body("").ok());
  EXPECT_EQ(build_create_table_body("a\xff", "k").error().message, "CreateTable: TableName: invalid UTF-8 at byte 1");
}

TEST(TableRequests, CreateWithGlobalSecondaryIndex) {
  TableSpec spec{"app", "leaseKey", {{"LeaseOwnerToLeaseKeyIndex", "leaseOwner", "leaseKey", Projection::kKeysOnly}}};
  EXPECT_EQ(*build_create_table_body(spec),
            R"({"TableName":"app","AttributeDefinitions":[{"AttributeName":"leaseKey","AttributeType":"S"},)"
            R"({"AttributeName":"leaseOwner","AttributeType":"S"}],)"
            R"("KeySchema":[{"AttributeName":"leaseKey","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST",)"
            R"("GlobalSecondaryIndexes":[{"IndexName":"LeaseOwnerToLeaseKeyIndex","KeySchema":[)"
            R"({"AttributeName":"leaseOwner","KeyType":"HASH"},{"AttributeName":"leaseKey","KeyType":"RANGE"}],)"
            R"("Projection":{"ProjectionType":"KEYS_ONLY"}}]})");
  spec.global_secondary_indexes[0].range_key.clear();
  spec.global_secondary_indexes[0].projection = Projection::kAll;
  EXPECT_EQ(*build_create_table_body(spec),
            R"({"TableName":"app","AttributeDefinitions":[{"AttributeName":"leaseKey","AttributeType":"S"},)"
            R"({"AttributeName":"leaseOwner","AttributeType":"S"}],)"
            R"("KeySchema":[{"AttributeName":"leaseKey","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST",)"
            R"("GlobalSecondaryIndexes":[{"IndexName":"LeaseOwnerToLeaseKeyIndex","KeySchema":[)"
            R"({"AttributeName":"leaseOwner","KeyType":"HASH"}],"Projection":{"ProjectionType":"ALL"}}]})");
  spec.global_secondary_indexes[0].name.clear();
  auto unnamed = build_create_table_body(spec);
  ASSERT_FALSE(unnamed.ok());
  EXPECT_EQ(unnamed.error().message, "CreateTable: a global secondary index needs a name and a hash key name");
}

TEST(TableResponses, GlobalSecondaryIndexes) {
  const std::string describe = R"({"Table":{"TableName":"app","TableStatus":"ACTIVE",
      "KeySchema":[{"AttributeName":"leaseKey","KeyType":"HASH"}],
      "GlobalSecondaryIndexes":[{"IndexName":"LeaseOwnerToLeaseKeyIndex","KeySchema":[
        {"AttributeName":"leaseOwner","KeyType":"HASH"},{"AttributeName":"leaseKey","KeyType":"RANGE"}],
        "Projection":{"ProjectionType":"KEYS_ONLY"},"IndexStatus":"CREATING","IndexSizeBytes":0}]}})";
  auto t = parse_table_description_response(describe, "DescribeTable");
  ASSERT_TRUE(t.ok()) << t.error().to_string();
  ASSERT_EQ(t->global_secondary_indexes.size(), 1u);
  const IndexDescription* index = t->index("LeaseOwnerToLeaseKeyIndex");
  ASSERT_NE(index, nullptr);
  EXPECT_EQ(index->status_text, "CREATING");
  EXPECT_EQ(index->hash_key, "leaseOwner");
  EXPECT_EQ(index->range_key, "leaseKey");
  EXPECT_EQ(index->projection_type, "KEYS_ONLY");
  EXPECT_EQ(t->index("other"), nullptr);
  auto wrong = parse_table_description_response(
      R"({"Table":{"TableName":"app","TableStatus":"ACTIVE","GlobalSecondaryIndexes":[{"IndexName":7}]}})",
      "DescribeTable");
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().message,
            "DescribeTable response: Table: GlobalSecondaryIndexes[0]: IndexName: expected a string");
}

TEST(TableResponses, DescribeAndCreate) {
  const std::string describe = R"({"Table":{"AttributeDefinitions":[{"AttributeName":"leaseKey","AttributeType":"S"}],
      "TableName":"app","KeySchema":[{"AttributeName":"leaseKey","KeyType":"HASH"}],"TableStatus":"ACTIVE",
      "CreationDateTime":1.7E9,"ProvisionedThroughput":{"ReadCapacityUnits":0,"WriteCapacityUnits":0},
      "TableSizeBytes":0,"ItemCount":3,"TableArn":"arn:aws:dynamodb:us-east-1:123456789012:table/app",
      "BillingModeSummary":{"BillingMode":"PAY_PER_REQUEST","LastUpdateToPayPerRequestDateTime":null}}})";
  auto t = parse_table_description_response(describe, "DescribeTable");
  ASSERT_TRUE(t.ok()) << t.error().to_string();
  EXPECT_EQ(t->table_name, "app");
  EXPECT_EQ(t->status, TableStatus::kActive);
  EXPECT_EQ(t->hash_key, "leaseKey");
  EXPECT_EQ(t->billing_mode, "PAY_PER_REQUEST");
  EXPECT_EQ(t->item_count, 3);
  EXPECT_EQ(t->table_arn, "arn:aws:dynamodb:us-east-1:123456789012:table/app");
  auto created = parse_table_description_response(
      R"({"TableDescription":{"TableName":"app","TableStatus":"CREATING","KeySchema":null,"ItemCount":null}})",
      "CreateTable");
  ASSERT_TRUE(created.ok()) << created.error().to_string();
  EXPECT_EQ(created->status, TableStatus::kCreating);
  auto missing = parse_table_description_response(R"({"Table":{"TableName":"app"}})", "DescribeTable");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message, "DescribeTable response: TableStatus: missing");
  auto wrong = parse_table_description_response(R"({"Table":{"KeySchema":[{"KeyType":1}]}})", "DescribeTable");
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().message, "DescribeTable response: Table: KeySchema[0]: KeyType: expected a string");
}

TEST(ItemRequests, GetItemGolden) {
  GetItemRequest r{"app", lease_key("shardId-0"), true, "", {}};
  EXPECT_EQ(*build_get_item_body(r),
            R"({"TableName":"app","Key":{"leaseKey":{"S":"shardId-0"}},"ConsistentRead":true})");
  r.projection_expression = "#o";
  r.attributes.names = {{"#o", "leaseOwner"}};
  r.consistent_read = false;
  EXPECT_EQ(*build_get_item_body(r),
            R"({"TableName":"app","Key":{"leaseKey":{"S":"shardId-0"}},"ConsistentRead":false,)"
            R"("ProjectionExpression":"#o","ExpressionAttributeNames":{"#o":"leaseOwner"}})");
  r.attributes.values = {{":v", AttributeValue::n(int64_t{1})}};
  EXPECT_FALSE(build_get_item_body(r).ok());
  EXPECT_EQ(build_get_item_body(GetItemRequest{"app", {}, true, "", {}}).error().message, "GetItem: Key: empty");
}

TEST(ItemRequests, ConditionalPutGolden) {
  PutItemRequest r;
  r.table = "app";
  r.item = {{"leaseKey", AttributeValue::s("shardId-0")},
            {"leaseCounter", AttributeValue::n(int64_t{1})},
            {"parentShardId", AttributeValue::ss({"shardId-p"})}};
  r.condition_expression = "attribute_not_exists(#k)";
  r.attributes.names = {{"#k", "leaseKey"}};
  r.return_values = ReturnValues::kAllOld;
  EXPECT_EQ(*build_put_item_body(r),
            R"({"TableName":"app","Item":{"leaseCounter":{"N":"1"},"leaseKey":{"S":"shardId-0"},)"
            R"j("parentShardId":{"SS":["shardId-p"]}},"ConditionExpression":"attribute_not_exists(#k)",)j"
            R"("ExpressionAttributeNames":{"#k":"leaseKey"},"ReturnValues":"ALL_OLD"})");
  r.return_values = ReturnValues::kAllNew;
  EXPECT_EQ(build_put_item_body(r).error().message, "PutItem: ReturnValues: ALL_NEW is only for UpdateItem");
}

TEST(ItemRequests, ConditionalUpdateGolden) {
  UpdateItemRequest r;
  r.table = "app";
  r.key = lease_key("shardId-0");
  r.update_expression = "SET leaseCounter = :next, leaseOwner = :me";
  r.condition_expression = "leaseCounter = :n";
  r.attributes.values = {{":n", AttributeValue::n(int64_t{4})},
                         {":next", AttributeValue::n(int64_t{5})},
                         {":me", AttributeValue::s("worker-1")}};
  r.return_values = ReturnValues::kUpdatedNew;
  EXPECT_EQ(
      *build_update_item_body(r),
      R"({"TableName":"app","Key":{"leaseKey":{"S":"shardId-0"}},)"
      R"("UpdateExpression":"SET leaseCounter = :next, leaseOwner = :me","ConditionExpression":"leaseCounter = :n",)"
      R"("ExpressionAttributeValues":{":me":{"S":"worker-1"},":n":{"N":"4"},":next":{"N":"5"}},)"
      R"("ReturnValues":"UPDATED_NEW"})");
  r.attributes.values = {{"n", AttributeValue::n(int64_t{4})}};
  EXPECT_EQ(build_update_item_body(r).error().message,
            "UpdateItem: ExpressionAttributeValues: \"n\" does not start with ':'");
  r.attributes.values.clear();
  r.attributes.names = {{"k", "x"}};
  EXPECT_EQ(build_update_item_body(r).error().message,
            "UpdateItem: ExpressionAttributeNames: \"k\" does not start with '#'");
  r.update_expression.clear();
  EXPECT_FALSE(build_update_item_body(r).ok());
}

TEST(ItemRequests, DeleteAndScanGolden) {
  DeleteItemRequest d;
  d.table = "app";
  d.key = lease_key("shardId-0");
  d.condition_expression = "leaseOwner = :me";
  d.attributes.values = {{":me", AttributeValue::s("w")}};
  EXPECT_EQ(*build_delete_item_body(d),
            R"({"TableName":"app","Key":{"leaseKey":{"S":"shardId-0"}},"ConditionExpression":"leaseOwner = :me",)"
            R"("ExpressionAttributeValues":{":me":{"S":"w"}}})");
  ScanRequest s;
  s.table = "app";
  EXPECT_EQ(*build_scan_body(s), R"({"TableName":"app"})");
  s.filter_expression = "attribute_not_exists(#t) OR #t = :lease";
  s.attributes.names = {{"#t", "entityType"}};
  s.attributes.values = {{":lease", AttributeValue::s("LEASE")}};
  s.exclusive_start_key = lease_key("shardId-9");
  s.limit = 2;
  s.consistent_read = true;
  EXPECT_EQ(*build_scan_body(s),
            R"j({"TableName":"app","FilterExpression":"attribute_not_exists(#t) OR #t = :lease",)j"
            R"("ExpressionAttributeNames":{"#t":"entityType"},"ExpressionAttributeValues":{":lease":{"S":"LEASE"}},)"
            R"("ExclusiveStartKey":{"leaseKey":{"S":"shardId-9"}},"Limit":2,"ConsistentRead":true})");
  s.limit = 0;
  EXPECT_EQ(build_scan_body(s).error().message, "Scan: Limit: 0 < 1");
}

TEST(ItemResponses, WriteAndScan) {
  auto none = parse_write_item_response("{}", "PutItem");
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
  auto attrs = parse_write_item_response(R"({"Attributes":{"leaseCounter":{"N":"5"}}})", "UpdateItem");
  ASSERT_TRUE(attrs.ok());
  EXPECT_EQ(attrs->at("leaseCounter"), AttributeValue::n("5"));
  auto bad = parse_write_item_response(R"({"Attributes":{"x":{"N":5}}})", "DeleteItem");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message, "DeleteItem response: Attributes: x: N: expected a string");

  auto page = parse_scan_response(R"({"Items":[{"leaseKey":{"S":"a"}},{"leaseKey":{"S":"b"},"leaseCounter":{"N":"2"}}],
      "Count":2,"ScannedCount":3,"LastEvaluatedKey":{"leaseKey":{"S":"b"}}})");
  ASSERT_TRUE(page.ok()) << page.error().to_string();
  ASSERT_EQ(page->items.size(), 2u);
  EXPECT_EQ(page->items[1].at("leaseCounter"), AttributeValue::n("2"));
  EXPECT_EQ(page->count, 2);
  EXPECT_EQ(page->scanned_count, 3);
  ASSERT_TRUE(page->last_evaluated_key.has_value());
  EXPECT_EQ(*page->last_evaluated_key, lease_key("b"));
  auto last = parse_scan_response(R"({"Items":[],"Count":0,"ScannedCount":0,"LastEvaluatedKey":null})");
  ASSERT_TRUE(last.ok());
  EXPECT_FALSE(last->last_evaluated_key.has_value());
  auto broken = parse_scan_response(R"({"Items":[{"k":{"S":"a"}},{"k":{}}]})");
  ASSERT_FALSE(broken.ok());
  EXPECT_EQ(broken.error().message, "Scan response: Items[1]: item: k: attribute value: no type");
}

}  // namespace
}  // namespace pk::dynamodb
