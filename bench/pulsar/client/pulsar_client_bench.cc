// pulsar_client_bench: producer / consumer throughput of our client against a real broker, and the CPU time this
// process spends (getrusage), printed as one JSON line. scripts/bench-pulsar runs it next to the Python client and
// Java pulsar-perf and turns the figures into CPU seconds per million messages.
//
//   pulsar_client_bench produce --url U --topic T --count N --size B [--batch-max 1000] [--max-pending 10000]
//                               [--compression none]
//   pulsar_client_bench consume --url U --topic T --count N [--subscription S]
//
// Produce: send_async as fast as back-pressure allows (10000 messages pending at most, as scripts/bench-pulsar
// sets for all three clients), until every receipt is back. Consume: read from the earliest position, ack every
// message.

#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <map>
#include <string>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "pulsar/client/client.h"

namespace {

namespace asio = boost::asio;
using namespace pk::pulsar;
using Clock = std::chrono::steady_clock;

double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

struct Args {
  std::string url;
  std::string topic;
  std::string subscription = "bench";
  std::string compression = "none";
  int64_t count = 100000;
  size_t size = 100;
  int64_t keys = 0;  // produce: messages keyed "key-<i % keys>" (0: no key)
  uint32_t batch_max = 1000;
  uint32_t max_pending = 10000;
};

struct Outcome {
  int64_t messages = 0;
  int64_t failures = 0;
  double seconds = 0;
  double cpu = 0;
};

asio::awaitable<Outcome> produce(Client& client, const Args& a) {
  ProducerOptions po;
  po.topic = a.topic;
  po.batch.max_messages = a.batch_max;
  po.max_pending_messages = a.max_pending;
  po.batch.max_delay = std::chrono::milliseconds(1);  // the Java client's default window
  const std::map<std::string, Compression> kinds{{"none", Compression::kNone},
                                                 {"lz4", Compression::kLz4},
                                                 {"zlib", Compression::kZlib},
                                                 {"zstd", Compression::kZstd},
                                                 {"snappy", Compression::kSnappy}};
  po.compression = kinds.at(a.compression);
  auto creating = client.create_producer(po);
  auto producer = co_await std::move(creating);
  Outcome out;
  if (!producer.ok()) {
    std::cerr << producer.error().to_string() << "\n";
    out.failures = a.count;
    co_return out;
  }
  const std::string payload(a.size, 'x');
  const double cpu0 = cpu_seconds();
  const auto t0 = Clock::now();
  SendCallback done = [&out](const pk::Result<MessageId>& r) {
    if (r.ok()) {
      ++out.messages;
    } else {
      ++out.failures;
    }
  };
  for (int64_t i = 0; i < a.count; ++i) {
    OutgoingMessage m;
    m.payload = payload;
    if (a.keys > 0) m.key = fmt::format("key-{}", i % a.keys);
    if (!(*producer)->try_send(m, done).ok()) {
      auto sending = (*producer)->send_async(std::move(m), done);  // full: wait for room
      (void)co_await std::move(sending);
    }
  }
  auto flushing = (*producer)->flush();
  (void)co_await std::move(flushing);
  out.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  out.cpu = cpu_seconds() - cpu0;
  auto closing = (*producer)->close();
  (void)co_await std::move(closing);
  co_return out;
}

asio::awaitable<Outcome> consume(Client& client, const Args& a) {
  ConsumerOptions co;
  co.topics = {a.topic};
  co.subscription = a.subscription;
  co.initial_position = InitialPosition::kEarliest;
  auto subscribing = client.subscribe(co);
  auto consumer = co_await std::move(subscribing);
  Outcome out;
  if (!consumer.ok()) {
    std::cerr << consumer.error().to_string() << "\n";
    out.failures = a.count;
    co_return out;
  }
  const double cpu0 = cpu_seconds();
  const auto t0 = Clock::now();
  while (out.messages < a.count) {
    auto receiving = (*consumer)->receive_batch(1000, std::chrono::seconds(30));
    auto batch = co_await std::move(receiving);
    if (!batch.ok() || batch->empty()) {
      std::cerr << "no message for 30 s after " << out.messages << "\n";
      break;
    }
    for (const auto& m : *batch) {
      if (out.messages == a.count) {
        break;  // a batch can run past the count: the rest stays unacknowledged, like the other clients leave it
      }
      (void)(*consumer)->acknowledge(m.id());
      ++out.messages;
    }
  }
  out.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  out.cpu = cpu_seconds() - cpu0;
  auto closing = (*consumer)->close();
  (void)co_await std::move(closing);
  co_return out;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"throughput and CPU of the pulsar-kinesis Pulsar client"};
  app.require_subcommand(1);
  Args a;
  for (auto* sub : {app.add_subcommand("produce", "send messages"), app.add_subcommand("consume", "read messages")}) {
    sub->add_option("--url", a.url)->required();
    sub->add_option("--topic", a.topic)->required();
    sub->add_option("--count", a.count);
  }
  auto* produce_cmd = app.get_subcommand("produce");
  produce_cmd->add_option("--size", a.size);
  produce_cmd->add_option("--keys", a.keys, "key the messages with this many distinct keys (0: none)");
  produce_cmd->add_option("--batch-max", a.batch_max);
  produce_cmd->add_option("--max-pending", a.max_pending);
  produce_cmd->add_option("--compression", a.compression);
  app.get_subcommand("consume")->add_option("--subscription", a.subscription);
  app.get_subcommand("consume")->add_option("--size", a.size, "only reported: the size the topic was filled with");
  CLI11_PARSE(app, argc, argv);

  asio::io_context io(1);
  ClientOptions options;
  options.service_url = a.url;
  auto client = Client::create(io.get_executor(), options);
  if (!client.ok()) {
    std::cerr << client.error().to_string() << "\n";
    return 1;
  }
  const bool producing = produce_cmd->parsed();
  Outcome out;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        if (producing) {
          out = co_await produce(**client, a);
        } else {
          out = co_await consume(**client, a);
        }
        (*client)->close();
      },
      asio::detached);
  io.run();
  std::cout << fmt::format(
      "{{\"client\":\"pk\",\"mode\":\"{}\",\"size\":{},\"messages\":{},\"failures\":{},\"seconds\":{:.3f},"
      "\"msgs_per_sec\":{:.0f},\"cpu_seconds\":{:.3f},\"cpu_sec_per_million\":{:.2f}}}\n",
      producing ? "produce" : "consume", a.size, out.messages, out.failures, out.seconds,
      out.seconds > 0 ? static_cast<double>(out.messages) / out.seconds : 0.0, out.cpu,
      out.messages > 0 ? out.cpu * 1e6 / static_cast<double>(out.messages) : 0.0);
  return out.failures == 0 && out.messages == a.count ? 0 : 1;
}
