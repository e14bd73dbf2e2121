#include "record_feed.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "kpl/aggregator.h"

namespace pk::bench {

namespace asio = boost::asio;

namespace {

std::string feed_key(uint64_t i) {
  return fmt::format("key-{}", i % 1000);
}

kinesis::Timestamp now_ms() {
  return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
}

}  // namespace

void prefill(ShardStore& store, uint64_t records, size_t size, size_t aggregate) {
  const kinesis::Timestamp arrival = now_ms();
  std::vector<kpl::Aggregator> open(store.shard_count());
  std::vector<std::string> open_key(store.shard_count());
  std::string data(size, 'x');
  std::string blob;
  for (uint64_t i = 0; i < records; ++i) {
    const std::string key = feed_key(i);
    for (size_t b = 0; b < std::min<size_t>(size, 8); ++b) data[b] = static_cast<char>('0' + (i >> (4 * b)) % 16);
    if (aggregate <= 1) {
      store.append(key, data, arrival);
      continue;
    }
    const size_t shard = store.shard_of(kinesis::HashKey::of_partition_key(key));
    if (open[shard].empty()) open_key[shard] = key;
    open[shard].add(key, std::nullopt, data);
    if (open[shard].count() == aggregate) {
      open[shard].finish(blob);
      store.append(open_key[shard], blob, arrival);
    }
  }
  for (size_t shard = 0; shard < open.size(); ++shard) {
    if (open[shard].empty()) continue;
    open[shard].finish(blob);
    store.append(open_key[shard], blob, arrival);
  }
}

asio::awaitable<void> arrive_steadily(ShardStore& store, uint64_t records, size_t size, double rate) {
  auto executor = co_await asio::this_coro::executor;
  asio::steady_timer timer(executor);
  std::string data(std::max<size_t>(size, 8), 'x');
  const auto start = std::chrono::steady_clock::now();
  uint64_t produced = 0;
  while (produced < records) {
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const uint64_t due = std::min<uint64_t>(records, static_cast<uint64_t>(elapsed * rate) + 1);
    for (; produced < due; ++produced) {
      const auto now = std::chrono::system_clock::now();
      const uint64_t nanos =
          static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(now.time_since_epoch()).count());
      for (int b = 0; b < 8; ++b) data[static_cast<size_t>(b)] = static_cast<char>((nanos >> (8 * b)) & 0xff);
      store.append(feed_key(produced), data, std::chrono::time_point_cast<std::chrono::milliseconds>(now));
    }
    // The next record is due at produced / rate seconds.
    timer.expires_at(start + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                 std::chrono::duration<double>(static_cast<double>(produced) / rate)));
    co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
  }
}

}  // namespace pk::bench
