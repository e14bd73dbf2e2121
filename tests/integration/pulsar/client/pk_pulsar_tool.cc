// pk_pulsar_tool: produce or consume with our client from the command line, so that independent clients (the
// Python pulsar-client in test_interop.py) can be checked against what we write and read.
//
//   pk_pulsar_tool produce --url U --topic T --count N [--batch-max N | --no-batching] [--compression lz4]
//                          [--key-prefix k] [--property a=b ...] [--event-time MS] [--payload-prefix p]
//                          [--producer-name NAME] [--token-file F] [--tls-ca F]
//     one JSON line per message, in order: {"index":i,"ledger":L,"entry":E,"batch_index":B}
//   pk_pulsar_tool consume --url U --topic T --subscription S --count N [--timeout-ms MS] [--type shared]
//     one JSON line per message: payload (base64), key, properties, event_time, publish_time, producer,
//     sequence_id, redelivery_count, batch_index
// Exit status 0 when everything was sent / the count was received, 1 otherwise (errors on stderr).

#include <iostream>
#include <map>
#include <string>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <CLI/CLI.hpp>

#include "common/base64.h"
#include "pulsar/client/client.h"

namespace {

namespace asio = boost::asio;
using namespace pk::pulsar;

struct Args {
  std::string url;
  std::string topic;
  int count = 10;
  int batch_max = 100;
  bool no_batching = false;
  std::string compression = "none";
  std::string key_prefix;
  std::vector<std::string> properties;
  uint64_t event_time = 0;
  std::string payload_prefix = "message-";
  std::string producer_name;
  std::string token_file;
  std::string tls_ca;
  std::string subscription;
  std::string type = "exclusive";
  int timeout_ms = 10000;
};

Compression parse_compression(const std::string& name) {
  static const std::map<std::string, Compression> kNames{{"none", Compression::kNone},
                                                         {"lz4", Compression::kLz4},
                                                         {"zlib", Compression::kZlib},
                                                         {"zstd", Compression::kZstd},
                                                         {"snappy", Compression::kSnappy}};
  auto it = kNames.find(name);
  if (it == kNames.end()) throw CLI::ValidationError("--compression", "unknown: " + name);
  return it->second;
}

SubscriptionType parse_type(const std::string& name) {
  if (name == "exclusive") return SubscriptionType::kExclusive;
  if (name == "shared") return SubscriptionType::kShared;
  if (name == "failover") return SubscriptionType::kFailover;
  if (name == "key_shared") return SubscriptionType::kKeyShared;
  throw CLI::ValidationError("--type", "unknown: " + name);
}

ClientOptions client_options(const Args& a) {
  ClientOptions o;
  o.service_url = a.url;
  if (!a.token_file.empty()) o.auth = make_token_auth("file:" + a.token_file).value();
  o.tls.ca_file = a.tls_ca;
  return o;
}

asio::awaitable<int> produce(Client& client, const Args& a) {
  ProducerOptions po;
  po.topic = a.topic;
  po.batching = !a.no_batching;
  po.batch.max_messages = static_cast<uint32_t>(a.batch_max);
  po.batch.max_delay = std::chrono::milliseconds(50);
  po.compression = parse_compression(a.compression);
  po.producer_name = a.producer_name;
  auto creating = client.create_producer(po);
  auto producer = co_await std::move(creating);
  if (!producer.ok()) {
    std::cerr << producer.error().to_string() << "\n";
    co_return 1;
  }
  std::vector<std::pair<std::string, std::string>> props;
  for (const auto& p : a.properties) {
    const auto eq = p.find('=');
    props.emplace_back(p.substr(0, eq), eq == std::string::npos ? "" : p.substr(eq + 1));
  }
  std::vector<pk::Result<MessageId>> receipts(static_cast<size_t>(a.count),
                                              pk::make_error(pk::ErrorCode::kInternal, "none"));
  for (int i = 0; i < a.count; ++i) {
    OutgoingMessage m;
    m.payload = a.payload_prefix + std::to_string(i);
    if (!a.key_prefix.empty()) m.key = a.key_prefix + std::to_string(i % 5);
    m.properties = props;
    m.properties.emplace_back("index", std::to_string(i));
    if (a.event_time != 0) m.event_time = a.event_time + static_cast<uint64_t>(i);
    const auto index = static_cast<size_t>(i);
    auto sending = (*producer)->send_async(std::move(m),
                                           [&receipts, index](const pk::Result<MessageId>& r) { receipts[index] = r; });
    auto status = co_await std::move(sending);
    if (!status.ok()) {
      std::cerr << status.error().to_string() << "\n";
      co_return 1;
    }
  }
  auto flushing = (*producer)->flush();
  auto flushed = co_await std::move(flushing);
  int rc = flushed.ok() ? 0 : 1;
  for (size_t i = 0; i < receipts.size(); ++i) {
    if (!receipts[i].ok()) {
      std::cerr << "message " << i << ": " << receipts[i].error().to_string() << "\n";
      rc = 1;
      continue;
    }
    std::cout << "{\"index\":" << i << ",\"ledger\":" << receipts[i]->ledger << ",\"entry\":" << receipts[i]->entry
              << ",\"batch_index\":" << receipts[i]->batch_index << "}\n";
  }
  auto closing = (*producer)->close();
  (void)co_await std::move(closing);
  co_return rc;
}

void print_message(const Message& m) {
  rapidjson::StringBuffer out;
  rapidjson::Writer<rapidjson::StringBuffer> w(out);
  w.StartObject();
  w.Key("payload");
  const std::string payload = pk::base64_encode(m.payload());
  w.String(payload.c_str(), static_cast<rapidjson::SizeType>(payload.size()));
  if (m.has_key()) {
    w.Key("key");
    w.String(m.key().data(), static_cast<rapidjson::SizeType>(m.key().size()));
  }
  w.Key("properties");
  w.StartObject();
  for (size_t i = 0; i < m.property_count(); ++i) {
    auto [k, v] = m.property(i);
    w.Key(k.data(), static_cast<rapidjson::SizeType>(k.size()));
    w.String(v.data(), static_cast<rapidjson::SizeType>(v.size()));
  }
  w.EndObject();
  w.Key("event_time");
  w.Uint64(m.event_time());
  w.Key("publish_time");
  w.Uint64(m.publish_time());
  w.Key("producer");
  w.String(m.producer_name().data(), static_cast<rapidjson::SizeType>(m.producer_name().size()));
  w.Key("sequence_id");
  w.Uint64(m.sequence_id());
  w.Key("redelivery_count");
  w.Uint(m.redelivery_count());
  w.Key("batch_index");
  w.Int(m.id().batch_index);
  w.EndObject();
  std::cout << out.GetString() << "\n";
}

asio::awaitable<int> consume(Client& client, const Args& a) {
  ConsumerOptions co;
  co.topics = {a.topic};
  co.subscription = a.subscription;
  co.type = parse_type(a.type);
  co.initial_position = InitialPosition::kEarliest;
  auto subscribing = client.subscribe(co);
  auto consumer = co_await std::move(subscribing);
  if (!consumer.ok()) {
    std::cerr << consumer.error().to_string() << "\n";
    co_return 1;
  }
  int got = 0;
  while (got < a.count) {
    auto receiving = (*consumer)->receive(std::chrono::milliseconds(a.timeout_ms));
    auto m = co_await std::move(receiving);
    if (!m.ok()) {
      std::cerr << "after " << got << " messages: " << m.error().to_string() << "\n";
      break;
    }
    print_message(*m);
    (void)(*consumer)->acknowledge(m->id());
    ++got;
  }
  auto closing = (*consumer)->close();
  (void)co_await std::move(closing);
  co_return got == a.count ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"produce/consume with the pulsar-kinesis Pulsar client (for interop tests)"};
  app.require_subcommand(1);
  Args a;
  for (auto* sub : {app.add_subcommand("produce", "send messages"), app.add_subcommand("consume", "read messages")}) {
    sub->add_option("--url", a.url)->required();
    sub->add_option("--topic", a.topic)->required();
    sub->add_option("--count", a.count);
    sub->add_option("--token-file", a.token_file);
    sub->add_option("--tls-ca", a.tls_ca);
  }
  auto* produce_cmd = app.get_subcommand("produce");
  produce_cmd->add_option("--batch-max", a.batch_max);
  produce_cmd->add_flag("--no-batching", a.no_batching);
  produce_cmd->add_option("--compression", a.compression);
  produce_cmd->add_option("--key-prefix", a.key_prefix);
  produce_cmd->add_option("--property", a.properties);
  produce_cmd->add_option("--event-time", a.event_time);
  produce_cmd->add_option("--payload-prefix", a.payload_prefix);
  produce_cmd->add_option("--producer-name", a.producer_name);
  auto* consume_cmd = app.get_subcommand("consume");
  consume_cmd->add_option("--subscription", a.subscription)->required();
  consume_cmd->add_option("--type", a.type);
  consume_cmd->add_option("--timeout-ms", a.timeout_ms);
  CLI11_PARSE(app, argc, argv);

  asio::io_context io;
  auto client = Client::create(io.get_executor(), client_options(a));
  if (!client.ok()) {
    std::cerr << client.error().to_string() << "\n";
    return 1;
  }
  int rc = 1;
  const bool producing = produce_cmd->parsed();
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        if (producing) {
          rc = co_await produce(**client, a);
        } else {
          rc = co_await consume(**client, a);
        }
        (*client)->close();
      },
      asio::detached);
  io.run();
  return rc;
}
