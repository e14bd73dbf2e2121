// The fake Kinesis endpoint's SubscribeToShard, read with our own HTTP/2 client and event-stream decoder: what the
// source benchmark's enhanced fan-out rows stand on (positions, continuation, flow control, arrivals, the end of a
// subscription, errors). Server and client share one loop.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "aws/event_stream.h"
#include "event_stream_server.h"
#include "http/http2_connection.h"
#include "kinesis/subscribe_event_codec.h"
#include "kinesis_api.h"
#include "listener.h"
#include "shard_store.h"
#include "support/async_test.h"

namespace pk::bench {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using pk::testing::run_on;

const kinesis::Timestamp kArrival{std::chrono::milliseconds(1'700'000'000'000)};

// The fake on the test's loop, with one registered consumer.
struct Fake {
  Fake(asio::io_context& io, int shards, EventOptions options)
      : io(io), store(shards), api("bench", store), server(io.get_executor(), store, api, options) {
    store.on_append([this](size_t shard) { server.shard_grew(shard); });
    listener = Listener::start(io.get_executor(), 0, api, server).value();
    http::Request r;
    r.headers.push_back({"X-Amz-Target", "Kinesis_20131202.RegisterStreamConsumer"});
    r.body = R"({"StreamARN":"arn:aws:kinesis:us-east-1:000000000000:stream/bench","ConsumerName":"c"})";
    EXPECT_EQ(api.handle(r).status, 200);
  }
  ~Fake() {
    listener->stop();
    server.stop();
    io.restart();
    io.poll();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(listener->port()); }
  // Fills shard 0 (a one-shard fake) with n records of `size` bytes.
  void fill(size_t n, size_t size = 10) {
    for (size_t i = 0; i < n; ++i) store.append("k", std::string(size, 'a'), kArrival);
  }

  asio::io_context& io;
  ShardStore store;
  KinesisApi api;
  EventStreamServer server;
  std::unique_ptr<Listener> listener;
};

const std::string kConsumer = "arn:aws:kinesis:us-east-1:000000000000:stream/bench/consumer/c:1700000000";

std::string subscribe_body(std::string_view consumer, std::string_view shard, std::string_view position) {
  return fmt::format(R"({{"ConsumerARN":"{}","ShardId":"{}","StartingPosition":{}}})", consumer, shard, position);
}

// One subscription as a client sees it: the response status, then its event-stream messages one at a time.
class Subscription {
 public:
  static asio::awaitable<Subscription> open(std::string url, std::string body) {
    Subscription s;
    s.request_.headers.push_back({"x-amz-target", "Kinesis_20131202.SubscribeToShard"});
    s.request_.body = std::move(body);
    auto origin = http::Url::parse(url).value();
    auto connecting = http::Http2Connection::connect(origin, http::ClientOptions{});
    auto connection = co_await std::move(connecting);
    EXPECT_TRUE(connection.ok());
    s.connection_ = *connection;
    auto opening = s.connection_->open(s.request_);
    auto stream = co_await std::move(opening);
    EXPECT_TRUE(stream.ok());
    s.stream_ = std::move(*stream);
    co_return s;
  }

  int status() const { return stream_->status(); }
  std::string_view header(std::string_view name) const { return stream_->header(name); }

  // The next message; nullopt once the stream has ended.
  asio::awaitable<std::optional<aws::EventStreamMessage>> next() {
    while (pending_.empty()) {
      auto reading = stream_->read();
      auto piece = co_await std::move(reading);
      EXPECT_TRUE(piece.ok());
      if (!piece.ok() || !piece->has_value()) co_return std::nullopt;
      EXPECT_TRUE(decoder_.feed(**piece, pending_).ok());
    }
    aws::EventStreamMessage m = std::move(pending_.front());
    pending_.erase(pending_.begin());
    co_return m;
  }

  // The next SubscribeToShardEvent (after the initial response, which it checks once).
  asio::awaitable<std::optional<kinesis::SubscribeToShardEvent>> next_event() {
    auto reading = next();
    auto m = co_await std::move(reading);
    if (!m) co_return std::nullopt;
    if (!initial_seen_) {
      initial_seen_ = true;
      EXPECT_EQ(m->header_string(":event-type"), "initial-response");
      auto again = next();
      m = co_await std::move(again);
      if (!m) co_return std::nullopt;
    }
    EXPECT_EQ(m->header_string(":message-type"), "event");
    EXPECT_EQ(m->header_string(":event-type"), "SubscribeToShardEvent");
    auto event = kinesis::parse_subscribe_to_shard_event(std::move(m->payload));
    EXPECT_TRUE(event.ok());
    if (!event.ok()) co_return std::nullopt;
    co_return std::move(*event);
  }

