#include "pulsar/client/consumer.h"

#include <gtest/gtest.h>

#include "client_fixture.h"
#include "pulsar/proto/ack_set.h"
#include "pulsar/proto/batch.h"
#include "pulsar/proto/compression.h"

namespace pk::pulsar {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using pk::testing::FakeBroker;
using pk::testing::run_on;
using testing::FakeBrokerFixture;

constexpr const char* kConsumerTopic = "persistent://public/default/c";

ConsumerOptions shared_options() {
  ConsumerOptions o;
  o.topics = {kConsumerTopic};
  o.subscription = "sub";
  o.type = SubscriptionType::kShared;
  o.initial_position = InitialPosition::kEarliest;
  return o;
}

pb::MessageMetadata metadata(uint64_t seq) {
  pb::MessageMetadata md;
  md.set_producer_name("test-producer");
  md.set_sequence_id(seq);
  md.set_publish_time(1700000000000 + seq);
  return md;
}

void publish_plain(FakeBroker& broker, int n, const std::string& topic = kConsumerTopic) {
  for (int i = 0; i < n; ++i) {
    auto md = metadata(static_cast<uint64_t>(i));
    md.set_partition_key("key" + std::to_string(i));
    auto* p = md.add_properties();
    p->set_key("index");
    p->set_value(std::to_string(i));
    broker.publish(topic, md, "msg" + std::to_string(i));
  }
}

// One batch entry of `n` messages "b0".."b<n-1>".
void publish_batch(FakeBroker& broker, int n, pb::CompressionType compression = pb::NONE) {
  std::string payload;
  for (int i = 0; i < n; ++i) {
    pb::SingleMessageMetadata single;
    single.set_partition_key("k" + std::to_string(i));
    single.set_event_time(42 + i);
    single.set_sequence_id(100 + i);
    proto::append_single_message(payload, single, "b" + std::to_string(i));
  }
  auto md = metadata(100);
  md.set_num_messages_in_batch(n);
  if (compression != pb::NONE) {
    md.set_compression(compression);
    md.set_uncompressed_size(static_cast<uint32_t>(payload.size()));
    payload = proto::compress(compression, payload).value();
  }
  broker.publish(kConsumerTopic, md, payload);
}

std::vector<pb::CommandAck> acks_of(const FakeBroker& broker, pb::CommandAck::AckType type) {
  std::vector<pb::CommandAck> out;
  for (const auto& a : broker.acks()) {
    if (a.ack_type() == type && !a.has_validation_error()) out.push_back(a);
  }
  return out;
}

TEST(Consumer, ReceivesInOrderWithMetadataAndGrantsTheQueue) {
  FakeBrokerFixture f;
  publish_plain(f.broker, 5);
  run_on(f.io, [&]() -> asio::awaitable<void> {
    auto subscribing = f.subscribe(shared_options());
    auto consumer = co_await std::move(subscribing);
    if (!consumer) co_return;
    for (int i = 0; i < 5; ++i) {
      auto receiving = consumer->receive(2000ms);
      auto m = co_await std::move(receiving);
      PK_CO_ASSERT_OK(m);
      EXPECT_EQ(m->payload(), "msg" + std::to_string(i));
      EXPECT_EQ(m->key(), "key" + std::to_string(i));
      EXPECT_EQ(m->property("index"), std::to_string(i));
      EXPECT_EQ(m->topic(), kConsumerTopic);
      EXPECT_EQ(m->id().entry, i);
      EXPECT_EQ(m->publish_time(), 1700000000000u + i);
      EXPECT_EQ(m->producer_name(), "test-producer");
      EXPECT_EQ(m->redelivery_count(), 0u);
    }
    auto none = consumer->receive(50ms);
    auto r = co_await std::move(none);
    EXPECT_FALSE(r.ok());
    if (!r.ok()) {
      EXPECT_EQ(r.error().code, ErrorCode::kTimeout);
    }
  });
  bool saw_full_queue = false;
  for (const auto& c : f.broker.commands()) {
    if (c.type() == pb::BaseCommand::FLOW && c.flow().messagepermits() == 1000) saw_full_queue = true;
    if (c.type() == pb::BaseCommand::SUBSCRIBE) {
      EXPECT_EQ(c.subscribe().subtype(), pb::CommandSubscribe::Shared);
      EXPECT_EQ(c.subscribe().initialposition(), pb::CommandSubscribe::Earliest);
      EXPECT_EQ(c.subscribe().subscription(), "sub");
    }
  }
  EXPECT_TRUE(saw_full_queue);
}

TEST(Consumer, FlowPermitsBoundTheQueueAndRefillAtHalf) {
  FakeBrokerFixture f;
  publish_plain(f.broker, 25);
  run_on(f.io, [&]() -> asio::awaitable<void> {
    auto o = shared_options();
    o.receiver_queue_size = 10;
    auto subscribing = f.subscribe(o);
    auto consumer = co_await std::move(subscribing);
    if (!consumer) co_return;
    PK_CO_EXPECT_EVENTUALLY(consumer->queued() == 10);
    co_await net::sleep(20ms);
    EXPECT_EQ(consumer->queued(), 10u) << "no more than the permits";
    for (int i = 0; i < 4; ++i) EXPECT_TRUE(consumer->try_receive());
    co_await net::sleep(20ms);
    EXPECT_EQ(f.broker.count(pb::BaseCommand::FLOW), 1u) << "below half: no refill yet";
    EXPECT_TRUE(consumer->try_receive());
    PK_CO_EXPECT_EVENTUALLY(f.broker.count(pb::BaseCommand::FLOW) == 2);
    PK_CO_EXPECT_EVENTUALLY(consumer->queued() == 10);
  });
  const auto& cmds = f.broker.commands();
  std::vector<uint32_t> permits;
  for (const auto& c : cmds) {
    if (c.type() == pb::BaseCommand::FLOW) permits.push_back(c.flow().messagepermits());
  }
  ASSERT_GE(permits.size(), 2u);
  EXPECT_EQ(permits[0], 10u);
  EXPECT_EQ(permits[1], 5u);
}

TEST(Consumer, BatchIsUnpackedAndAckedAsOneEntryOnceComplete) {
  FakeBrokerFixture f;
  publish_batch(f.broker, 4);
  run_on(f.io, [&]() -> asio::awaitable<void> {
    auto o = shared_options();
    o.ack_group_time = 0ms;
    auto subscribing = f.subscribe(o);
    auto consumer = co_await std::move(subscribing);
    if (!consumer) co_return;
    std::vector<Message> got;
    for (int i = 0; i < 4; ++i) {
      auto receiving = consumer->receive(2000ms);
      auto m = co_await std::move(receiving);
      PK_CO_ASSERT_OK(m);
      got.push_back(*m);
    }
    for (int i = 0; i < 4; ++i) {
      EXPECT_EQ(got[i].payload(), "b" + std::to_string(i));
      EXPECT_EQ(got[i].key(), "k" + std::to_string(i));
      EXPECT_EQ(got[i].event_time(), 42u + i);
      EXPECT_EQ(got[i].sequence_id(), 100u + i);
      EXPECT_EQ(got[i].id().batch_index, i);
      EXPECT_EQ(got[i].id().batch_size, 4);
    }
    for (int i = 0; i < 3; ++i) EXPECT_TRUE(consumer->acknowledge(got[i].id()).ok());
    co_await net::sleep(20ms);
    EXPECT_TRUE(acks_of(f.broker, pb::CommandAck::Individual).empty()) << "held until the whole batch is acked";
    EXPECT_TRUE(consumer->acknowledge(got[3].id()).ok());
    PK_CO_EXPECT_EVENTUALLY(acks_of(f.broker, pb::CommandAck::Individual).size() == 1);
  });
  auto acks = acks_of(f.broker, pb::CommandAck::Individual);
  ASSERT_EQ(acks.size(), 1u);
  ASSERT_EQ(acks[0].message_id_size(), 1);
  EXPECT_EQ(acks[0].message_id(0).ack_set_size(), 0) << "a whole-entry ack";
}

TEST(Consumer, BatchIndexAckSendsTheUnackedSet) {
  FakeBrokerFixture f;
  publish_batch(f.broker, 3);
  run_on(f.io, [&]() -> asio::awaitable<void> {
    auto o = shared_options();
    o.ack_group_time = 0ms;
    o.batch_index_ack = true;
    auto subscribing = f.subscribe(o);
    auto consumer = co_await std::move(subscribing);
    if (!consumer) co_return;
    auto receiving = consumer->receive(2000ms);
    auto first = co_await std::move(receiving);
    PK_CO_ASSERT_OK(first);
    EXPECT_TRUE(consumer->acknowledge(first->id()).ok());
    PK_CO_EXPECT_EVENTUALLY(!acks_of(f.broker, pb::CommandAck::Individual).empty());
  });
  auto acks = acks_of(f.broker, pb::CommandAck::Individual);
  ASSERT_EQ(acks.size(), 1u);
  const auto& id = acks[0].message_id(0);
  EXPECT_EQ(id.batch_size(), 3);
  auto set = proto::AckSet::from_words(id.ack_set());
  EXPECT_FALSE(set.get(0)) << "index 0 acked";
  EXPECT_TRUE(set.get(1));
  EXPECT_TRUE(set.get(2));
}

TEST(Consumer, BrokerAckSetSkipsIndexesAckedBefore) {
  FakeBrokerFixture f;
  publish_batch(f.broker, 4);
  f.broker.set_hook([&](FakeBroker::Session&, proto::Frame&) { return false; });
  // Rewrite deliveries: indexes 0 and 2 already acked (bits set = still unacked: 1 and 3).
  f.broker.set_hook(nullptr);
  run_on(f.io, [&]() -> asio::awaitable<void> {
    auto o = shared_options();
    o.ack_group_time = 0ms;
    auto subscribing = f.subscribe(o);
    auto consumer = co_await std::move(subscribing);
    if (!consumer) co_return;
    // Deliver the same entry again by hand, with an ack set.
    PK_CO_EXPECT_EVENTUALLY(consumer->queued() == 4);
    while (consumer->try_receive()) {
    }
    pb::BaseCommand msg;
    msg.set_type(pb::BaseCommand::MESSAGE);
    msg.mutable_message()->set_consumer_id(0);
    msg.mutable_message()->mutable_message_id()->set_ledgerid(1);
    msg.mutable_message()->mutable_message_id()->set_entryid(9);
    msg.mutable_message()->add_ack_set(0b1010);
    const auto& stored = f.broker.topic_log(kConsumerTopic)[0];
    std::string frame;
    proto::append_payload_command(frame, msg, stored.metadata, stored.payload);
    f.broker.send_raw_to_all(frame);
    PK_CO_EXPECT_EVENTUALLY(consumer->queued() == 2);
    auto a = consumer->try_receive();
    auto b = consumer->try_receive();
    EXPECT_TRUE(a && b);
    if (!(a && b)) co_return;
    EXPECT_EQ(a->payload(), "b1");
    EXPECT_EQ(b->payload(), "b3");
    // Acking the two delivered ones completes the entry (the others were acked before).
    EXPECT_TRUE(consumer->acknowledge(a->id()).ok());
    EXPECT_TRUE(consumer->acknowledge(b->id()).ok());
    const auto whole_entry_acked = [&] {
      for (const auto& ack : acks_of(f.broker, pb::CommandAck::Individual)) {
        if (ack.message_id(0).entryid() == 9 && ack.message_id(0).ack_set_size() == 0) return true;
      }
      return false;
    };
    PK_CO_EXPECT_EVENTUALLY(whole_entry_acked());
  });
}

TEST(Consumer, CompressedBatchesAreDecompressed) {
  for (auto c : {pb::LZ4, pb::ZLIB, pb::ZSTD, pb::SNAPPY}) {
    FakeBrokerFixture f;
    publish_batch(f.broker, 3, c);
    run_on(f.io, [&]() -> asio::awaitable<void> {
      auto subscribing = f.subscribe(shared_options());
      auto consumer = co_await std::move(subscribing);
      if (!consumer) co_return;
      auto receiving = consumer->receive_batch(10, 2000ms);
      auto batch = co_await std::move(receiving);
      PK_CO_ASSERT_OK(batch);
      PK_CO_EXPECT_EVENTUALLY(consumer->queued() + batch->size() == 3);
      if (!batch->empty()) {
        EXPECT_EQ((*batch)[0].payload(), "b0") << pb::CompressionType_Name(c);
      }
    });
  }
}

TEST(Consumer, AnEncryptedEntryIsDeliveredWholeAndAsItIs) {
  // A compressed, encrypted batch of 3: we cannot decrypt, so it can be neither decompressed nor split. It comes
  // out as one message with the ciphertext and the entry's encryption metadata (what the sink's formats carry).
  FakeBrokerFixture f;
  auto md = metadata(7);
  md.set_num_messages_in_batch(3);
  md.set_compression(pb::LZ4);
  md.set_uncompressed_size(99);
  md.set_encryption_algo("AES-GCM");
  md.set_encryption_param(std::string("\x01\x02\x03", 3));
  auto* key = md.add_encryption_keys();
  key->set_key("client-rsa.pem");
  key->set_value(std::string("\x00\xffsecret-key", 12));
  static constexpr char kCiphertext[] = "\x00\xff encrypted bytes \x80";
  const std::string ciphertext(kCiphertext, sizeof kCiphertext - 1);
  f.broker.publish(kConsumerTopic, md, ciphertext);
  run_on(f.io, [&]() -> asio::awaitable<void> {
    auto o = shared_options();
    o.ack_group_time = 0ms;
    auto subscribing = f.subscribe(o);
    auto consumer = co_await std::move(subscribing);
    if (!consumer) co_return;
    auto receiving = consumer->receive(2000ms);
    auto m = co_await std::move(receiving);
    PK_CO_ASSERT_OK(m);
    EXPECT_EQ(m->payload(), ciphertext);
    EXPECT_FALSE(m->id().is_batched());
    EXPECT_FALSE(m->in_batch());
    EXPECT_EQ(m->entry_metadata().encryption_keys_size(), 1);
    EXPECT_EQ(m->entry_metadata().encryption_keys(0).key(), "client-rsa.pem");
    EXPECT_EQ(m->entry_metadata().num_messages_in_batch(), 3);
    EXPECT_EQ(m->entry_metadata().compression(), pb::LZ4);
    co_await net::sleep(20ms);
    EXPECT_EQ(consumer->queued(), 0u) << "one message for the whole entry";
    EXPECT_TRUE(consumer->acknowledge(m->id()).ok());
    PK_CO_EXPECT_EVENTUALLY(acks_of(f.broker, pb::CommandAck::Individual).size() == 1);
  });
  auto acks = acks_of(f.broker, pb::CommandAck::Individual);
  ASSERT_EQ(acks.size(), 1u);
  EXPECT_EQ(acks[0].message_id(0).ack_set_size(), 0) << "a whole-entry ack";
}

TEST(Consumer, AcksAreGroupedIntoOneCommand) {
  FakeBrokerFixture f;
  publish_plain(f.broker, 10);
  run_on(f.io, [&]() -> asio::awaitable<void> {
    auto o = shared_options();
    o.ack_group_time = 50ms;
    auto subscribing = f.subscribe(o);
    auto consumer = co_await std::move(subscribing);
    if (!consumer) co_return;
    for (int i = 0; i < 10; ++i) {
      auto receiving = consumer->receive(2000ms);
      auto m = co_await std::move(receiving);
      PK_CO_ASSERT_OK(m);
      EXPECT_TRUE(consumer->acknowledge(m->id()).ok());
    }
    EXPECT_TRUE(acks_of(f.broker, pb::CommandAck::Individual).empty()) << "not one ACK per message";
    PK_CO_EXPECT_EVENTUALLY(!acks_of(f.broker, pb::CommandAck::Individual).empty());
  });
  auto acks = acks_of(f.broker, pb::CommandAck::Individual);
  ASSERT_EQ(acks.size(), 1u);
  EXPECT_EQ(acks[0].message_id_size(), 10);
}

TEST(Consumer, CumulativeAckOnExclusive) {
  FakeBrokerFixture f;
  publish_plain(f.broker, 5);
  run_on(f.io, [&]() -> asio::awaitable<void> {
    auto o = shared_options();
    o.type = SubscriptionType::kExclusive;
    o.ack_group_time = 0ms;
    auto subscribing = f.subscribe(o);
    auto consumer = co_await std::move(subscribing);
    if (!consumer) co_return;
    Message last;
    for (int i = 0; i < 5; ++i) {
      auto receiving = consumer->receive(2000ms);
      auto m = co_await std::move(receiving);
      PK_CO_ASSERT_OK(m);
      last = *m;
    }
    EXPECT_TRUE(consumer->acknowledge_cumulative(last.id()).ok());
    PK_CO_EXPECT_EVENTUALLY(!acks_of(f.broker, pb::CommandAck::Cumulative).empty());
  });
  auto acks = acks_of(f.broker, pb::CommandAck::Cumulative);
  ASSERT_EQ(acks.size(), 1u);
  EXPECT_EQ(acks[0].message_id(0).entryid(), 4u);
}

TEST(Consumer, CumulativeAckIsRefusedOnShared) {
  FakeBrokerFixture f;
  publish_plain(f.broker, 1);
  run_on(f.io, [&]() -> asio::awaitable<void> {
    auto subscribing = f.subscribe(shared_options());
    auto consumer = co_await std::move(subscribing);
    if (!consumer) co_return;
    auto receiving = consumer->receive(2000ms);
    auto m = co_await std::move(receiving);
    PK_CO_ASSERT_OK(m);
    auto refused = consumer->acknowledge_cumulative(m->id());
    EXPECT_FALSE(refused.ok());
    if (!refused.ok()) {
      EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument);
      EXPECT_EQ(refused.error().message, "cumulative acks are not allowed on Shared/Key_Shared subscriptions");
    }
  });
}

