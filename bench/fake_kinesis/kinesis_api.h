#pragma once
// KinesisApi: the fake's JSON operations (HTTP/1.1, X-Amz-Target): DescribeStreamSummary, ListShards,
// GetShardIterator / GetRecords over the ShardStore (at most about 10 MiB of data a call, as AWS), PutRecords (accepted
// and counted, KPL aggregates read back and MD5-checked, so that the sink benchmark can wait for exactly N user
// records), and the enhanced fan-out consumers (Register / Describe / List / DeregisterStreamConsumer: every consumer
// is ACTIVE at once). Signatures are not checked. Owned by main; runs on the fake's one loop.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "http/types.h"
#include "kpl/deaggregator.h"
#include "shard_store.h"

namespace pk::bench {

struct ApiTotals {
  uint64_t requests = 0;  // PutRecords
  uint64_t entries = 0;
  uint64_t user_records = 0;
  uint64_t bytes = 0;  // decoded data bytes
  uint64_t bad_aggregates = 0;
  uint64_t records_read = 0;  // Kinesis records served, by GetRecords and by SubscribeToShard events
  uint64_t events = 0;        // SubscribeToShard events sent
  uint64_t subscriptions = 0;
};

// A string / number member of a request's JSON object; empty / 0 when absent or of another type.
std::string_view field_string(simdjson::dom::element object, std::string_view key);
double field_number(simdjson::dom::element object, std::string_view key);

// A JSON error answer as AWS sends it (400, __type and message).
http::Response aws_error(std::string_view type, std::string_view message);

class KinesisApi {
 public:
  KinesisApi(std::string stream, ShardStore& store);

  http::Response handle(const http::Request& request);

  const std::string& stream_arn() const { return stream_arn_; }
  bool has_consumer(std::string_view arn) const;
  ApiTotals& totals() { return totals_; }

 private:
  std::string describe() const;
  std::string list_shards() const;
  std::string stats() const;
  http::Response put_records(const std::string& body);
  http::Response get_shard_iterator(const std::string& body);
  http::Response get_records(const std::string& body);
  http::Response consumers(std::string_view operation, const std::string& body);
  std::string consumer_json(const std::string& name, bool with_stream) const;

  std::string stream_;
  std::string stream_arn_;
  ShardStore& store_;
  std::map<std::string, std::string> consumers_;  // name -> ARN
  simdjson::dom::parser parser_;
  std::string decoded_;
  std::vector<kpl::SubRecord> subs_;
  uint64_t put_sequence_ = 4'800'000'000'000'000'000ull;
  ApiTotals totals_;
};

}  // namespace pk::bench
