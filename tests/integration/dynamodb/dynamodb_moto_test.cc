// The DynamoDB client against moto with SigV4 verification on (a wrongly signed call fails): the operations a KCL
// lease table needs, with conditions that hold and conditions that do not, pagination and error types.
#include <set>

#include <gtest/gtest.h>

#include "moto_table.h"

namespace pk::dynamodb::itest {
namespace {

Item lease(const std::string& key, int64_t counter, const std::string& owner) {
  return Item{{"leaseKey", AttributeValue::s(key)},
              {"leaseCounter", AttributeValue::n(counter)},
              {"leaseOwner", AttributeValue::s(owner)}};
}

using DynamoDbMoto = MotoTable;

TEST_F(DynamoDbMoto, ConditionalPutSucceedsOnceThenFailsWithConflictWithoutRetry) {
  const Item item = lease("shard-0", 0, "worker-a");
  auto first = put(item, "attribute_not_exists(leaseKey)");
  ASSERT_TRUE(first.ok()) << first.error().to_string();
  EXPECT_TRUE(first->empty()) << "ReturnValues NONE returns no attributes";

  const int budget_before = client_->json().retry_policy().budget().available();
  auto second = put(lease("shard-0", 5, "worker-b"), "attribute_not_exists(leaseKey)");
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code, ErrorCode::kConflict) << second.error().to_string();
  EXPECT_EQ(second.error().type, "ConditionalCheckFailedException") << second.error().to_string();
  EXPECT_NE(second.error().message.find("PutItem"), std::string::npos) << second.error().message;
  // A retry would have taken retry_cost tokens from the budget.
  EXPECT_EQ(client_->json().retry_policy().budget().available(), budget_before) << "a lost condition is not retried";

  auto stored = get("shard-0");
  ASSERT_TRUE(stored.ok()) << stored.error().to_string();
  ASSERT_TRUE(stored->has_value());
  EXPECT_EQ(**stored, item) << "the losing write changed nothing";
}

TEST_F(DynamoDbMoto, UpdateWithCounterConditionReturnsAllNewAndLosesOnAStaleCounter) {
  ASSERT_TRUE(put(lease("shard-1", 7, "worker-a")).ok());
  auto take = [&](int64_t expected, const std::string& owner) {
    UpdateItemRequest request;
    request.table = table_;
    request.key = key_of("shard-1");
    request.update_expression = "SET leaseCounter = :next, #owner = :owner";
    request.condition_expression = "leaseCounter = :expected";
    request.attributes.names = {{"#owner", "leaseOwner"}};
    request.attributes.values = {{":expected", AttributeValue::n(expected)},
                                 {":next", AttributeValue::n(expected + 1)},
                                 {":owner", AttributeValue::s(owner)}};
    request.return_values = ReturnValues::kAllNew;
    return run_coroutine<Result<Item>>([&] { return client_->update_item(request); });
  };

  auto taken = take(7, "worker-b");
  ASSERT_TRUE(taken.ok()) << taken.error().to_string();
  EXPECT_EQ(*taken, lease("shard-1", 8, "worker-b")) << "ALL_NEW gives the whole item after the update";
  auto counter = get_int64(*taken, "leaseCounter");
  ASSERT_TRUE(counter.ok());
  EXPECT_EQ(*counter, 8);

  // Worker c still believes the counter is 7: it lost the lease and must see a conflict, not a retry.
  auto stale = take(7, "worker-c");
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().code, ErrorCode::kConflict) << stale.error().to_string();
  EXPECT_EQ(stale.error().type, "ConditionalCheckFailedException");
  auto stored = get("shard-1");
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_EQ(**stored, lease("shard-1", 8, "worker-b"));

  // A condition on a missing item fails the same way (UpdateItem would otherwise create it).
  UpdateItemRequest absent;
  absent.table = table_;
  absent.key = key_of("no-such-lease");
  absent.update_expression = "SET leaseCounter = :next";
  absent.condition_expression = "attribute_exists(leaseKey)";
  absent.attributes.values = {{":next", AttributeValue::n(1)}};
  auto missing = run_coroutine<Result<Item>>([&] { return client_->update_item(absent); });
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kConflict) << missing.error().to_string();
}