TEST(Consumer, NegativeAckRedeliversAfterTheDelayWithACount) {
  FakeBrokerFixture f;
  publish_plain(f.broker, 2);
  run_on(f.io, [&]() -> asio::awaitable<void> {
    auto o = shared_options();
    o.negative_ack_delay = 100ms;
    auto subscribing = f.subscribe(o);
    auto consumer = co_await std::move(subscribing);
    if (!consumer) co_return;
    auto receiving = consumer->receive(2000ms);
    auto m = co_await std::move(receiving);
    PK_CO_ASSERT_OK(m);
    EXPECT_EQ(m->payload(), "msg0");
    const auto nacked_at = std::chrono::steady_clock::now();
    consumer->negative_acknowledge(m->id());
    auto second_receive = consumer->receive(2000ms);
    auto second = co_await std::move(second_receive);
    EXPECT_TRUE(second.ok() && second->payload() == "msg1");
    auto again_receive = consumer->receive(2000ms);
    auto again = co_await std::move(again_receive);
    PK_CO_ASSERT_OK(again);
    EXPECT_EQ(again->payload(), "msg0");
    EXPECT_EQ(again->redelivery_count(), 1u);
    EXPECT_GE(std::chrono::steady_clock::now() - nacked_at, 90ms);
  });
  ASSERT_EQ(f.broker.count(pb::BaseCommand::REDELIVER_UNACKNOWLEDGED_MESSAGES), 1u);
}

