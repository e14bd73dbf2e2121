#include "pulsar/client/producer.h"

#include <gtest/gtest.h>

#include "client_fixture.h"
#include "pulsar/client/producer_impl.h"
#include "pulsar/proto/batch.h"
#include "pulsar/proto/compression.h"
#include "pulsar/proto/murmur3.h"

namespace pk::pulsar {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using pk::testing::FakeBroker;
using pk::testing::run_on;
using testing::FakeBrokerFixture;
using testing::text;

constexpr const char* kProducerTopic = "persistent://public/default/t";

ProducerOptions unbatched() {
  ProducerOptions o;
  o.topic = kProducerTopic;
  o.batching = false;
  return o;
}

pb::BaseCommand receipt_for(const pb::CommandSend& s, uint64_t entry) {
  pb::BaseCommand r;
  r.set_type(pb::BaseCommand::SEND_RECEIPT);
  r.mutable_send_receipt()->set_producer_id(s.producer_id());
  r.mutable_send_receipt()->set_sequence_id(s.sequence_id());
  r.mutable_send_receipt()->set_highest_sequence_id(s.highest_sequence_id());
  r.mutable_send_receipt()->mutable_message_id()->set_ledgerid(7);
  r.mutable_send_receipt()->mutable_message_id()->set_entryid(entry);
  return r;
}

TEST(Producer, SingleMessagesCarryKeyPropertiesEventTimeAndOrderedIds) {
  FakeBrokerFixture f;
  std::vector<MessageId> ids;
  run_on(f.io, [&]() -> asio::awaitable<void> {
    auto creating = f.create_producer(unbatched());
    auto producer = co_await std::move(creating);
    if (!producer) co_return;
    for (int i = 0; i < 5; ++i) {
      OutgoingMessage m = text("m" + std::to_string(i));
      m.key = "k" + std::to_string(i);
      m.properties = {{"a", "1"}, {"b", std::to_string(i)}};
      m.event_time = 1700000000000 + i;
      auto sending = producer->send(std::move(m));
      auto id = co_await std::move(sending);
      EXPECT_TRUE(id.ok());
      if (id.ok()) ids.push_back(*id);
    }
    auto closing = producer->close();
    auto closing_result = co_await std::move(closing);
    PK_EXPECT_OK(closing_result);
  });
  ASSERT_EQ(ids.size(), 5u);
  for (size_t i = 0; i < ids.size(); ++i) {
    EXPECT_EQ(ids[i].entry, static_cast<int64_t>(i));
    EXPECT_FALSE(ids[i].is_batched());
  }
  ASSERT_EQ(f.broker.sends().size(), 5u);
  const auto& s = f.broker.sends()[3];
  EXPECT_EQ(s.sequence_id, 3u);
  EXPECT_EQ(s.payload, "m3");
  EXPECT_EQ(s.metadata.partition_key(), "k3");
  EXPECT_EQ(s.metadata.event_time(), 1700000000003u);
  ASSERT_EQ(s.metadata.properties_size(), 2);
  EXPECT_EQ(s.metadata.properties(1).value(), "3");
  EXPECT_EQ(s.metadata.sequence_id(), 3u);
  EXPECT_FALSE(s.metadata.producer_name().empty());
  EXPECT_GT(s.metadata.publish_time(), 0u);
  EXPECT_EQ(f.broker.count(pb::BaseCommand::CLOSE_PRODUCER), 1u);
}

TEST(Producer, BatchesCloseAtMaxMessagesAndCarryBatchIndexes) {
  FakeBrokerFixture f;
  std::vector<Result<MessageId>> results;
  run_on(f.io, [&]() -> asio::awaitable<void> {
    ProducerOptions o = unbatched();
    o.batching = true;
    o.batch.max_messages = 4;
    o.batch.max_delay = 10s;  // only the count closes batches here
    auto creating = f.create_producer(o);
    auto producer = co_await std::move(creating);
    if (!producer) co_return;
    for (int i = 0; i < 8; ++i) {
      OutgoingMessage m = text("b" + std::to_string(i));
      m.properties = {{"i", std::to_string(i)}};
      auto sending = producer->send_async(std::move(m), [&](const Result<MessageId>& r) { results.push_back(r); });
      auto sending_result = co_await std::move(sending);
      PK_EXPECT_OK(sending_result);
    }
    PK_CO_EXPECT_EVENTUALLY(results.size() == 8);
  });
  ASSERT_EQ(f.broker.sends().size(), 2u);
  const auto& first = f.broker.sends()[0];
  EXPECT_EQ(first.num_messages, 4);
  EXPECT_EQ(first.sequence_id, 0u);
  EXPECT_EQ(first.highest_sequence_id, 3u);
  EXPECT_EQ(first.metadata.num_messages_in_batch(), 4);
  auto split = proto::split_batch(first.payload, 4);
  ASSERT_TRUE(split.ok()) << split.error().to_string();
  EXPECT_EQ((*split)[2].payload, "b2");
  EXPECT_EQ((*split)[2].metadata.properties(0).value(), "2");
  EXPECT_EQ((*split)[2].metadata.sequence_id(), 2u);
  ASSERT_EQ(results.size(), 8u);
  for (int i = 0; i < 8; ++i) {
    ASSERT_TRUE(results[i].ok());
    EXPECT_EQ(results[i]->batch_index, i % 4);
    EXPECT_EQ(results[i]->batch_size, 4);
    EXPECT_EQ(results[i]->entry, i / 4);
  }
}

TEST(Producer, OpenBatchIsSentAfterMaxDelay) {
  FakeBrokerFixture f;
  run_on(f.io, [&]() -> asio::awaitable<void> {
    ProducerOptions o = unbatched();
    o.batching = true;
    o.batch.max_delay = 50ms;
    auto creating = f.create_producer(o);
    auto producer = co_await std::move(creating);
    if (!producer) co_return;
    OutgoingMessage m = text("lonely");
    EXPECT_TRUE(producer->try_send(m, nullptr).ok());
    co_await net::sleep(20ms);
    EXPECT_TRUE(f.broker.sends().empty()) << "still waiting for more messages";
    PK_CO_EXPECT_EVENTUALLY_WITHIN(1000ms, f.broker.sends().size() == 1);
  });
}

TEST(Producer, EveryCompressionRoundTrips) {
  for (Compression c : {Compression::kLz4, Compression::kZlib, Compression::kZstd, Compression::kSnappy}) {
    FakeBrokerFixture f;
    run_on(f.io, [&]() -> asio::awaitable<void> {
      ProducerOptions o = unbatched();
      o.batching = true;
      o.batch.max_messages = 3;
      o.compression = c;
      auto creating = f.create_producer(o);
      auto producer = co_await std::move(creating);
      if (!producer) co_return;
      for (int i = 0; i < 3; ++i) {
        auto sending = producer->send_async(text(std::string(200, static_cast<char>('a' + i))), nullptr);
        (void)co_await std::move(sending);
      }
      auto flushing = producer->flush();
      auto flushing_result = co_await std::move(flushing);
      PK_EXPECT_OK(flushing_result);
    });
    ASSERT_EQ(f.broker.sends().size(), 1u) << static_cast<int>(c);
    const auto& s = f.broker.sends()[0];
    EXPECT_EQ(static_cast<int>(s.metadata.compression()), static_cast<int>(c));
    EXPECT_LT(s.payload.size(), 600u) << "compressed";
    auto plain = proto::decompress(s.metadata.compression(), s.payload, s.metadata.uncompressed_size());
    ASSERT_TRUE(plain.ok()) << plain.error().to_string();
    auto split = proto::split_batch(*plain, 3);
    ASSERT_TRUE(split.ok());
    EXPECT_EQ((*split)[1].payload, std::string(200, 'b'));
  }
}

TEST(Producer, MaxPendingMessagesPushesBackUntilReceiptsArrive) {
  FakeBrokerFixture f;
  std::vector<pb::CommandSend> held;
  FakeBroker::Session* session = nullptr;
  f.broker.set_hook([&](FakeBroker::Session& s, proto::Frame& frame) {
    if (frame.command.type() != pb::BaseCommand::SEND) return false;
    held.push_back(frame.command.send());  // no receipt yet
    session = &s;
    return true;
  });
  int done = 0;
  run_on(f.io, [&]() -> asio::awaitable<void> {
    ProducerOptions o = unbatched();
    o.max_pending_messages = 3;
    auto creating = f.create_producer(o);
    auto producer = co_await std::move(creating);
    if (!producer) co_return;
    for (int i = 0; i < 3; ++i) {
      OutgoingMessage m = text("x");
      EXPECT_TRUE(producer->try_send(m, [&](const Result<MessageId>& r) { done += r.ok(); }).ok());
    }
    OutgoingMessage extra = text("extra");
    auto full = producer->try_send(extra, nullptr);
    EXPECT_FALSE(full.ok());
    if (!full.ok()) {
      EXPECT_EQ(full.error().code, ErrorCode::kResourceExhausted);
    }
    EXPECT_EQ(extra.payload, "extra") << "not moved from when refused";
    // send_async waits; release one receipt and it goes through.
    bool sent = false;
    asio::co_spawn(
        f.io,
        [&]() -> asio::awaitable<void> {
          auto sending = producer->send_async(text("waiting"), [&](const Result<MessageId>& r) { done += r.ok(); });
          auto sending_result = co_await std::move(sending);
          PK_EXPECT_OK(sending_result);
          sent = true;
        },
        asio::detached);
    co_await net::sleep(50ms);
    EXPECT_FALSE(sent);
    PK_CO_EXPECT_EVENTUALLY(held.size() == 3);
    session->send(receipt_for(held[0], 0));
    PK_CO_EXPECT_EVENTUALLY(sent);
    PK_CO_EXPECT_EVENTUALLY(held.size() == 4);
    for (size_t i = 1; i < held.size(); ++i) session->send(receipt_for(held[i], i));
    PK_CO_EXPECT_EVENTUALLY(done == 4);
  });
  EXPECT_EQ(done, 4);
}

TEST(Producer, ClientMemoryLimitPushesBack) {
  boost::asio::io_context io;
  pk::testing::FakeBroker broker(io.get_executor());
  broker.set_hook([](FakeBroker::Session&, proto::Frame& f) { return f.command.type() == pb::BaseCommand::SEND; });
  auto options = testing::fast_client_options(broker.url());
  options.memory_limit_bytes = 1000;
  auto client = Client::create(io.get_executor(), options).value();
  run_on(io, [&]() -> asio::awaitable<void> {
    auto creating = client->create_producer(unbatched());
    auto created = co_await std::move(creating);
    PK_CO_ASSERT_OK(created);
    auto producer = std::move(*created);
    OutgoingMessage a = text(std::string(600, 'a'));
    OutgoingMessage b = text(std::string(600, 'b'));
    EXPECT_TRUE(producer->try_send(a, nullptr).ok());
    auto refused = producer->try_send(b, nullptr);
    EXPECT_FALSE(refused.ok());
    if (!refused.ok()) {
      EXPECT_NE(refused.error().message.find("bytes held by the client"), std::string::npos);
    }
  });
}

TEST(Producer, SendErrorReconnectsAndResendsWithTheSameSequenceIds) {
  FakeBrokerFixture f;
  f.broker.set_deduplication(true);
  // Like a broker whose ledger write failed: every send on that connection fails from then on.
  f.broker.set_hook([&](FakeBroker::Session& s, proto::Frame& frame) {
    if (frame.command.type() != pb::BaseCommand::SEND || f.broker.connections_accepted() > 1) return false;
    pb::BaseCommand err;
    err.set_type(pb::BaseCommand::SEND_ERROR);
    err.mutable_send_error()->set_producer_id(frame.command.send().producer_id());
    err.mutable_send_error()->set_sequence_id(frame.command.send().sequence_id());
    err.mutable_send_error()->set_error(pb::PersistenceError);
    err.mutable_send_error()->set_message("bookie write failed");
    s.send(err);
    return true;
  });
  std::vector<Result<MessageId>> results;
  run_on(f.io, [&]() -> asio::awaitable<void> {
    auto creating = f.create_producer(unbatched());
    auto producer = co_await std::move(creating);
    if (!producer) co_return;
    for (int i = 0; i < 3; ++i) {
      OutgoingMessage m = text("r" + std::to_string(i));
      EXPECT_TRUE(producer->try_send(m, [&](const Result<MessageId>& r) { results.push_back(r); }).ok());
    }
    PK_CO_EXPECT_EVENTUALLY(results.size() == 3);
  });
  EXPECT_EQ(f.broker.connections_accepted(), 2u) << "the connection was dropped and made again";
  EXPECT_EQ(f.broker.count(pb::BaseCommand::PRODUCER), 2u);
  ASSERT_EQ(results.size(), 3u);
  for (const auto& r : results) EXPECT_TRUE(r.ok());
  // The broker stored each sequence id once, in order: they failed and came again with the same ids.
  const auto& log = f.broker.topic_log(kProducerTopic);
  ASSERT_EQ(log.size(), 3u);
  for (size_t i = 0; i < log.size(); ++i) {
    EXPECT_EQ(log[i].metadata.sequence_id(), i);
    EXPECT_EQ(log[i].payload, "r" + std::to_string(i));
  }
}

TEST(Producer, BrokerDropMidStreamResendsPendingWithoutDuplicatesUnderDedup) {
  FakeBrokerFixture f;
  f.broker.set_deduplication(true);
  int sends_seen = 0;
  // The broker stores the first 5 sends but "crashes" before answering them.
  f.broker.set_hook([&](FakeBroker::Session&, proto::Frame& frame) {
    if (frame.command.type() != pb::BaseCommand::SEND) return false;
    if (++sends_seen > 5) return false;
    (void)f.broker.persist(frame);
    if (sends_seen == 5) f.broker.close_all();
    return true;
  });
  std::vector<Result<MessageId>> results;
  run_on(f.io, [&]() -> asio::awaitable<void> {
    ProducerOptions o = unbatched();
    o.producer_name = "stable-name";
    auto creating = f.create_producer(o);
    auto producer = co_await std::move(creating);
    if (!producer) co_return;
    for (int i = 0; i < 10; ++i) {
      OutgoingMessage m = text("d" + std::to_string(i));
      EXPECT_TRUE(producer->try_send(m, [&](const Result<MessageId>& r) { results.push_back(r); }).ok());
    }
    PK_CO_EXPECT_EVENTUALLY(results.size() == 10);
  });
  ASSERT_EQ(results.size(), 10u);
  for (const auto& r : results) EXPECT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_GE(f.broker.connections_accepted(), 2u);
  const auto& log = f.broker.topic_log(kProducerTopic);
  ASSERT_EQ(log.size(), 10u) << "each message stored once: the resent first five were dropped as duplicates";
  for (size_t i = 0; i < log.size(); ++i) EXPECT_EQ(log[i].payload, "d" + std::to_string(i));
}

// A producer named as `o` says sends `numbered` (key, sequence id) and closes; then one of the same name is made
// again (null and a test failure if any step failed).
asio::awaitable<std::unique_ptr<Producer>> send_numbered_and_reopen(
    FakeBrokerFixture& f, const ProducerOptions& o, std::vector<std::pair<std::string, uint64_t>> numbered) {
  {
    auto creating = f.create_producer(o);
    auto producer = co_await std::move(creating);
    if (!producer) co_return nullptr;
    EXPECT_EQ(producer->last_sequence_id(), -1);
    for (auto& [key, seq] : numbered) {
      OutgoingMessage m = text("s");
      if (!key.empty()) m.key = key;
      m.sequence_id = seq;
      auto sending = producer->send(std::move(m));
      auto sent = co_await std::move(sending);
      PK_EXPECT_OK(sent);
    }
    auto closing = producer->close();
    (void)co_await std::move(closing);
  }
  auto creating = f.create_producer(o);
  co_return co_await std::move(creating);
}

TEST(Producer, StableNameResumesFromTheBrokersLastSequenceId) {
  FakeBrokerFixture f;
  f.broker.set_deduplication(true);
  run_on(f.io, [&]() -> asio::awaitable<void> {
    ProducerOptions o = unbatched();
    o.producer_name = "shard-0001";
    auto reopening = send_numbered_and_reopen(f, o, {{"", 10}, {"", 11}, {"", 12}});
    auto again = co_await std::move(reopening);
    if (!again) co_return;
    EXPECT_EQ(again->last_sequence_id(), 12);
    EXPECT_EQ(again->producer_name(), "shard-0001");
    // A replay of 11 is dropped by the broker (duplicate receipt -1:-1); 13 is new.
    OutgoingMessage replay = text("s");
    replay.sequence_id = 11;
    auto replaying = again->send(std::move(replay));
    auto dup = co_await std::move(replaying);
    EXPECT_TRUE(dup.ok());
    if (dup.ok()) {
      EXPECT_TRUE(dup->is_duplicate_marker());
    }
    auto next = again->send(text("n"));
    auto id = co_await std::move(next);
    EXPECT_TRUE(id.ok());
  });
  EXPECT_EQ(f.broker.topic_log(kProducerTopic).size(), 4u);
  EXPECT_EQ(f.broker.sends().back().sequence_id, 13u) << "numbering continues after the broker's last id";
  const auto& producers = f.broker.commands();
  int named = 0;
  for (const auto& c : producers) {
    if (c.type() == pb::BaseCommand::PRODUCER) {
      EXPECT_EQ(c.producer().producer_name(), "shard-0001");
      EXPECT_TRUE(c.producer().user_provided_producer_name());
      ++named;
    }
  }
  EXPECT_EQ(named, 2);
}

TEST(Producer, SendTimeoutFailsPendingInOrder) {
  FakeBrokerFixture f;
  f.broker.set_hook([](FakeBroker::Session&, proto::Frame& fr) { return fr.command.type() == pb::BaseCommand::SEND; });
  std::vector<Result<MessageId>> results;
  run_on(f.io, [&]() -> asio::awaitable<void> {
    ProducerOptions o = unbatched();
    o.send_timeout = 100ms;
    auto creating = f.create_producer(o);
    auto producer = co_await std::move(creating);
    if (!producer) co_return;
    for (int i = 0; i < 3; ++i) {
      OutgoingMessage m = text("t");
      EXPECT_TRUE(producer->try_send(m, [&](const Result<MessageId>& r) { results.push_back(r); }).ok());
    }
    PK_CO_EXPECT_EVENTUALLY_WITHIN(2000ms, results.size() == 3);
    EXPECT_EQ(producer->pending_messages(), 0u);
  });
  ASSERT_EQ(results.size(), 3u);
  for (const auto& r : results) {
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kTimeout);
  }
}

