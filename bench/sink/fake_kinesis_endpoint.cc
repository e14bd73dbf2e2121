// fake_kinesis_endpoint: the smallest Kinesis the sink can write to, for measuring the sink alone (kinesis-mock
// takes 0.5-1 s per 500-record request, moto about 40 ms; neither is a ceiling worth measuring against).
//
//   fake_kinesis_endpoint --port 0 --shards 64 [--stream bench] [--records N --size B [--aggregate K]]
//     prints "listening on http://127.0.0.1:<port>" once ready; GET /stats answers the totals as JSON
//
// With --records, the stream also holds N user records of B bytes to read (the source benchmark): spread over the
// shards, keyed "key-<i % 1000>", put at start-up time; with --aggregate K, K user records per KPL aggregate.
// GetShardIterator / GetRecords (Limit respected, NextShardIterator, MillisBehindLatest) serve them; an iterator
// past the last record answers empty pages, as an idle open shard does.
//
// It answers DescribeStreamSummary, ListShards (N shards of equal hash ranges, all open) and PutRecords: every entry
// is accepted on the shard its explicit hash key or MD5(partition key) falls in, with increasing sequence numbers.
// It counts requests, entries, bytes and user records (KPL aggregates are read back and MD5-checked), so a benchmark
// can wait until exactly N user records arrived. Signatures are not checked. One thread; its CPU is not ours.

#include <atomic>
#include <csignal>
#include <cstdio>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <simdjson.h>
#include <CLI/CLI.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include "common/base64.h"
#include "http/http_server.h"
#include "kinesis/hash_key.h"
#include "kinesis/request_json.h"
#include "kpl/aggregator.h"
#include "kpl/deaggregator.h"

namespace {

using pk::kinesis::HashKey;

struct Totals {
  uint64_t requests = 0;
  uint64_t entries = 0;
  uint64_t user_records = 0;
  uint64_t bytes = 0;  // decoded data bytes
  uint64_t bad_aggregates = 0;
  uint64_t records_read = 0;  // Kinesis records served by GetRecords
};

// The records one shard holds for reading: the JSON text of each (ready to splice into a GetRecords answer).
struct ShardRecords {
  std::vector<std::string> json;
};

class Endpoint {
 public:
  Endpoint(std::string stream, int shards) : stream_(std::move(stream)) {
    const pk::kinesis::uint128 step = HashKey::max().value() / static_cast<unsigned>(shards);
    for (int i = 0; i < shards; ++i) {
      starts_.push_back(HashKey(step * static_cast<unsigned>(i)));
      ends_.push_back(i + 1 == shards ? HashKey::max() : HashKey(step * static_cast<unsigned>(i + 1) - 1));
      ids_.push_back(fmt::format("shardId-{:012}", i));
    }
  }

  // Fills the shards with `records` user records of `size` bytes (K per aggregate when `aggregate` > 1).
  void fill(uint64_t records, size_t size, size_t aggregate) {
    shards_.resize(ids_.size());
    const std::string arrival = pk::kinesis::epoch_seconds_text(
        std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now()));
    std::vector<pk::kpl::Aggregator> open(ids_.size());
    std::vector<std::string> open_key(ids_.size());
    uint64_t sequence = 49000000000000000ull;
    auto emit = [&](size_t shard, std::string_view key, std::string_view data) {
      std::string encoded(pk::base64_encoded_size(data.size()), '\0');
      pk::base64_encode_to(data, encoded.data());
      shards_[shard].json.push_back(
          fmt::format(R"({{"SequenceNumber":"{}","ApproximateArrivalTimestamp":{},"Data":"{}","PartitionKey":"{}",)"
                      R"("EncryptionType":"NONE"}})",
                      ++sequence, arrival, encoded, key));
    };
    std::string data(size, 'x');
    std::string blob;
    for (uint64_t i = 0; i < records; ++i) {
      const std::string key = fmt::format("key-{}", i % 1000);
      for (size_t b = 0; b < std::min<size_t>(size, 8); ++b) data[b] = static_cast<char>('0' + (i >> (4 * b)) % 16);
      const size_t shard = shard_of(HashKey::of_partition_key(key));
      if (aggregate <= 1) {
        emit(shard, key, data);
        continue;
      }
      if (open[shard].empty()) open_key[shard] = key;
      open[shard].add(key, std::nullopt, data);
      if (open[shard].count() == aggregate) {
        open[shard].finish(blob);
        emit(shard, open_key[shard], blob);
      }
    }
    for (size_t shard = 0; shard < open.size(); ++shard) {
      if (open[shard].empty()) continue;
      open[shard].finish(blob);
      emit(shard, open_key[shard], blob);
    }
  }

