#include "pulsar/client/message.h"

#include <memory>

#include <gtest/gtest.h>

#include "pulsar/client/received_entry.h"
#include "pulsar/proto/batch.h"

namespace pk::pulsar {
namespace {

TEST(Message, EntryMetadataAndBatchMembership) {
  auto single = std::make_shared<ReceivedEntry>();
  single->topic = "persistent://t/n/x";
  single->metadata.set_encryption_algo("RSA");
  single->metadata.set_encryption_param("param");
  auto* key = single->metadata.add_encryption_keys();
  key->set_key("k1");
  key->set_value("v1");
  single->metadata.set_compression(pb::LZ4);
  single->metadata.set_uncompressed_size(77);
  single->payload = "p";
  const Message plain(single, 0, MessageId{});
  EXPECT_FALSE(plain.in_batch());
  EXPECT_EQ(plain.entry_metadata().encryption_algo(), "RSA");
  EXPECT_EQ(plain.entry_metadata().encryption_param(), "param");
  ASSERT_EQ(plain.entry_metadata().encryption_keys_size(), 1);
  EXPECT_EQ(plain.entry_metadata().encryption_keys(0).key(), "k1");
  EXPECT_EQ(plain.entry_metadata().compression(), pb::LZ4);
  EXPECT_EQ(plain.entry_metadata().uncompressed_size(), 77u);
  EXPECT_FALSE(plain.entry_metadata().has_num_messages_in_batch());

  auto batch = std::make_shared<ReceivedEntry>();
  batch->metadata.set_num_messages_in_batch(1);
  pb::SingleMessageMetadata m;
  proto::append_single_message(batch->payload, m, "only");
  auto split = proto::split_batch(batch->payload, 1);
  ASSERT_TRUE(split.ok());
  batch->singles = std::move(*split);
  batch->batched = true;
  const Message batched(batch, 0, MessageId{});
  EXPECT_TRUE(batched.in_batch());  // even alone in its batch
  EXPECT_EQ(batched.payload(), "only");
  EXPECT_EQ(batched.entry_metadata().num_messages_in_batch(), 1);
}

TEST(Message, ABatchedMessageWithoutItsOwnEventTimeHasTheEntrys) {
  auto batch = std::make_shared<ReceivedEntry>();
  batch->metadata.set_num_messages_in_batch(2);
  batch->metadata.set_event_time(500);
  pb::SingleMessageMetadata own;
  own.set_event_time(42);
  proto::append_single_message(batch->payload, own, "a");
  proto::append_single_message(batch->payload, pb::SingleMessageMetadata(), "b");
  auto split = proto::split_batch(batch->payload, 2);
  ASSERT_TRUE(split.ok());
  batch->singles = std::move(*split);
  batch->batched = true;
  EXPECT_EQ(Message(batch, 0, MessageId{}).event_time(), 42u);
  EXPECT_EQ(Message(batch, 1, MessageId{}).event_time(), 500u);
}

}  // namespace
}  // namespace pk::pulsar
