#pragma once
// DynamoDB table operations as pure functions: CreateTable (on-demand billing, one string hash key, optional
// global secondary indexes with string keys: what a KCL lease table is), DescribeTable (to wait for ACTIVE) and
// DeleteTable (tests and tools).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

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

enum class Projection { kKeysOnly, kAll };
std::string_view to_string(Projection projection);  // "KEYS_ONLY", "ALL"

// A global secondary index whose key attributes are strings (range key optional).
struct GlobalSecondaryIndexSpec {
  std::string name;
  std::string hash_key;
  std::string range_key;  // empty: none
  Projection projection = Projection::kKeysOnly;
};

// What CreateTable makes: PAY_PER_REQUEST, a string hash key and the indexes (attribute definitions follow from
// the key attributes, all of type S).
struct TableSpec {
  std::string table;
  std::string hash_key;
  std::vector<GlobalSecondaryIndexSpec> global_secondary_indexes;
};

struct IndexDescription {
  std::string name;
  std::string status_text;  // CREATING, ACTIVE, ... as sent
  std::string hash_key;
  std::string range_key;
  std::string projection_type;
};

struct TableDescription {
  std::string table_name;
  std::string table_arn;
  TableStatus status = TableStatus::kUnknown;
  std::string status_text;   // as sent, for messages
  std::string hash_key;      // the HASH attribute's name
  std::string billing_mode;  // PAY_PER_REQUEST / PROVISIONED; empty when not sent
  int64_t item_count = 0;
  std::vector<IndexDescription> global_secondary_indexes;

  const IndexDescription* index(std::string_view name) const;
};

// {TableName, AttributeDefinitions: [{hash_key, S}], KeySchema: [{hash_key, HASH}], BillingMode: PAY_PER_REQUEST}
Result<std::string> build_create_table_body(std::string_view table, std::string_view hash_key);
// The same with GlobalSecondaryIndexes (each {IndexName, KeySchema, Projection: {ProjectionType}}) and their key
// attributes in AttributeDefinitions (each name once).
Result<std::string> build_create_table_body(const TableSpec& spec);
Result<std::string> build_describe_table_body(std::string_view table);
Result<std::string> build_delete_table_body(std::string_view table);
// CreateTable / DeleteTable answer {"TableDescription": {...}}; DescribeTable answers {"Table": {...}}.
Result<TableDescription> parse_table_description_response(std::string_view body, std::string_view operation);

}  // namespace pk::dynamodb