TEST(Producer, BrokerInitiatedCloseRecreatesAndResends) {
  FakeBrokerFixture f;
  bool closed_once = false;
  f.broker.set_hook([&](FakeBroker::Session& s, proto::Frame& frame) {
    if (frame.command.type() != pb::BaseCommand::SEND || closed_once) return false;
    closed_once = true;
    pb::BaseCommand close;
    close.set_type(pb::BaseCommand::CLOSE_PRODUCER);
    close.mutable_close_producer()->set_producer_id(frame.command.send().producer_id());
    close.mutable_close_producer()->set_request_id(0);
    s.send(close);
    return true;
  });
  run_on(f.io, [&]() -> asio::awaitable<void> {
    auto creating = f.create_producer(unbatched());
    auto producer = co_await std::move(creating);
    if (!producer) co_return;
    auto sending = producer->send(text("after-close"));
    auto id = co_await std::move(sending);
    EXPECT_TRUE(id.ok());
  });
  EXPECT_EQ(f.broker.connections_accepted(), 1u) << "the connection is shared and stays";
  EXPECT_EQ(f.broker.count(pb::BaseCommand::PRODUCER), 2u);
  EXPECT_EQ(f.broker.topic_log(kProducerTopic).size(), 1u);
}

TEST(Producer, OutOfOrderReceiptReconnects) {
  FakeBrokerFixture f;
  bool lied = false;
  f.broker.set_hook([&](FakeBroker::Session& s, proto::Frame& frame) {
    if (frame.command.type() != pb::BaseCommand::SEND || lied) return false;
    lied = true;
    pb::CommandSend wrong = frame.command.send();
    wrong.set_sequence_id(wrong.sequence_id() + 5);
    s.send(receipt_for(wrong, 0));
    return true;
  });
  run_on(f.io, [&]() -> asio::awaitable<void> {
    auto creating = f.create_producer(unbatched());
    auto producer = co_await std::move(creating);
    if (!producer) co_return;
    auto sending = producer->send(text("x"));
    auto id = co_await std::move(sending);
    EXPECT_TRUE(id.ok());
  });
  EXPECT_EQ(f.broker.connections_accepted(), 2u);
}