TEST(Consumer, BrokerDropResubscribesAndGetsTheRestAgain) {
  FakeBrokerFixture f;
  publish_plain(f.broker, 6);
  run_on(f.io, [&]() -> asio::awaitable<void> {
    auto o = shared_options();
    o.ack_group_time = 0ms;
    auto subscribing = f.subscribe(o);
    auto consumer = co_await std::move(subscribing);
    if (!consumer) co_return;
    std::vector<std::string> got;
    for (int i = 0; i < 3; ++i) {
      auto receiving = consumer->receive(2000ms);
      auto m = co_await std::move(receiving);
      PK_CO_ASSERT_OK(m);
      got.emplace_back(m->payload());
      EXPECT_TRUE(consumer->acknowledge(m->id()).ok());
    }
    PK_CO_EXPECT_EVENTUALLY(acks_of(f.broker, pb::CommandAck::Individual).size() == 3);
    f.broker.close_all();
    PK_CO_EXPECT_EVENTUALLY(f.broker.count(pb::BaseCommand::SUBSCRIBE) == 2);
    while (got.size() < 6) {
      auto receiving = consumer->receive(3000ms);
      auto m = co_await std::move(receiving);
      PK_CO_ASSERT_OK(m);
      got.emplace_back(m->payload());
    }
    EXPECT_EQ(got, (std::vector<std::string>{"msg0", "msg1", "msg2", "msg3", "msg4", "msg5"}));
  });
  EXPECT_EQ(f.broker.count(pb::BaseCommand::SUBSCRIBE), 2u);
}