  pk::http::Response handle(const pk::http::Request& request) {
    if (request.method == "GET") return json(stats());
    const std::string_view target = request.header("X-Amz-Target");
    if (target == "Kinesis_20131202.PutRecords") return put_records(request.body);
    if (target == "Kinesis_20131202.ListShards") return json(list_shards());
    if (target == "Kinesis_20131202.DescribeStreamSummary") return json(describe());
    if (target == "Kinesis_20131202.GetShardIterator") return get_shard_iterator(request.body);
    if (target == "Kinesis_20131202.GetRecords") return get_records(request.body);
    return pk::http::Response{400, {}, R"({"__type":"UnknownOperationException","message":"not in the fake"})"};
  }

 private:
  static pk::http::Response json(std::string body) {
    pk::http::Response r;
    r.status = 200;
    r.headers.push_back({"Content-Type", "application/x-amz-json-1.1"});
    r.body = std::move(body);
    return r;
  }

  std::string stats() const {
    return fmt::format(
        R"({{"requests":{},"entries":{},"user_records":{},"bytes":{},"bad_aggregates":{},"records_read":{}}})",
        totals_.requests, totals_.entries, totals_.user_records, totals_.bytes, totals_.bad_aggregates,
        totals_.records_read);
  }

  std::string describe() const {
    return fmt::format(R"({{"StreamDescriptionSummary":{{"StreamName":"{0}","StreamARN":"arn:aws:kinesis:us-east-1:)"
                       R"(000000000000:stream/{0}","StreamStatus":"ACTIVE","OpenShardCount":{1},)"
                       R"("RetentionPeriodHours":24,"StreamCreationTimestamp":1700000000,"EnhancedMonitoring":[],)"
                       R"("EncryptionType":"NONE","ConsumerCount":0}}}})",
                       stream_, ids_.size());
  }

  std::string list_shards() const {
    std::string out = R"({"Shards":[)";
    for (size_t i = 0; i < ids_.size(); ++i) {
      if (i) out += ',';
      out += fmt::format(R"({{"ShardId":"{}","HashKeyRange":{{"StartingHashKey":"{}","EndingHashKey":"{}"}},)"
                         R"("SequenceNumberRange":{{"StartingSequenceNumber":"1"}}}})",
                         ids_[i], starts_[i].to_string(), ends_[i].to_string());
    }
    return out + "]}";
  }

  size_t shard_of(HashKey key) const {
    size_t lo = 0, hi = starts_.size();
    while (hi - lo > 1) {
      const size_t mid = (lo + hi) / 2;
      if (starts_[mid] <= key)
        lo = mid;
      else
        hi = mid;
    }
    return lo;
  }

  pk::http::Response put_records(const std::string& body) {
    ++totals_.requests;
    simdjson::padded_string padded(body);
    simdjson::dom::element doc;
    if (parser_.parse(padded).get(doc) != simdjson::SUCCESS) {
      return pk::http::Response{400, {}, R"({"__type":"SerializationException","message":"bad JSON"})"};
    }
    std::string out = R"({"FailedRecordCount":0,"Records":[)";
    bool first = true;
    for (simdjson::dom::element record : doc["Records"].get_array()) {
      std::string_view key = record["PartitionKey"].get_string().value();
      std::string_view data = record["Data"].get_string().value();
      std::string_view explicit_hash;
      const bool has_ehk = record["ExplicitHashKey"].get_string().get(explicit_hash) == simdjson::SUCCESS;
      const HashKey hash = has_ehk ? HashKey::parse(explicit_hash).value() : HashKey::of_partition_key(key);
      decoded_.clear();
      (void)pk::base64_decode_append(data, decoded_);
      totals_.bytes += decoded_.size();
      ++totals_.entries;
      if (pk::kpl::has_magic(decoded_)) {
        const auto outcome = pk::kpl::deaggregate_into(decoded_, subs_);
        if (outcome == pk::kpl::DeaggregateOutcome::kAggregate) {
          totals_.user_records += subs_.size();
        } else {
          ++totals_.bad_aggregates;
        }
      } else {
        ++totals_.user_records;
      }
      if (!first) out += ',';
      first = false;
      out += fmt::format(R"({{"SequenceNumber":"{}","ShardId":"{}"}})", ++sequence_, ids_[shard_of(hash)]);
    }
    return json(out + "]}");
  }

  // Iterators are "<shard index>/<position>". TRIM_HORIZON starts at 0, LATEST at the end; after a sequence number:
  // the position after the record with it (sequence numbers are the records' order in the shard).
  pk::http::Response get_shard_iterator(const std::string& body) {
    simdjson::padded_string padded(body);
    simdjson::dom::element doc = parser_.parse(padded).value();
    const std::string_view shard_id = doc["ShardId"].get_string().value();
    const std::string_view type = doc["ShardIteratorType"].get_string().value();
    size_t shard = 0;
    while (shard < ids_.size() && ids_[shard] != shard_id) ++shard;
    if (shard == ids_.size()) {
      return pk::http::Response{400, {}, R"({"__type":"ResourceNotFoundException","message":"no such shard"})"};
    }
    const auto& records = shards_.empty() ? std::vector<std::string>() : shards_[shard].json;
    size_t position = 0;
    if (type == "LATEST") position = records.size();
    if (type == "AFTER_SEQUENCE_NUMBER" || type == "AT_SEQUENCE_NUMBER") {
      const std::string needle =
          fmt::format(R"("SequenceNumber":"{}")", doc["StartingSequenceNumber"].get_string().value());
      while (position < records.size() && records[position].find(needle) == std::string::npos) ++position;
      if (type == "AFTER_SEQUENCE_NUMBER" && position < records.size()) ++position;
    }
    return json(fmt::format(R"({{"ShardIterator":"{}/{}"}})", shard, position));
  }

  pk::http::Response get_records(const std::string& body) {
    simdjson::padded_string padded(body);
    simdjson::dom::element doc = parser_.parse(padded).value();
    const std::string_view iterator = doc["ShardIterator"].get_string().value();
    int64_t limit = 10000;
    if (doc["Limit"].get_int64().get(limit) != simdjson::SUCCESS) limit = 10000;
    const size_t slash = iterator.find('/');
    const size_t shard = std::stoul(std::string(iterator.substr(0, slash)));
    size_t position = std::stoul(std::string(iterator.substr(slash + 1)));
    const auto& records = shards_.empty() || shard >= shards_.size() ? empty_ : shards_[shard].json;
    std::string out = R"({"Records":[)";
    const size_t end = std::min(records.size(), position + static_cast<size_t>(limit));
    for (size_t i = position; i < end; ++i) {
      if (i != position) out += ',';
      out += records[i];
      ++totals_.records_read;
    }
    position = end;
    out += fmt::format(R"(],"NextShardIterator":"{}/{}","MillisBehindLatest":{}}})", shard, position,
                       position < records.size() ? 1000 : 0);
    return json(out);
  }

  std::vector<ShardRecords> shards_;
  const std::vector<std::string> empty_;
  std::string stream_;
  std::vector<HashKey> starts_, ends_;
  std::vector<std::string> ids_;
  simdjson::dom::parser parser_;
  std::string decoded_;
  std::vector<pk::kpl::SubRecord> subs_;
  uint64_t sequence_ = 4900000000000000000ull;
  Totals totals_;
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"the smallest Kinesis endpoint, for sink benchmarks"};
  int port = 0;
  int shards = 64;
  std::string stream = "bench";
  uint64_t records = 0;
  size_t size = 100;
  size_t aggregate = 1;
  app.add_option("--records", records, "user records the stream holds for reading");
  app.add_option("--size", size, "their size in bytes");
  app.add_option("--aggregate", aggregate, "user records per KPL aggregate (1: none)");
  app.add_option("--port", port, "0: pick a free one");
  app.add_option("--shards", shards)->check(CLI::Range(1, 10000));
  app.add_option("--stream", stream);
  CLI11_PARSE(app, argc, argv);

  boost::asio::io_context io;
  Endpoint endpoint(stream, shards);
  if (records > 0) endpoint.fill(records, size, aggregate);
  pk::http::ServerOptions options;
  options.max_body_bytes = 8 << 20;
  options.max_connections = 256;
  auto address = pk::http::ListenAddress::parse(fmt::format("127.0.0.1:{}", port));
  auto server = pk::http::HttpServer::start(io.get_executor(), *address, options,
                                            [&](const pk::http::Request& r) { return endpoint.handle(r); });
  if (!server.ok()) {
    std::fprintf(stderr, "fake_kinesis_endpoint: %s\n", server.error().message.c_str());
    return 1;
  }
  std::printf("listening on http://%s\n", (*server)->address().to_string().c_str());
  std::fflush(stdout);
  boost::asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code&, int) {
    auto s = *server;
    boost::asio::co_spawn(io, s->stop(), [&](std::exception_ptr) { io.stop(); });
  });
  io.run();
  return 0;
}