TEST(Producer, MalformedFrameFromBrokerReconnectsAndCarriesOn) {
  FakeBrokerFixture f;
  bool garbled = false;
  f.broker.set_hook([&](FakeBroker::Session& s, proto::Frame& frame) {
    if (frame.command.type() != pb::BaseCommand::SEND || garbled) return false;
    garbled = true;
    s.send_raw(std::string("\x00\x00\x00\x06\x00\x00\x00\x02\x08\xff", 10));  // a truncated varint command
    return true;
  });
  run_on(f.io, [&]() -> asio::awaitable<void> {
    auto creating = f.create_producer(unbatched());
    auto producer = co_await std::move(creating);
    if (!producer) co_return;
    auto sending = producer->send(text("survives"));
    auto id = co_await std::move(sending);
    EXPECT_TRUE(id.ok()) << (id.ok() ? "" : id.error().to_string());
  });
  EXPECT_EQ(f.broker.connections_accepted(), 2u);
  EXPECT_EQ(f.broker.topic_log(kProducerTopic).size(), 1u);
}

TEST(Producer, FatalCreateErrorIsReportedWithTheBrokersName) {
  FakeBrokerFixture f;
  f.broker.set_hook([](FakeBroker::Session& s, proto::Frame& frame) {
    if (frame.command.type() != pb::BaseCommand::PRODUCER) return false;
    pb::BaseCommand err;
    err.set_type(pb::BaseCommand::ERROR);
    err.mutable_error()->set_request_id(frame.command.producer().request_id());
    err.mutable_error()->set_error(pb::TopicTerminatedError);
    err.mutable_error()->set_message("Topic was already terminated");
    s.send(err);
    return true;
  });
  run_on(f.io, [&]() -> asio::awaitable<void> {
    auto creating = f.client->create_producer(unbatched());
    auto producer = co_await std::move(creating);
    EXPECT_FALSE(producer.ok());
    if (producer.ok()) co_return;
    EXPECT_EQ(producer.error().type, "TopicTerminatedError");
    EXPECT_NE(producer.error().message.find("already terminated"), std::string::npos);
  });
  EXPECT_EQ(f.broker.count(pb::BaseCommand::PRODUCER), 1u) << "not retried";
}

