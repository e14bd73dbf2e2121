#include "pulsar/client/connection_pool.h"

#include <fmt/format.h>

namespace pk::pulsar {
namespace asio = boost::asio;

ConnectionPool::~ConnectionPool() {
  close_all(make_error(ErrorCode::kCancelled, "client closed"));
}

asio::awaitable<Result<std::shared_ptr<Connection>>> ConnectionPool::get(std::string logical_url,
                                                                         net::Endpoint physical,
                                                                         std::string proxy_to_broker) {
  const std::string key = fmt::format("{}|{}|{}", logical_url, physical.to_string(), proxy_to_broker);
  for (;;) {
    if (closed_) co_return make_error(ErrorCode::kCancelled, "the Pulsar client is closed");
    auto& slot = entries_[key];
    if (!slot) slot = std::make_unique<Entry>();
    Entry* entry = slot.get();
    if (entry->connection && entry->connection->is_open()) co_return entry->connection;
    if (entry->connecting) {
      // Someone is dialling this broker: wait for that attempt, then use its outcome.
      const uint64_t attempt = entry->attempts;
      const auto deadline = std::chrono::steady_clock::now() + options_.connect_timeout * 2;
      co_await entry->done.wait_until(deadline);
      if (entry->attempts == attempt && entry->connecting) {
        co_return make_error(ErrorCode::kTimeout, "waiting for the connection to " + logical_url);
      }
      if (entry->connection && entry->connection->is_open()) co_return entry->connection;
      if (entry->last_error) co_return *entry->last_error;
      continue;
    }
    entry->connecting = true;
    auto connecting = Connection::connect(physical, proxy_to_broker, options_);
    auto result = co_await std::move(connecting);
    entry->connecting = false;
    ++entry->attempts;
    if (entry->connection) {
      std::erase_if(replaced_, [](const auto& c) { return c->running_tasks() == 0; });
      replaced_.push_back(std::move(entry->connection));
    }
    if (result.ok()) {
      entry->connection = *result;
      entry->last_error.reset();
    } else {
      entry->connection.reset();
      entry->last_error = result.error();
    }
    entry->done.notify_all();
    if (closed_ && result.ok()) {
      (*result)->close(make_error(ErrorCode::kCancelled, "client closed"));
      co_return make_error(ErrorCode::kCancelled, "the Pulsar client is closed");
    }
    co_return result;
  }
}

void ConnectionPool::close_all(const Error& reason) {
  closed_ = true;
  for (auto& [key, entry] : entries_) {
    if (entry->connection) entry->connection->close(reason);
  }
}

asio::awaitable<void> ConnectionPool::join() {
  std::vector<std::shared_ptr<Connection>> all = replaced_;
  for (const auto& [key, entry] : entries_) {
    if (entry->connection) all.push_back(entry->connection);
  }
  for (const auto& connection : all) co_await connection->join();
}

size_t ConnectionPool::size() const {
  size_t n = 0;
  for (const auto& [key, entry] : entries_) n += entry->connection && entry->connection->is_open() ? 1 : 0;
  return n;
}

}  // namespace pk::pulsar