TEST_F(DynamoDbMoto, GetItemPresentAndAbsent) {
  ASSERT_TRUE(put(lease("present", 3, "w")).ok());
  auto present = get("present");
  ASSERT_TRUE(present.ok()) << present.error().to_string();
  ASSERT_TRUE(present->has_value());
  EXPECT_EQ(**present, lease("present", 3, "w"));
  auto absent = get("absent");
  ASSERT_TRUE(absent.ok()) << absent.error().to_string();
  EXPECT_FALSE(absent->has_value());

  GetItemRequest projected{table_, key_of("present"), true, "#k, leaseCounter", {}};
  projected.attributes.names = {{"#k", "leaseKey"}};
  auto some = run_coroutine<Result<std::optional<Item>>>([&] { return client_->get_item(projected); });
  ASSERT_TRUE(some.ok()) << some.error().to_string();
  ASSERT_TRUE(some->has_value());
  EXPECT_EQ(**some, (Item{{"leaseKey", AttributeValue::s("present")}, {"leaseCounter", AttributeValue::n(3)}}));
}

TEST_F(DynamoDbMoto, ScanPagesThroughMoreItemsThanOnePage) {
  constexpr int kItems = 23;
  for (int i = 0; i < kItems; ++i) {
    ASSERT_TRUE(put(lease(fmt::format("shard-{:03}", i), i, i % 2 == 0 ? "even" : "odd")).ok());
  }
  // Page by page: 10 + 10 + 3, each page but the last naming where the next starts.
  ScanRequest request;
  request.table = table_;
  request.limit = 10;
  request.consistent_read = true;
  std::set<std::string> seen;
  int pages = 0;
  for (; pages < 10; ++pages) {
    auto page = run_coroutine<Result<ScanPage>>([&] { return client_->scan_page(request); });
    ASSERT_TRUE(page.ok()) << page.error().to_string();
    EXPECT_LE(page->items.size(), 10u);
    EXPECT_EQ(page->count, static_cast<int64_t>(page->items.size()));
    for (const Item& item : page->items) {
      auto key = get_s(item, "leaseKey");
      ASSERT_TRUE(key.ok() && key->has_value());
      EXPECT_TRUE(seen.insert(**key).second) << "seen twice: " << **key;
    }
    if (!page->last_evaluated_key) break;
    request.exclusive_start_key = page->last_evaluated_key;
  }
  EXPECT_GE(pages + 1, 3) << "23 items in pages of 10 take at least three pages";
  EXPECT_EQ(seen.size(), static_cast<size_t>(kItems));

  // scan() follows the pages itself.
  ScanRequest all_request;
  all_request.table = table_;
  all_request.limit = 4;
  auto all = run_coroutine<Result<std::vector<Item>>>([&] { return client_->scan(all_request); });
  ASSERT_TRUE(all.ok()) << all.error().to_string();
  EXPECT_EQ(all->size(), static_cast<size_t>(kItems));
}

TEST_F(DynamoDbMoto, ScanWithAFilter) {
  for (int i = 0; i < 12; ++i) {
    ASSERT_TRUE(put(lease(fmt::format("shard-{:03}", i), i, i % 3 == 0 ? "worker-x" : "worker-y")).ok());
  }
  ScanRequest request;
  request.table = table_;
  request.filter_expression = "#owner = :owner AND leaseCounter >= :min";
  request.attributes.names = {{"#owner", "leaseOwner"}};
  request.attributes.values = {{":owner", AttributeValue::s("worker-x")}, {":min", AttributeValue::n(3)}};
  request.limit = 5;  // the filter applies per page: pages may come back short or empty
  auto found = run_coroutine<Result<std::vector<Item>>>([&] { return client_->scan(request); });
  ASSERT_TRUE(found.ok()) << found.error().to_string();
  std::set<std::string> keys;
  for (const Item& item : *found) {
    auto key = get_s(item, "leaseKey");
    ASSERT_TRUE(key.ok() && key->has_value());
    keys.insert(**key);
  }
  EXPECT_EQ(keys, (std::set<std::string>{"shard-003", "shard-006", "shard-009"}));
}

