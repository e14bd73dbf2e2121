#include "kcl/lease_table.h"

#include <algorithm>

#include <fmt/format.h>

#include "common/log.h"
#include "kcl/lease_codec.h"
#include "kcl/lease_requests.h"
#include "net/timeout.h"

namespace pk::kcl {

namespace asio = boost::asio;

namespace {

bool condition_failed(const Error& e) {
  return e.code == ErrorCode::kConflict && e.type == "ConditionalCheckFailedException";
}

// Tries `make()` (a fresh awaitable each time) up to `options.num_retries` times while it fails with a retryable
// error, `options.backoff_time` apart.
template <typename T, typename Make>
asio::awaitable<Result<T>> with_retries(LeaseTableOptions options, Make make) {
  for (int attempt = 1;; ++attempt) {
    auto calling = make();
    Result<T> result = co_await std::move(calling);
    if (result.ok() || !result.error().retryable() || attempt >= std::max(1, options.num_retries)) co_return result;
    logger("kcl")->warn("{} (attempt {} of {}); retrying in {} ms", result.error().to_string(), attempt,
                        options.num_retries, options.backoff_time.count());
    const bool slept = co_await net::sleep(options.backoff_time);
    if (!slept) co_return make_error(ErrorCode::kCancelled, "lease table: retry cancelled");
  }
}

Result<Lease> lease_of(const dynamodb::Item& item, std::string_view operation) {
  auto lease = lease_from_item(item);
  if (!lease.ok()) return std::move(lease).error().with_context(operation);
  if (!*lease) return make_error(ErrorCode::kMalformedInput, fmt::format("{}: the item is not a lease", operation));
  return std::move(**lease);
}

}  // namespace

LeaseTable::LeaseTable(std::shared_ptr<dynamodb::DynamoDbClient> client, std::string table, LeaseTableOptions options)
    : client_(std::move(client)), table_(std::move(table)), options_(options) {}

dynamodb::TableSpec LeaseTable::table_spec(std::string table) {
  return dynamodb::TableSpec{
      std::move(table),
      "leaseKey",
      {{std::string(kLeaseOwnerIndex), "leaseOwner", "leaseKey", dynamodb::Projection::kKeysOnly}}};
}

asio::awaitable<Result<dynamodb::TableDescription>> LeaseTable::create_if_missing() const {
  auto describing = client_->describe_table(table_);
  auto described = co_await std::move(describing);
  if (described.ok() && described->status == dynamodb::TableStatus::kActive) co_return described;
  if (!described.ok() && described.error().code != ErrorCode::kNotFound) {
    co_return std::move(described).error().with_context(fmt::format("lease table {}", table_));
  }
  if (!described.ok()) {
    auto creating = client_->create_table(table_spec(table_));
    auto created = co_await std::move(creating);
    if (!created.ok() && created.error().type != "ResourceInUseException") {  // in use: created by someone else
      co_return std::move(created).error().with_context(fmt::format("creating lease table {}", table_));
    }
    if (created.ok()) logger("kcl")->info("created lease table {} (KCL layout, {})", table_, kLeaseOwnerIndex);
  }
  auto waiting = client_->wait_for_table_active(table_);
  co_return co_await std::move(waiting);
}

asio::awaitable<Result<LeaseList>> LeaseTable::list() const {
  dynamodb::ScanRequest request;
  request.table = table_;
  request.consistent_read = true;
  auto scanning = with_retries<std::vector<dynamodb::Item>>(options_, [&] { return client_->scan(request); });
  auto items = co_await std::move(scanning);
  if (!items.ok()) co_return std::move(items).error().with_context(fmt::format("listing leases of {}", table_));
  LeaseList list;
  for (const dynamodb::Item& item : *items) {
    auto lease = lease_from_item(item);
    if (!lease.ok()) {
      list.unreadable.push_back(lease.error().message);
    } else if (*lease) {
      list.leases.push_back(std::move(**lease));
    }
  }
  co_return list;
}

asio::awaitable<Result<std::optional<Lease>>> LeaseTable::get(kinesis::ShardId key) const {
  dynamodb::GetItemRequest request{table_, lease_key_item(key), true, {}, {}};
  auto getting = with_retries<std::optional<dynamodb::Item>>(options_, [&] { return client_->get_item(request); });
  auto item = co_await std::move(getting);
  if (!item.ok()) co_return std::move(item).error().with_context(fmt::format("reading lease {}", key.str()));
  if (!*item) co_return std::optional<Lease>();
  auto lease = lease_from_item(**item);
  if (!lease.ok()) co_return std::move(lease).error();
  co_return std::move(*lease);
}

asio::awaitable<Result<bool>> LeaseTable::create(Lease lease) const {
  const dynamodb::PutItemRequest request = create_lease_request(table_, lease);
  auto putting = with_retries<dynamodb::Item>(options_, [&] { return client_->put_item(request); });
  auto put = co_await std::move(putting);
  if (put.ok()) co_return true;
  if (condition_failed(put.error())) co_return false;
  co_return std::move(put).error().with_context(fmt::format("creating lease {}", lease.key.str()));
}

asio::awaitable<Result<LeaseWrite>> LeaseTable::conditional_update(kinesis::ShardId key,
                                                                   dynamodb::UpdateItemRequest request,
                                                                   std::string operation, Applied applied,
                                                                   int attempts) const {
  LeaseTableOptions options = options_;
  options.num_retries = attempts;
  auto updating = with_retries<dynamodb::Item>(options, [&] { return client_->update_item(request); });
  auto updated = co_await std::move(updating);
  if (updated.ok()) {
    auto lease = lease_of(*updated, operation);
    if (!lease.ok()) co_return std::move(lease).error();
    co_return LeaseWrite{WriteOutcome::kApplied, std::move(*lease)};
  }
  if (!condition_failed(updated.error())) {
    co_return std::move(updated).error().with_context(fmt::format("{} lease {}", operation, key.str()));
  }
  // Lost, or applied by an attempt whose answer was lost: the item tells.
  auto reading = get(key);
  auto now = co_await std::move(reading);
  if (!now.ok()) co_return LeaseWrite{WriteOutcome::kLost, std::nullopt};
  if (*now && applied(**now)) {
    logger("kcl")->info("{} lease {}: the condition failed on a retry of a write that had been applied", operation,
                        key.str());
    co_return LeaseWrite{WriteOutcome::kApplied, std::move(*now)};
  }
  co_return LeaseWrite{WriteOutcome::kLost, std::move(*now)};
}

asio::awaitable<Result<LeaseWrite>> LeaseTable::renew(Lease lease) const {
  const int64_t next = lease.counter + 1;
  const std::optional<WorkerId> owner = lease.owner;
  auto renewing = conditional_update(
      lease.key, renew_lease_request(table_, lease), "renewing",
      [next, owner](const Lease& now) { return now.counter == next && now.owner == owner; }, 1);
  co_return co_await std::move(renewing);
}

asio::awaitable<Result<LeaseWrite>> LeaseTable::take(Lease lease, WorkerId worker) const {
  const int64_t next = lease.counter + 1;
  auto taking = conditional_update(
      lease.key, take_lease_request(table_, lease, worker), "taking",
      [next, worker](const Lease& now) { return now.counter == next && now.owner == worker; }, options_.num_retries);
  co_return co_await std::move(taking);
}

asio::awaitable<Result<LeaseWrite>> LeaseTable::release(Lease lease) const {
  const int64_t next = lease.counter + 1;
  auto releasing = conditional_update(
      lease.key, release_lease_request(table_, lease), "releasing",
      [next](const Lease& now) { return now.counter == next && !now.owner; }, options_.num_retries);
  co_return co_await std::move(releasing);
}

asio::awaitable<Result<LeaseWrite>> LeaseTable::checkpoint(Lease lease, ExtendedSequenceNumber position,
                                                           std::optional<uint64_t> record_count) const {
  const int64_t next = lease.counter + 1;
  const std::optional<WorkerId> owner = lease.owner;
  auto writing = conditional_update(
      lease.key, checkpoint_lease_request(table_, lease, position, record_count), "checkpointing",
      [next, owner, position](const Lease& now) {
        return now.counter == next && now.owner == owner && now.checkpoint == position;
      },
      options_.num_retries);
  co_return co_await std::move(writing);
}

asio::awaitable<Result<bool>> LeaseTable::set_child_shards(kinesis::ShardId key,
                                                           std::vector<kinesis::ShardId> children) const {
  const dynamodb::UpdateItemRequest request = set_child_shards_request(table_, key, children);
  auto updating = with_retries<dynamodb::Item>(options_, [&] { return client_->update_item(request); });
  auto updated = co_await std::move(updating);
  if (updated.ok()) co_return true;
  if (condition_failed(updated.error())) co_return false;
  co_return std::move(updated).error().with_context(fmt::format("recording the children of lease {}", key.str()));
}

asio::awaitable<Result<bool>> LeaseTable::delete_finished(kinesis::ShardId key) const {
  const dynamodb::DeleteItemRequest request = delete_finished_lease_request(table_, key);
  auto deleting = with_retries<dynamodb::Item>(options_, [&] { return client_->delete_item(request); });
  auto deleted = co_await std::move(deleting);
  if (deleted.ok()) co_return true;
  if (condition_failed(deleted.error())) co_return false;
  co_return std::move(deleted).error().with_context(fmt::format("deleting finished lease {}", key.str()));
}

}  // namespace pk::kcl
