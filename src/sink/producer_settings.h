#pragma once
// What the Kinesis producer needs to know, in plain values: the sink's `configs:` keys that shape it (the KPL's
// settings, with the KPL's defaults). The app maps the config file to this; tests build it directly.

#include <chrono>
#include <cstddef>
#include <cstdint>

namespace pk::sink {

struct ProducerSettings {
  // Aggregation (aggregationEnabled, extraKinesisProducerConfig.aggregationMaxSize / aggregationMaxCount): user
  // records of one predicted shard are packed into one KPL aggregated record of at most this many bytes / records.
  bool aggregation = true;
  size_t aggregation_max_size = 51200;
  size_t aggregation_max_count = 4294967295u;
  // Collection into PutRecords (collectionMaxCount, collectionMaxSize; at most 500 entries / 5 MiB per request).
  size_t collection_max_count = 500;
  size_t collection_max_size = 5 * 1024 * 1024;
  // recordMaxBufferedTime: the longest a record waits to be packed with others before it is sent.
  std::chrono::milliseconds max_buffered_time{100};
  // rateLimit: percent of the per-shard limits (1000 records/s, 1 MiB/s); <= 0 disables the limiter.
  double rate_limit_percent = 150;
  // retainOrdering: records of one shard lane never overtake each other, even across partial failures: a request
  // carries at most one entry per lane and a lane has at most one entry in flight.
  bool retain_ordering = false;
  // recordTtl: a record not accepted this long after it arrived fails (the pipeline nacks or dead-letters it).
  std::chrono::milliseconds record_ttl{30000};
  // retryInitialDelayInMillis / retryMaxDelayInMillis: exponential backoff with jitter between attempts.
  std::chrono::milliseconds retry_initial_delay{100};
  std::chrono::milliseconds retry_max_delay{60000};
  // maxConnections: PutRecords requests in flight at once (at most: fewer while Kinesis times out, see
  // ConcurrencyLimit).
  size_t max_in_flight_requests = 24;
  // After the in-flight limit was halved, how long further failures do not halve it again (the requests already out
  // when Kinesis became slow fail together): the request timeout.
  std::chrono::milliseconds overload_cooldown{6000};
  // failIfThrottled: a throttled record fails at once instead of being retried.
  bool fail_if_throttled = false;
  // The per-record limit of Kinesis (data + partition key); a stream may have a raised limit (up to 10 MiB).
  size_t max_record_size = 1024 * 1024;
  // How often the shard map is refreshed without a reason (resharding and wrong-shard answers refresh it sooner).
  std::chrono::milliseconds shard_map_refresh_interval{std::chrono::seconds(60)};
  // The shortest time between two refreshes asked for by answers (so a burst of wrong-shard results makes one call).
  std::chrono::milliseconds shard_map_min_refresh_interval{std::chrono::seconds(1)};
};

}  // namespace pk::sink
