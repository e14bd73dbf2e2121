#pragma once
// What the fake stream's records are: a backlog put in at start-up (the throughput benchmark), or records arriving
// at a steady rate (the latency benchmark), each starting with its arrival time so that whoever reads it back from
// Pulsar can tell how long it took. User record i is keyed "key-<i % 1000>"; records go to the shard their key
// hashes to. Free functions over the ShardStore, on the fake's loop.

#include <cstddef>
#include <cstdint>

#include <boost/asio/awaitable.hpp>

#include "shard_store.h"

namespace pk::bench {

// `records` user records of `size` bytes, put now; with aggregate K > 1, K user records per KPL aggregate (per
// shard; the last aggregate of a shard may hold fewer).
void prefill(ShardStore& store, uint64_t records, size_t size, size_t aggregate);

// `records` plain user records of `size` bytes (at least 8) arriving at `rate` per second from now. Each one's first
// 8 bytes are its arrival time: nanoseconds since the Unix epoch, little-endian.
boost::asio::awaitable<void> arrive_steadily(ShardStore& store, uint64_t records, size_t size, double rate);

}  // namespace pk::bench