TEST(Producer, RetryableCreateErrorIsRetried) {
  FakeBrokerFixture f;
  int refusals = 0;
  f.broker.set_hook([&](FakeBroker::Session& s, proto::Frame& frame) {
    if (frame.command.type() != pb::BaseCommand::PRODUCER || refusals >= 2) return false;
    ++refusals;
    pb::BaseCommand err;
    err.set_type(pb::BaseCommand::ERROR);
    err.mutable_error()->set_request_id(frame.command.producer().request_id());
    err.mutable_error()->set_error(pb::ServiceNotReady);
    err.mutable_error()->set_message("bundle unloading");
    s.send(err);
    return true;
  });
  run_on(f.io, [&]() -> asio::awaitable<void> {
    auto creating = f.client->create_producer(unbatched());
    auto producer = co_await std::move(creating);
    EXPECT_TRUE(producer.ok());
  });
  EXPECT_EQ(f.broker.count(pb::BaseCommand::PRODUCER), 3u);
}

TEST(Producer, PartitionedTopicKnowsEachPartitionsLastSequenceId) {
  FakeBrokerFixture f;
  f.broker.set_partitions(kProducerTopic, 2);
  f.broker.set_deduplication(true);
  // Keys routed to partition 0 get 0..9, keys routed to partition 1 only 0..4: a crash left them apart.
  std::string key_of[2];
  for (int i = 0; key_of[0].empty() || key_of[1].empty(); ++i) {
    const std::string key = "key-" + std::to_string(i);
    key_of[proto::partition_for_key(key, 2)] = key;
  }
  std::vector<std::pair<std::string, uint64_t>> numbered;
  for (uint64_t seq = 0; seq < 10; ++seq) numbered.emplace_back(key_of[seq < 5 ? seq % 2 : 0], seq);
  run_on(f.io, [&]() -> asio::awaitable<void> {
    ProducerOptions o = unbatched();
    o.producer_name = "app/shardId-000000000000";
    auto reopening = send_numbered_and_reopen(f, o, numbered);
    auto again = co_await std::move(reopening);
    if (!again) co_return;
    EXPECT_EQ(again->last_sequence_id(), 9);
    EXPECT_EQ(again->last_sequence_id_for_key(key_of[0]), 9);
    EXPECT_EQ(again->last_sequence_id_for_key(key_of[1]), 3);
  });
}