  asio::awaitable<std::string> error_body() {
    auto reading = stream_->read_all();
    auto body = co_await std::move(reading);
    co_return body.ok() ? *body : std::string();
  }

 private:
  http::Request request_;
  std::shared_ptr<http::Http2Connection> connection_;
  std::unique_ptr<http::Http2Stream> stream_;
  aws::EventStreamDecoder decoder_;
  std::vector<aws::EventStreamMessage> pending_;
  bool initial_seen_ = false;
};

asio::awaitable<void> pause(std::chrono::milliseconds d) {
  auto executor = co_await asio::this_coro::executor;
  asio::steady_timer timer(executor, d);
  co_await timer.async_wait(asio::use_awaitable);
}

TEST(FakeKinesisStore, StartingPositionsFollowTheSequenceNumbers) {
  ShardStore store(1);
  for (int i = 0; i < 10; ++i) {
    store.append("k", "d", kinesis::Timestamp(std::chrono::milliseconds(1000 + i * 10)));
  }
  EXPECT_EQ(store.continuation(0, 0), "4900000000000000000");
  EXPECT_EQ(store.continuation(0, 3), "4900000000000000003");  // the third record's
  EXPECT_EQ(store.position_of(0, "TRIM_HORIZON", "", 0).value(), 0u);
  EXPECT_EQ(store.position_of(0, "LATEST", "", 0).value(), 10u);
  EXPECT_EQ(store.position_of(0, "AFTER_SEQUENCE_NUMBER", "4900000000000000000", 0).value(), 0u);
  EXPECT_EQ(store.position_of(0, "AFTER_SEQUENCE_NUMBER", "4900000000000000003", 0).value(), 3u);
  EXPECT_EQ(store.position_of(0, "AT_SEQUENCE_NUMBER", "4900000000000000003", 0).value(), 2u);
  EXPECT_EQ(store.position_of(0, "AT_TIMESTAMP", "", 1025).value(), 3u);
  EXPECT_EQ(store.position_of(0, "AFTER_SEQUENCE_NUMBER", "4900000000000000099", 0).value(), 10u);
  EXPECT_EQ(store.position_of(0, "AT_SEQUENCE_NUMBER", "4900010000000000001", 0).error().message,
            "sequence number \"4900010000000000001\" is not one of shardId-000000000000");
  EXPECT_EQ(store.position_of(0, "SOMEWHERE", "", 0).error().message, "unknown starting position type \"SOMEWHERE\"");
}

TEST(FakeKinesisSubscribe, EventsCarryTheRecordsInOrderFromEachStartingPosition) {
  asio::io_context io;
  Fake fake(io, 1, EventOptions{.event_records = 1000, .heartbeat = 100ms});
  fake.fill(2500);
  run_on(io, [&]() -> asio::awaitable<void> {
    auto opening =
        Subscription::open(fake.url(), subscribe_body(kConsumer, "shardId-000000000000", R"({"Type":"TRIM_HORIZON"})"));
    Subscription s = co_await std::move(opening);
    EXPECT_EQ(s.status(), 200);
    EXPECT_EQ(s.header("content-type"), "application/vnd.amazon.eventstream");
    std::vector<size_t> sizes;
    size_t position = 0;
    for (int i = 0; i < 3; ++i) {
      auto reading = s.next_event();
      auto event = co_await std::move(reading);
      if (!event) break;
      sizes.push_back(event->records.size());
      for (const auto& r : event->records) EXPECT_EQ(r.sequence_number, fake.store.continuation(0, ++position));
      EXPECT_EQ(event->continuation_sequence_number->str(), fake.store.continuation(0, position));
    }
    EXPECT_EQ(sizes, (std::vector<size_t>{1000, 1000, 500}));
    // Caught up: the next is a heartbeat with the same continuation.
    auto waiting = s.next_event();
    auto heartbeat = co_await std::move(waiting);
    EXPECT_TRUE(heartbeat && heartbeat->records.empty());
    if (heartbeat) {
      EXPECT_EQ(heartbeat->continuation_sequence_number->str(), fake.store.continuation(0, 2500));
    }

    const std::vector<std::pair<std::string, size_t>> starts = {
        {R"({"Type":"AFTER_SEQUENCE_NUMBER","SequenceNumber":"4900000000000001000"})", 1000},
        {R"({"Type":"AT_SEQUENCE_NUMBER","SequenceNumber":"4900000000000000006"})", 5},
        {R"({"Type":"LATEST"})", 2500}};
    for (const auto& [start, expected] : starts) {
      auto reopening = Subscription::open(fake.url(), subscribe_body(kConsumer, "shardId-000000000000", start));
      Subscription again = co_await std::move(reopening);
      auto first_reading = again.next_event();
      auto first = co_await std::move(first_reading);
      EXPECT_TRUE(first.has_value()) << start;
      if (!first) continue;
      if (expected < 2500) {
        EXPECT_EQ(first->records.front().sequence_number, fake.store.continuation(0, expected + 1)) << start;
      } else {
        EXPECT_TRUE(first->records.empty());
        EXPECT_EQ(first->continuation_sequence_number->str(), fake.store.continuation(0, 2500));
      }
    }
  });
  EXPECT_EQ(fake.api.totals().subscriptions, 4u);
}

TEST(FakeKinesisSubscribe, ArrivalsWakeACaughtUpSubscriptionWhichEndsAfterItsLifetime) {
  asio::io_context io;
  Fake fake(io, 1, EventOptions{.heartbeat = 60s, .lifetime = 800ms});
  run_on(io, [&]() -> asio::awaitable<void> {
    auto opening =
        Subscription::open(fake.url(), subscribe_body(kConsumer, "shardId-000000000000", R"({"Type":"LATEST"})"));
    Subscription s = co_await std::move(opening);
    auto initial_reading = s.next();
    auto initial = co_await std::move(initial_reading);
    EXPECT_TRUE(initial.has_value());
    co_await pause(50ms);
    const auto put = std::chrono::steady_clock::now();
    fake.fill(3);
    auto reading = s.next();
    auto m = co_await std::move(reading);
    EXPECT_LT(std::chrono::steady_clock::now() - put, 200ms);  // pushed at once, not at a heartbeat
    if (m) {
      auto event = kinesis::parse_subscribe_to_shard_event(std::move(m->payload));
      EXPECT_TRUE(event.ok() && event->records.size() == 3u);
    }
    auto ending = s.next();
    auto end = co_await std::move(ending);
    EXPECT_FALSE(end.has_value());  // ended by the server, cleanly
    EXPECT_GE(std::chrono::steady_clock::now() - put, 600ms);
  });
}

TEST(FakeKinesisSubscribe, FlowControlBoundsTheEventsBuilt) {
  asio::io_context io;
  Fake fake(io, 1, EventOptions{.event_records = 1000, .event_bytes = 8 << 20});
  fake.fill(10000, 1000);  // ~1.4 MB of JSON an event: more than the client's 1 MiB stream window
  run_on(io, [&]() -> asio::awaitable<void> {
    auto opening =
        Subscription::open(fake.url(), subscribe_body(kConsumer, "shardId-000000000000", R"({"Type":"TRIM_HORIZON"})"));
    Subscription s = co_await std::move(opening);
    co_await pause(300ms);
    EXPECT_LE(fake.api.totals().events, 2u);  // the client read nothing: its window is full
    size_t records = 0;
    while (records < 10000) {
      auto reading = s.next_event();
      auto event = co_await std::move(reading);
      if (!event) break;
      records += event->records.size();
    }
    EXPECT_EQ(records, 10000u);
    EXPECT_EQ(fake.api.totals().events, 10u);
  });
}

TEST(FakeKinesisSubscribe, RefusalsAreAwsJsonErrors) {
  asio::io_context io;
  Fake fake(io, 2, EventOptions{});
  const std::vector<std::tuple<std::string, std::string, std::string>> cases = {
      {subscribe_body("arn:nobody", "shardId-000000000000", R"({"Type":"LATEST"})"), "ResourceNotFoundException",
       "no such consumer"},
      {subscribe_body(kConsumer, "shardId-000000000007", R"({"Type":"LATEST"})"), "ResourceNotFoundException",
       "no such shard"},
      {subscribe_body(kConsumer, "shardId-000000000000",
                      R"({"Type":"AT_SEQUENCE_NUMBER","SequenceNumber":"4900010000000000001"})"),
       "InvalidArgumentException", "not one of shardId-000000000000"}};
  run_on(io, [&]() -> asio::awaitable<void> {
    for (const auto& [body, type, message] : cases) {
      auto opening = Subscription::open(fake.url(), body);
      Subscription s = co_await std::move(opening);
      EXPECT_EQ(s.status(), 400);
      EXPECT_EQ(s.header("x-amzn-errortype"), type);
      auto reading = s.error_body();
      const std::string text = co_await std::move(reading);
      EXPECT_NE(text.find(message), std::string::npos) << text;
    }
  });
  EXPECT_EQ(fake.api.totals().subscriptions, 0u);
}

}  // namespace
}  // namespace pk::bench
