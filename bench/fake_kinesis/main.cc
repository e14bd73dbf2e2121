// fake_kinesis_endpoint: the smallest Kinesis our sink can write to and our source can read from, for measuring
// them alone (kinesis-mock takes 0.5-1 s per 500-record PutRecords and builds one fan-out event a second; neither is
// a ceiling worth measuring against). One port, one thread; its CPU is not ours.
//
//   fake_kinesis_endpoint --port 0 --shards 64 [--stream bench]
//       [--records N --size B [--aggregate K]]      a backlog of N user records to read (K per KPL aggregate)
//       [--arrive N --rate R --size B]              N user records arriving at R per second, each starting with
//                                                   its arrival time (8 bytes: ns since the epoch, little-endian)
//       [--event-records 1000 --event-bytes 1048576 --heartbeat-ms 5000 --subscription-seconds 300]
//     prints "listening on http://127.0.0.1:<port>" once ready; GET /stats answers the totals as JSON
//
// Operations: see kinesis_api.h (HTTP/1.1 JSON: DescribeStreamSummary, ListShards, GetShardIterator, GetRecords,
// PutRecords, the fan-out consumers) and event_stream_server.h (SubscribeToShard over h2c).

#include <csignal>
#include <cstdio>
#include <string>

#include <CLI/CLI.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include "event_stream_server.h"
#include "kinesis_api.h"
#include "listener.h"
#include "record_feed.h"
#include "shard_store.h"

int main(int argc, char** argv) {
  CLI::App app{"the smallest Kinesis endpoint, for the sink and source benchmarks"};
  int port = 0;
  int shards = 64;
  std::string stream = "bench";
  uint64_t records = 0;
  uint64_t arrive = 0;
  double rate = 1000;
  size_t size = 100;
  size_t aggregate = 1;
  pk::bench::EventOptions events;
  int64_t heartbeat_ms = events.heartbeat.count();
  int64_t subscription_seconds = 300;
  app.add_option("--records", records, "user records the stream holds for reading at start-up");
  app.add_option("--arrive", arrive, "user records arriving at --rate after start-up");
  app.add_option("--rate", rate, "arrivals per second")->check(CLI::PositiveNumber);
  app.add_option("--size", size, "user record size in bytes");
  app.add_option("--aggregate", aggregate, "user records per KPL aggregate in the backlog (1: none)");
  app.add_option("--port", port, "0: pick a free one");
  app.add_option("--shards", shards)->check(CLI::Range(1, 10000));
  app.add_option("--stream", stream);
  app.add_option("--event-records", events.event_records, "most records in one SubscribeToShard event");
  app.add_option("--event-bytes", events.event_bytes, "an event stops taking records once its JSON is this long");
  app.add_option("--heartbeat-ms", heartbeat_ms, "an empty event after this long without records");
  app.add_option("--subscription-seconds", subscription_seconds, "a subscription ends after this long");
  CLI11_PARSE(app, argc, argv);
  events.heartbeat = std::chrono::milliseconds(heartbeat_ms);
  events.lifetime = std::chrono::seconds(subscription_seconds);

  boost::asio::io_context io(1);
  pk::bench::ShardStore store(shards);
  pk::bench::KinesisApi api(stream, store);
  pk::bench::EventStreamServer server(io.get_executor(), store, api, events);
  store.on_append([&](size_t shard) { server.shard_grew(shard); });
  if (records > 0) pk::bench::prefill(store, records, size, aggregate);
  auto listener = pk::bench::Listener::start(io.get_executor(), static_cast<uint16_t>(port), api, server);
  if (!listener.ok()) {
    std::fprintf(stderr, "fake_kinesis_endpoint: %s\n", listener.error().message.c_str());
    return 1;
  }
  std::printf("listening on http://127.0.0.1:%u\n", static_cast<unsigned>((*listener)->port()));
  std::fflush(stdout);
  if (arrive > 0)
    boost::asio::co_spawn(io, pk::bench::arrive_steadily(store, arrive, size, rate), boost::asio::detached);
  boost::asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code&, int) {
    (*listener)->stop();
    server.stop();
    io.stop();
  });
  io.run();
  return 0;
}