TEST(Consumer, ChecksumMismatchIsAckedWithAValidationErrorAndNotDelivered) {
  FakeBrokerFixture f;
  run_on(f.io, [&]() -> asio::awaitable<void> {
    auto subscribing = f.subscribe(shared_options());
    auto consumer = co_await std::move(subscribing);
    if (!consumer) co_return;
    pb::BaseCommand msg;
    msg.set_type(pb::BaseCommand::MESSAGE);
    msg.mutable_message()->set_consumer_id(0);
    msg.mutable_message()->mutable_message_id()->set_ledgerid(3);
    msg.mutable_message()->mutable_message_id()->set_entryid(4);
    std::string frame;
    proto::append_payload_command(frame, msg, metadata(1), "payload!");
    frame.back() ^= 0x20;  // corrupt the payload: the checksum no longer matches
    f.broker.send_raw_to_all(frame);
    PK_CO_EXPECT_EVENTUALLY(!f.broker.acks().empty());
    EXPECT_EQ(consumer->queued(), 0u);
  });
  ASSERT_EQ(f.broker.acks().size(), 1u);
  EXPECT_EQ(f.broker.acks()[0].validation_error(), pb::CommandAck::ChecksumMismatch);
}

TEST(Consumer, PartitionedTopicConsumesEveryPartitionAndRoutesAcks) {
  FakeBrokerFixture f;
  f.broker.set_partitions(kConsumerTopic, 3);
  for (int p = 0; p < 3; ++p)
    publish_plain(f.broker, 2, std::string(kConsumerTopic) + "-partition-" + std::to_string(p));
  run_on(f.io, [&]() -> asio::awaitable<void> {
    auto o = shared_options();
    o.ack_group_time = 0ms;
    auto subscribing = f.subscribe(o);
    auto consumer = co_await std::move(subscribing);
    if (!consumer) co_return;
    EXPECT_EQ(consumer->topics().size(), 3u);
    std::set<std::string> topics;
    for (int i = 0; i < 6; ++i) {
      auto receiving = consumer->receive(2000ms);
      auto m = co_await std::move(receiving);
      PK_CO_ASSERT_OK(m);
      topics.insert(m->topic());
      EXPECT_EQ(m->id().partition, std::stoi(m->topic().substr(m->topic().rfind('-') + 1)));
      EXPECT_TRUE(consumer->acknowledge(m->id()).ok());
    }
    EXPECT_EQ(topics.size(), 3u);
    PK_CO_EXPECT_EVENTUALLY(acks_of(f.broker, pb::CommandAck::Individual).size() == 6);
  });
  // Each ack went to the consumer id of the partition the message came from.
  std::set<uint64_t> consumers;
  for (const auto& a : acks_of(f.broker, pb::CommandAck::Individual)) consumers.insert(a.consumer_id());
  EXPECT_EQ(consumers.size(), 3u);
}

