// fake_kinesis_endpoint: the smallest Kinesis the sink can write to, for measuring the sink alone (kinesis-mock
// takes 0.5-1 s per 500-record request, moto about 40 ms; neither is a ceiling worth measuring against).
//
//   fake_kinesis_endpoint --port 0 --shards 64 [--stream bench]
//     prints "listening on http://127.0.0.1:<port>" once ready; GET /stats answers the totals as JSON
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

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <simdjson.h>

#include "common/base64.h"
#include "http/http_server.h"
#include "kinesis/hash_key.h"
#include "kpl/deaggregator.h"

namespace {

using pk::kinesis::HashKey;

struct Totals {
  uint64_t requests = 0;
  uint64_t entries = 0;
  uint64_t user_records = 0;
  uint64_t bytes = 0;  // decoded data bytes
  uint64_t bad_aggregates = 0;
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

  pk::http::Response handle(const pk::http::Request& request) {
    if (request.method == "GET") return json(stats());
    const std::string_view target = request.header("X-Amz-Target");
    if (target == "Kinesis_20131202.PutRecords") return put_records(request.body);
    if (target == "Kinesis_20131202.ListShards") return json(list_shards());
    if (target == "Kinesis_20131202.DescribeStreamSummary") return json(describe());
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
    return fmt::format(R"({{"requests":{},"entries":{},"user_records":{},"bytes":{},"bad_aggregates":{}}})",
                       totals_.requests, totals_.entries, totals_.user_records, totals_.bytes,
                       totals_.bad_aggregates);
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
      if (starts_[mid] <= key) lo = mid; else hi = mid;
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
  app.add_option("--port", port, "0: pick a free one");
  app.add_option("--shards", shards)->check(CLI::Range(1, 10000));
  app.add_option("--stream", stream);
  CLI11_PARSE(app, argc, argv);

  boost::asio::io_context io;
  Endpoint endpoint(stream, shards);
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