TEST(Producer, PartitionedTopicRoutesKeysByMurmur3) {
  FakeBrokerFixture f;
  f.broker.set_partitions(kProducerTopic, 4);
  run_on(f.io, [&]() -> asio::awaitable<void> {
    auto creating = f.create_producer(unbatched());
    auto producer = co_await std::move(creating);
    if (!producer) co_return;
    EXPECT_EQ(producer->partitions(), 4u);
    for (int i = 0; i < 20; ++i) {
      OutgoingMessage m = text("p");
      m.key = "key-" + std::to_string(i);
      auto sending = producer->send(std::move(m));
      auto id = co_await std::move(sending);
      EXPECT_TRUE(id.ok());
      if (id.ok()) {
        EXPECT_EQ(id->partition, proto::partition_for_key("key-" + std::to_string(i), 4));
      }
    }
  });
  size_t total = 0;
  for (int p = 0; p < 4; ++p) {
    const auto& log = f.broker.topic_log(std::string(kProducerTopic) + "-partition-" + std::to_string(p));
    for (const auto& m : log) EXPECT_EQ(proto::partition_for_key(m.metadata.partition_key(), 4), p);
    total += log.size();
  }
  EXPECT_EQ(total, 20u);
}

TEST(Producer, KeyBasedBatchesNeverMixKeys) {
  FakeBrokerFixture f;
  run_on(f.io, [&]() -> asio::awaitable<void> {
    ProducerOptions o = unbatched();
    o.batching = true;
    o.batch_by_key = true;
    o.batch.max_delay = 10s;
    auto creating = f.create_producer(o);
    auto producer = co_await std::move(creating);
    if (!producer) co_return;
    for (int i = 0; i < 6; ++i) {
      OutgoingMessage m = text("v");
      m.key = i % 2 == 0 ? "even" : "odd";
      EXPECT_TRUE(producer->try_send(m, nullptr).ok());
    }
    auto flushing = producer->flush();
    auto flushing_result = co_await std::move(flushing);
    PK_EXPECT_OK(flushing_result);
  });
  ASSERT_EQ(f.broker.sends().size(), 2u);
  EXPECT_EQ(f.broker.sends()[0].metadata.partition_key(), "even");
  EXPECT_EQ(f.broker.sends()[0].num_messages, 3);
  EXPECT_EQ(f.broker.sends()[1].metadata.partition_key(), "odd");
}

TEST(Producer, OversizedMessageIsRefused) {
  FakeBrokerFixture f;
  f.broker.set_max_message_size(1000);
  run_on(f.io, [&]() -> asio::awaitable<void> {
    auto creating = f.create_producer(unbatched());
    auto producer = co_await std::move(creating);
    if (!producer) co_return;
    OutgoingMessage big = text(std::string(2000, 'x'));
    auto refused = producer->try_send(big, nullptr);
    EXPECT_FALSE(refused.ok());
    if (!refused.ok()) {
      EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument);
    }
  });
}

}  // namespace
}  // namespace pk::pulsar