TEST(Consumer, RegexSubscriptionFindsMatchingTopics) {
  FakeBrokerFixture f;
  publish_plain(f.broker, 1, "persistent://public/default/orders-eu");
  publish_plain(f.broker, 1, "persistent://public/default/orders-us");
  publish_plain(f.broker, 1, "persistent://public/default/payments");
  run_on(f.io, [&]() -> asio::awaitable<void> {
    ConsumerOptions o = shared_options();
    o.topics.clear();
    o.topics_pattern = "persistent://public/default/orders-.*";
    auto subscribing = f.subscribe(o);
    auto consumer = co_await std::move(subscribing);
    if (!consumer) co_return;
    auto topics = consumer->topics();
    std::sort(topics.begin(), topics.end());
    EXPECT_EQ(topics, (std::vector<std::string>{"persistent://public/default/orders-eu",
                                                "persistent://public/default/orders-us"}));
    PK_CO_EXPECT_EVENTUALLY(consumer->queued() == 2);
    auto receiving = consumer->receive_batch(10, 2000ms);
    auto batch = co_await std::move(receiving);
    PK_CO_ASSERT_OK(batch);
    EXPECT_EQ(batch->size(), 2u) << "one message from each matching topic, none from payments";
    std::vector<std::string> from;
    for (const auto& m : *batch) from.emplace_back(m.topic());
    std::sort(from.begin(), from.end());
    EXPECT_EQ(from, topics);
  });
}