TEST_F(DynamoDbMoto, DeleteItemWithACondition) {
  ASSERT_TRUE(put(lease("shard-9", 4, "worker-a")).ok());
  DeleteItemRequest request;
  request.table = table_;
  request.key = key_of("shard-9");
  request.condition_expression = "leaseOwner = :owner";
  request.attributes.values = {{":owner", AttributeValue::s("worker-b")}};
  request.return_values = ReturnValues::kAllOld;
  auto refused = run_coroutine<Result<Item>>([&] { return client_->delete_item(request); });
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kConflict) << refused.error().to_string();
  EXPECT_EQ(refused.error().type, "ConditionalCheckFailedException");
  auto still = get("shard-9");
  ASSERT_TRUE(still.ok() && still->has_value()) << "the refused delete kept the item";

  request.attributes.values = {{":owner", AttributeValue::s("worker-a")}};
  auto deleted = run_coroutine<Result<Item>>([&] { return client_->delete_item(request); });
  ASSERT_TRUE(deleted.ok()) << deleted.error().to_string();
  EXPECT_EQ(*deleted, lease("shard-9", 4, "worker-a")) << "ALL_OLD gives the deleted item";
  auto gone = get("shard-9");
  ASSERT_TRUE(gone.ok()) << gone.error().to_string();
  EXPECT_FALSE(gone->has_value());
}

TEST_F(DynamoDbMoto, DescribeTableShowsTheTableAndAMissingOneKeepsItsErrorType) {
  auto described = run_coroutine<Result<TableDescription>>([&] { return client_->describe_table(table_); });
  ASSERT_TRUE(described.ok()) << described.error().to_string();
  EXPECT_EQ(described->table_name, table_);
  EXPECT_EQ(described->status, TableStatus::kActive);
  EXPECT_EQ(described->hash_key, "leaseKey");
  EXPECT_EQ(described->billing_mode, "PAY_PER_REQUEST");
  EXPECT_NE(described->table_arn.find(table_), std::string::npos) << described->table_arn;

  const std::string missing_name = unique_table_name("pk-ddb-missing");
  auto missing = run_coroutine<Result<TableDescription>>([&] { return client_->describe_table(missing_name); });
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().type, "ResourceNotFoundException") << missing.error().to_string();
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_NE(missing.error().message.find("DescribeTable"), std::string::npos) << missing.error().message;
}

TEST(DynamoDbMotoSigning, AWrongSecretIsRefused) {
  auto endpoint =
      aws::resolve_endpoint({"dynamodb", "us-east-1", pk::testing::server_env("PK_MOTO_ENDPOINT"), std::nullopt});
  ASSERT_TRUE(endpoint.ok());
  auto credentials = std::make_shared<aws::StaticCredentialsProvider>(
      aws::Credentials{pk::testing::server_env("PK_MOTO_ACCESS_KEY_ID"), "not-the-secret-at-all", "", std::nullopt});
  auto client = DynamoDbClient::create(pk::testing::coroutine_loop().get_executor(), *endpoint, credentials);
  ASSERT_TRUE(client.ok()) << client.error().to_string();
  const std::string name = unique_table_name("pk-ddb-unsigned");
  auto refused = run_coroutine<Result<TableDescription>>([&] { return (*client)->describe_table(name); });
  ASSERT_FALSE(refused.ok()) << "moto verifies signatures: a wrong secret must not pass";
  EXPECT_TRUE(refused.error().code == ErrorCode::kUnauthenticated ||
              refused.error().code == ErrorCode::kPermissionDenied)
      << refused.error().to_string();
  EXPECT_EQ(refused.error().message.find("not-the-secret-at-all"), std::string::npos);
}

}  // namespace
}  // namespace pk::dynamodb::itest
