#include "dynamodb/client.h"

#include <fmt/format.h>

#include "net/timeout.h"

namespace pk::dynamodb {

namespace asio = boost::asio;

DynamoDbClient::DynamoDbClient(std::shared_ptr<aws::JsonClient> json, DynamoDbClientOptions options)
    : json_(std::move(json)), options_(std::move(options)) {}

Result<std::unique_ptr<DynamoDbClient>> DynamoDbClient::create(asio::any_io_executor executor,
                                                               const aws::ServiceEndpoint& endpoint,
                                                               std::shared_ptr<aws::CredentialsProvider> credentials,
                                                               DynamoDbClientOptions options) {
  PK_ASSIGN_OR_RETURN(auto json, aws::JsonClient::over_http1(std::move(executor), aws::JsonService::dynamodb(endpoint),
                                                             std::move(credentials), options.http, options.retry));
  return std::make_unique<DynamoDbClient>(std::move(json), std::move(options));
}

asio::awaitable<Result<TableDescription>> DynamoDbClient::create_table(std::string table, std::string hash_key) const {
  auto calling = json_->call_parsed("CreateTable", build_create_table_body(table, hash_key), [](std::string&& answer) {
    return parse_table_description_response(answer, "CreateTable");
  });
  co_return co_await std::move(calling);
}

asio::awaitable<Result<TableDescription>> DynamoDbClient::create_table(TableSpec spec) const {
  auto calling = json_->call_parsed("CreateTable", build_create_table_body(spec), [](std::string&& answer) {
    return parse_table_description_response(answer, "CreateTable");
  });
  co_return co_await std::move(calling);
}

asio::awaitable<Result<TableDescription>> DynamoDbClient::describe_table(std::string table) const {
  auto calling = json_->call_parsed("DescribeTable", build_describe_table_body(table), [](std::string&& answer) {
    return parse_table_description_response(answer, "DescribeTable");
  });
  co_return co_await std::move(calling);
}

asio::awaitable<Result<TableDescription>> DynamoDbClient::wait_for_table_active(std::string table) const {
  const auto deadline = std::chrono::steady_clock::now() + options_.wait_timeout;
  for (;;) {
    auto describing = describe_table(table);
    auto description = co_await std::move(describing);
    if (!description.ok()) co_return std::move(description).error();
    if (description->status == TableStatus::kActive) co_return std::move(*description);
    if (std::chrono::steady_clock::now() >= deadline) {
      co_return make_error(ErrorCode::kTimeout, fmt::format("DynamoDB table {} is still {} after {} ms", table,
                                                            description->status_text, options_.wait_timeout.count()));
    }
    const bool slept = co_await net::sleep(options_.wait_interval);
    if (!slept)
      co_return make_error(ErrorCode::kCancelled, fmt::format("waiting for DynamoDB table {}: cancelled", table));
  }
}

asio::awaitable<Status> DynamoDbClient::delete_table(std::string table) const {
  auto calling =
      json_->call_parsed("DeleteTable", build_delete_table_body(table), [](std::string&&) { return ok_status(); });
  co_return co_await std::move(calling);
}

asio::awaitable<Result<std::optional<Item>>> DynamoDbClient::get_item(GetItemRequest request) const {
  auto calling = json_->call_parsed("GetItem", build_get_item_body(request),
                                    [](std::string&& answer) { return parse_get_item_response(answer); });
  co_return co_await std::move(calling);
}

asio::awaitable<Result<Item>> DynamoDbClient::put_item(PutItemRequest request) const {
  auto calling = json_->call_parsed("PutItem", build_put_item_body(request),
                                    [](std::string&& answer) { return parse_write_item_response(answer, "PutItem"); });
  co_return co_await std::move(calling);
}

asio::awaitable<Result<Item>> DynamoDbClient::update_item(UpdateItemRequest request) const {
  auto calling = json_->call_parsed("UpdateItem", build_update_item_body(request), [](std::string&& answer) {
    return parse_write_item_response(answer, "UpdateItem");
  });
  co_return co_await std::move(calling);
}

asio::awaitable<Result<Item>> DynamoDbClient::delete_item(DeleteItemRequest request) const {
  auto calling = json_->call_parsed("DeleteItem", build_delete_item_body(request), [](std::string&& answer) {
    return parse_write_item_response(answer, "DeleteItem");
  });
  co_return co_await std::move(calling);
}

asio::awaitable<Result<ScanPage>> DynamoDbClient::scan_page(ScanRequest request) const {
  auto calling = json_->call_parsed("Scan", build_scan_body(request),
                                    [](std::string&& answer) { return parse_scan_response(answer); });
  co_return co_await std::move(calling);
}

asio::awaitable<Result<std::vector<Item>>> DynamoDbClient::scan(ScanRequest request) const {
  ScanRequest next = std::move(request);
  std::vector<Item> items;
  for (;;) {
    auto scanning = scan_page(next);
    auto page = co_await std::move(scanning);
    if (!page.ok()) co_return std::move(page).error();
    for (Item& item : page->items) items.push_back(std::move(item));
    if (!page->last_evaluated_key) co_return items;
    next.exclusive_start_key = std::move(page->last_evaluated_key);
  }
}

}  // namespace pk::dynamodb
