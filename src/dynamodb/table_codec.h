#pragma once
// DynamoDB table operations as pure functions: CreateTable (on-demand billing, one string hash key: what a
// KCL lease table is), DescribeTable (to wait for ACTIVE) and DeleteTable (tests and tools).

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace pk::dynamodb {

enum class TableStatus {
  kCreating,
  kUpdating,
  kDeleting,
  kActive,
  kInaccessibleEncryptionCredentials,
  kArchiving,
  kArchived,
  kUnknown
};
TableStatus table_status_from(std::string_view text);

struct TableDescription {
  std::string table_name;
  std::string table_arn;
  TableStatus status = TableStatus::kUnknown;
  std::string status_text;   // as sent, for messages
  std::string hash_key;      // the HASH attribute's name
  std::string billing_mode;  // PAY_PER_REQUEST / PROVISIONED; empty when not sent
  int64_t item_count = 0;
};

// {TableName, AttributeDefinitions: [{hash_key, S}], KeySchema: [{hash_key, HASH}], BillingMode: PAY_PER_REQUEST}
Result<std::string> build_create_table_body(std::string_view table, std::string_view hash_key);
Result<std::string> build_describe_table_body(std::string_view table);
Result<std::string> build_delete_table_body(std::string_view table);
// CreateTable / DeleteTable answer {"TableDescription": {...}}; DescribeTable answers {"Table": {...}}.
Result<TableDescription> parse_table_description_response(std::string_view body, std::string_view operation);

}  // namespace pk::dynamodb
