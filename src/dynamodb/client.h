#pragma once
// The DynamoDB API client for the lease table: each operation builds its body with the pure codecs, sends it
// through the aws module's JsonClient (SigV4, retries of throttling and transient errors) and parses the answer.
// A condition that did not hold comes back as an Error with code kConflict and type
// "ConditionalCheckFailedException" (the lease was taken or renewed by someone else): never retried here.
//
//   auto client = DynamoDbClient::create(executor, endpoint, credentials);
//   auto updating = (*client)->update_item(request);             // GCC 12 rule: awaitable in its own statement
//   Result<Item> updated = co_await std::move(updating);
//
// Arguments are taken by value (a coroutine starts when awaited, after the caller's temporaries are gone).
// Thread-safe: one client may serve callers on every loop.

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "aws/credentials.h"
#include "aws/endpoints.h"
#include "aws/json_client.h"
#include "aws/retry_policy.h"
#include "common/result.h"
#include "dynamodb/item_ops_codec.h"
#include "dynamodb/table_codec.h"
#include "http/types.h"

namespace pk::dynamodb {

struct DynamoDbClientOptions {
  http::ClientOptions http;
  aws::RetryOptions retry;
  // wait_for_table_active polls every `wait_interval` until ACTIVE or `wait_timeout` passed.
  std::chrono::milliseconds wait_interval{1000};
  std::chrono::milliseconds wait_timeout{std::chrono::minutes(5)};
};

class DynamoDbClient {
 public:
  DynamoDbClient(std::shared_ptr<aws::JsonClient> json, DynamoDbClientOptions options);

  // An HTTP/1.1 pool on `executor` for `endpoint`, and the client on it.
  static Result<std::unique_ptr<DynamoDbClient>> create(boost::asio::any_io_executor executor,
                                                        const aws::ServiceEndpoint& endpoint,
                                                        std::shared_ptr<aws::CredentialsProvider> credentials,
                                                        DynamoDbClientOptions options = {});

  // ---- tables ----
  // PAY_PER_REQUEST, one string hash key.
  boost::asio::awaitable<Result<TableDescription>> create_table(std::string table, std::string hash_key) const;
  // PAY_PER_REQUEST, the spec's hash key and global secondary indexes.
  boost::asio::awaitable<Result<TableDescription>> create_table(TableSpec spec) const;
  boost::asio::awaitable<Result<TableDescription>> describe_table(std::string table) const;
  boost::asio::awaitable<Result<TableDescription>> wait_for_table_active(std::string table) const;
  boost::asio::awaitable<Status> delete_table(std::string table) const;

  // ---- items ----
  // The item, or nullopt when there is none.
  boost::asio::awaitable<Result<std::optional<Item>>> get_item(GetItemRequest request) const;
  // The three writes return the attributes ReturnValues asked for (empty otherwise).
  boost::asio::awaitable<Result<Item>> put_item(PutItemRequest request) const;
  boost::asio::awaitable<Result<Item>> update_item(UpdateItemRequest request) const;
  boost::asio::awaitable<Result<Item>> delete_item(DeleteItemRequest request) const;
  // One page; continue with request.exclusive_start_key = page.last_evaluated_key.
  boost::asio::awaitable<Result<ScanPage>> scan_page(ScanRequest request) const;
  // Every page of a scan (the request's exclusive_start_key is where it starts).
  boost::asio::awaitable<Result<std::vector<Item>>> scan(ScanRequest request) const;

  const aws::JsonClient& json() const { return *json_; }

 private:
  std::shared_ptr<aws::JsonClient> json_;
  DynamoDbClientOptions options_;
};

}  // namespace pk::dynamodb
