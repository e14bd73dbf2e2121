#pragma once
// A fixture for the DynamoDB integration tests: a DynamoDbClient on moto (signatures verified) and one fresh
// table per test, keyed by the string attribute "leaseKey" (what a KCL lease table is), deleted afterwards.

#include <memory>
#include <random>
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "aws/endpoints.h"
#include "aws/static_credentials_provider.h"
#include "dynamodb/client.h"
#include "support/async_test.h"
#include "support/server_env.h"

namespace pk::dynamodb::itest {

using namespace std::chrono_literals;
using pk::testing::run_coroutine;

inline std::string unique_table_name(std::string_view prefix) {
  std::random_device rd;
  return fmt::format("{}-{}", prefix, rd() % 1000000000);
}

// A client on moto, or on `endpoint_url` (a proxy in front of moto), with short waits and retry delays.
inline std::unique_ptr<DynamoDbClient> make_moto_client(std::string endpoint_url = {},
                                                        DynamoDbClientOptions options = {}) {
  if (endpoint_url.empty()) endpoint_url = pk::testing::server_env("PK_MOTO_ENDPOINT");
  auto endpoint = aws::resolve_endpoint({"dynamodb", "us-east-1", endpoint_url, std::nullopt});
  EXPECT_TRUE(endpoint.ok()) << endpoint.error().to_string();
  if (!endpoint.ok()) return nullptr;
  auto credentials = std::make_shared<aws::StaticCredentialsProvider>(
      aws::Credentials{pk::testing::server_env("PK_MOTO_ACCESS_KEY_ID"),
                       pk::testing::server_env("PK_MOTO_SECRET_ACCESS_KEY"), "", std::nullopt});
  options.wait_interval = 100ms;
  options.wait_timeout = 30s;
  options.retry.initial_delay = 10ms;
  auto client = DynamoDbClient::create(pk::testing::coroutine_loop().get_executor(), *endpoint, credentials, options);
  EXPECT_TRUE(client.ok()) << client.error().to_string();
  return client.ok() ? std::move(*client) : nullptr;
}

class MotoTable : public ::testing::Test {
 protected:
  void SetUp() override {
    client_ = make_moto_client();
    ASSERT_NE(client_, nullptr);
    table_ = unique_table_name("pk-ddb-it");
    auto created = run_coroutine<Result<TableDescription>>([&] { return client_->create_table(table_, "leaseKey"); });
    ASSERT_TRUE(created.ok()) << created.error().to_string();
    EXPECT_EQ(created->table_name, table_);
    EXPECT_EQ(created->hash_key, "leaseKey");
    auto active = run_coroutine<Result<TableDescription>>([&] { return client_->wait_for_table_active(table_); });
    ASSERT_TRUE(active.ok()) << active.error().to_string();
    EXPECT_EQ(active->status, TableStatus::kActive);
  }
  void TearDown() override {
    if (client_ && !table_.empty()) {
      auto deleted = run_coroutine<Status>([&] { return client_->delete_table(table_); });
      EXPECT_TRUE(deleted.ok()) << deleted.error().to_string();
    }
  }

  static Item key_of(const std::string& lease_key) { return Item{{"leaseKey", AttributeValue::s(lease_key)}}; }

  Result<Item> put(Item item, std::string condition = {}) {
    PutItemRequest request{table_, std::move(item), std::move(condition), {}, ReturnValues::kNone};
    return run_coroutine<Result<Item>>([&] { return client_->put_item(request); });
  }
  Result<std::optional<Item>> get(const std::string& lease_key) {
    GetItemRequest request{table_, key_of(lease_key), true, {}, {}};
    return run_coroutine<Result<std::optional<Item>>>([&] { return client_->get_item(request); });
  }

  std::unique_ptr<DynamoDbClient> client_;
  std::string table_;
};

}  // namespace pk::dynamodb::itest
