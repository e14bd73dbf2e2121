#pragma once
// The lease table in DynamoDB, as the Java KCL 3.1.2 keeps it (docs/leases.md): creation with the KCL's layout,
// listing, and the conditional writes of kcl/lease_requests.h. A write whose condition did not hold comes back as
// WriteOutcome::kLost (someone else wrote the lease: we lost the race, or the lease). Because the DynamoDB client
// retries lost connections by itself, a write may have been applied by an earlier attempt and then fail its
// condition on the retry; so after a failed condition the lease is read back, and if it is exactly what our write
// would have made, the write counts as applied (the KCL does the same for renewals).
//
// Throttling and transient errors: the DynamoDB client already retries them (its RetryOptions); on top of that
// every call but renew() is tried up to num_retries times in all, backoff_time apart (the Java connector's
// numRetries / backoffTime). renew() is tried once: the renewer's next round is its retry, and its deadline does
// not wait for backoffs.
//
// Arguments are taken by value (coroutines). Stateless apart from its configuration: may be shared by coroutines
// on any loop (the DynamoDB client is thread-safe).

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "common/result.h"
#include "dynamodb/client.h"
#include "kcl/lease.h"

namespace pk::kcl {

inline constexpr std::string_view kLeaseOwnerIndex = "LeaseOwnerToLeaseKeyIndex";

struct LeaseTableOptions {
  int num_retries = 3;                           // attempts in all for throttled / transient errors (>= 1)
  std::chrono::milliseconds backoff_time{3000};  // between them
};

enum class WriteOutcome { kApplied, kLost };

struct LeaseWrite {
  WriteOutcome outcome = WriteOutcome::kLost;
  // kApplied: the lease as the write left it. kLost: the lease as it is now (nullopt when it is gone or could not
  // be read back).
  std::optional<Lease> lease;

  bool applied() const { return outcome == WriteOutcome::kApplied; }
};

struct LeaseList {
  std::vector<Lease> leases;
  std::vector<std::string> unreadable;  // items that are not valid leases: "<key>: <error>" (left alone)
};

class LeaseTable {
 public:
  LeaseTable(std::shared_ptr<dynamodb::DynamoDbClient> client, std::string table, LeaseTableOptions options = {});

  // What the KCL creates: hash key leaseKey (S), PAY_PER_REQUEST, and the global secondary index
  // LeaseOwnerToLeaseKeyIndex (leaseOwner HASH, leaseKey RANGE, KEYS_ONLY) that KCL 3 adds right after.
  static dynamodb::TableSpec table_spec(std::string table);

  const std::string& name() const { return table_; }

  // Creates the table when there is none (a concurrent creation by another worker is fine) and waits until it is
  // ACTIVE. An existing table is used as it is.
  boost::asio::awaitable<Result<dynamodb::TableDescription>> create_if_missing() const;

  // Every lease (a consistent, paginated scan); items of other entities are skipped, unreadable ones reported.
  boost::asio::awaitable<Result<LeaseList>> list() const;
  boost::asio::awaitable<Result<std::optional<Lease>>> get(kinesis::ShardId key) const;

  // True when created, false when a lease with that key exists already.
  boost::asio::awaitable<Result<bool>> create(Lease lease) const;
  boost::asio::awaitable<Result<LeaseWrite>> renew(Lease lease) const;
  boost::asio::awaitable<Result<LeaseWrite>> take(Lease lease, WorkerId worker) const;
  boost::asio::awaitable<Result<LeaseWrite>> release(Lease lease) const;
  // `lease` as last seen by its holder (its counter and owner are the condition).
  boost::asio::awaitable<Result<LeaseWrite>> checkpoint(Lease lease, ExtendedSequenceNumber position,
                                                        std::optional<uint64_t> record_count) const;
  // False when the lease is gone.
  boost::asio::awaitable<Result<bool>> set_child_shards(kinesis::ShardId key,
                                                        std::vector<kinesis::ShardId> children) const;
  // Deletes a finished lease; false when it is gone already or not at SHARD_END.
  boost::asio::awaitable<Result<bool>> delete_finished(kinesis::ShardId key) const;

 private:
  // What the item must look like, read back after a failed condition, for our write to count as applied.
  using Applied = std::function<bool(const Lease& now)>;
  boost::asio::awaitable<Result<LeaseWrite>> conditional_update(kinesis::ShardId key,
                                                                dynamodb::UpdateItemRequest request,
                                                                std::string operation, Applied applied,
                                                                int attempts) const;

  std::shared_ptr<dynamodb::DynamoDbClient> client_;
  std::string table_;
  LeaseTableOptions options_;
};

}  // namespace pk::kcl