TEST(Consumer, BadOptionsAreRefused) {
  struct Case {
    ConsumerOptions options;
    std::string message;  // what the error message starts with
  };
  std::vector<Case> cases;
  cases.push_back({shared_options(), "subscribe: give either topics or a topics pattern"});
  cases.back().options.topics.clear();
  cases.push_back({shared_options(), "subscribe: give either topics or a topics pattern"});
  cases.back().options.topics_pattern = "persistent://public/default/orders-.*";
  cases.push_back({shared_options(), "subscribe: no subscription name"});
  cases.back().options.subscription.clear();
  cases.push_back({shared_options(), "topics pattern 'persistent://public/default/orders-(' is not a valid regex: "});
  cases.back().options.topics.clear();
  cases.back().options.topics_pattern = "persistent://public/default/orders-(";
  cases.push_back({shared_options(), "topics pattern 'orders-.*': expected [persistent://]tenant/namespace/<regex>"});
  cases.back().options.topics.clear();
  cases.back().options.topics_pattern = "orders-.*";
  FakeBrokerFixture f;
  run_on(f.io, [&]() -> asio::awaitable<void> {
    for (const Case& c : cases) {
      auto subscribing = f.client->subscribe(c.options);
      auto refused = co_await std::move(subscribing);
      EXPECT_FALSE(refused.ok()) << c.message;
      if (refused.ok()) continue;
      EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument) << c.message;
      EXPECT_TRUE(refused.error().message.starts_with(c.message)) << refused.error().message;
    }
  });
  EXPECT_EQ(f.broker.count(pb::BaseCommand::SUBSCRIBE), 0u);
}

}  // namespace
}  // namespace pk::pulsar
