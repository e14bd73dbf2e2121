// Pins the field numbers of pulsar_wire.proto: messages built with the generated classes must serialize to the
// bytes written here by hand from the protocol's field list (tag byte = field_number << 3 | wire_type; wire type
// 0 = varint, 2 = length-delimited). If a number in the .proto drifts, these bytes stop matching.

#include <gtest/gtest.h>

#include <string>
#include <tuple>

#include "pulsar/proto/pulsar_wire.pb.h"
#include "test_bytes.h"

namespace pk::pulsar::pb {
namespace {

using proto::testing::hex_bytes;
using proto::testing::to_hex;

std::string bytes_of(const google::protobuf::MessageLite& m) {
  std::string out;
  EXPECT_TRUE(m.SerializeToString(&out));
  return to_hex(out);
}

TEST(WireFormat, BaseCommandTypeAndPing) {
  BaseCommand cmd;
  cmd.set_type(BaseCommand::PING);
  cmd.mutable_ping();
  // type#1 varint 18; ping#18 length-delimited: tag 18<<3|2 = 146 = varint 92 01, length 0.
  EXPECT_EQ(bytes_of(cmd), "08 12 92 01 00");
}

TEST(WireFormat, Connect) {
  BaseCommand cmd;
  cmd.set_type(BaseCommand::CONNECT);
  auto* c = cmd.mutable_connect();
  c->set_client_version("pk");
  c->set_protocol_version(21);
  c->set_auth_method_name("t");
  c->set_auth_data("x");
  c->mutable_feature_flags()->set_supports_auth_refresh(true);
  c->mutable_feature_flags()->set_supports_broker_entry_metadata(true);
  // connect#2 { client_version#1 "pk", auth_data#3 "x", protocol_version#4 21, auth_method_name#5 "t",
  //             feature_flags#10 { supports_auth_refresh#1 1, supports_broker_entry_metadata#2 1 } }
  EXPECT_EQ(bytes_of(cmd),
            "08 02 12 12"
            " 0a 02 70 6b"
            " 1a 01 78"
            " 20 15"
            " 2a 01 74"
            " 52 04 08 01 10 01");
}

TEST(WireFormat, Connected) {
  BaseCommand cmd;
  cmd.set_type(BaseCommand::CONNECTED);
  auto* c = cmd.mutable_connected();
  c->set_server_version("b");
  c->set_protocol_version(20);
  c->set_max_message_size(5242880);  // 0x500000 = varint 80 80 c0 02
  EXPECT_EQ(bytes_of(cmd), "08 03 1a 0a 0a 01 62 10 14 18 80 80 c0 02");
}

TEST(WireFormat, Send) {
  BaseCommand cmd;
  cmd.set_type(BaseCommand::SEND);
  auto* s = cmd.mutable_send();
  s->set_producer_id(1);
  s->set_sequence_id(7);
  s->set_num_messages(3);
  s->set_highest_sequence_id(9);
  s->set_is_chunk(true);
  // send#6: tag 6<<3|2 = 0x32 { producer_id#1, sequence_id#2, num_messages#3, highest_sequence_id#6, is_chunk#7 }
  EXPECT_EQ(bytes_of(cmd), "08 06 32 0a 08 01 10 07 18 03 30 09 38 01");
}

TEST(WireFormat, SendReceiptAndError) {
  BaseCommand receipt;
  receipt.set_type(BaseCommand::SEND_RECEIPT);
  auto* r = receipt.mutable_send_receipt();
  r->set_producer_id(1);
  r->set_sequence_id(2);
  r->mutable_message_id()->set_ledgerid(3);
  r->mutable_message_id()->set_entryid(4);
  r->set_highest_sequence_id(5);
  EXPECT_EQ(bytes_of(receipt), "08 07 3a 0c 08 01 10 02 1a 04 08 03 10 04 20 05");

  BaseCommand error;
  error.set_type(BaseCommand::SEND_ERROR);
  auto* e = error.mutable_send_error();
  e->set_producer_id(1);
  e->set_sequence_id(2);
  e->set_error(ChecksumError);
  e->set_message("m");
  EXPECT_EQ(bytes_of(error), "08 08 42 09 08 01 10 02 18 09 22 01 6d");
}

TEST(WireFormat, Message) {
  BaseCommand cmd;
  cmd.set_type(BaseCommand::MESSAGE);
  auto* m = cmd.mutable_message();
  m->set_consumer_id(2);
  m->mutable_message_id()->set_ledgerid(5);
  m->mutable_message_id()->set_entryid(6);
  m->set_redelivery_count(1);
  m->add_ack_set(5);
  m->set_consumer_epoch(3);
  // message#9: tag 9<<3|2 = 0x4a { consumer_id#1, message_id#2 {ledgerId#1, entryId#2}, redelivery_count#3,
  //                               ack_set#4 (proto2 repeated scalar: not packed), consumer_epoch#5 }
  EXPECT_EQ(bytes_of(cmd), "08 09 4a 0e 08 02 12 04 08 05 10 06 18 01 20 05 28 03");
}

TEST(WireFormat, MessageIdDataDefaultsAndBatchFields) {
  MessageIdData id;
  EXPECT_EQ(id.partition(), -1);
  EXPECT_EQ(id.batch_index(), -1);
  id.set_ledgerid(5);
  id.set_entryid(6);
  EXPECT_EQ(bytes_of(id), "08 05 10 06");  // defaults are not written
  id.set_partition(-1);                    // int32 -1 is a 10-byte varint
  id.set_batch_index(2);
  id.add_ack_set(-1);
  id.set_batch_size(4);
  EXPECT_EQ(bytes_of(id), "08 05 10 06 18 ff ff ff ff ff ff ff ff ff 01 20 02 28 ff ff ff ff ff ff ff ff ff 01 30 04");
}

TEST(WireFormat, MessageMetadataKeyFields) {
  MessageMetadata md;
  md.set_producer_name("p");
  md.set_sequence_id(3);
  md.set_publish_time(1000);
  auto* kv = md.add_properties();
  kv->set_key("a");
  kv->set_value("b");
  md.set_partition_key("k");
  md.set_compression(LZ4);
  md.set_uncompressed_size(100);
  md.set_num_messages_in_batch(2);
  md.set_event_time(5);
  md.set_partition_key_b64_encoded(true);
  md.set_ordering_key("o");
  md.set_deliver_at_time(7);
  md.set_highest_sequence_id(4);
  md.set_null_value(true);
  EXPECT_EQ(bytes_of(md),
            "0a 01 70"                  // producer_name#1
            " 10 03"                    // sequence_id#2
            " 18 e8 07"                 // publish_time#3
            " 22 06 0a 01 61 12 01 62"  // properties#4 {key#1, value#2}
            " 32 01 6b"                 // partition_key#6
            " 40 01"                    // compression#8 LZ4
            " 48 64"                    // uncompressed_size#9
            " 58 02"                    // num_messages_in_batch#11
            " 60 05"                    // event_time#12
            " 88 01 01"                 // partition_key_b64_encoded#17
            " 92 01 01 6f"              // ordering_key#18
            " 98 01 07"                 // deliver_at_time#19
            " c0 01 04"                 // highest_sequence_id#24
            " c8 01 01");               // null_value#25
}

TEST(WireFormat, MessageMetadataChunkFields) {
  MessageMetadata md;
  md.set_producer_name("p");
  md.set_sequence_id(0);
  md.set_publish_time(0);
  md.set_uuid("u");
  md.set_num_chunks_from_msg(2);
  md.set_total_chunk_msg_size(9);
  md.set_chunk_id(1);
  md.set_schema_version("v");
  EXPECT_EQ(bytes_of(md), "0a 01 70 10 00 18 00 82 01 01 76 d2 01 01 75 d8 01 02 e0 01 09 e8 01 01");
}

TEST(WireFormat, SingleMessageMetadata) {
  SingleMessageMetadata smm;
  auto* kv = smm.add_properties();
  kv->set_key("a");
  kv->set_value("b");
  smm.set_partition_key("k");
  smm.set_payload_size(10);
  smm.set_compacted_out(true);
  smm.set_event_time(5);
  smm.set_partition_key_b64_encoded(true);
  smm.set_ordering_key("o");
  smm.set_sequence_id(7);
  smm.set_null_value(true);
  EXPECT_EQ(bytes_of(smm), "0a 06 0a 01 61 12 01 62 12 01 6b 18 0a 20 01 28 05 30 01 3a 01 6f 40 07 48 01");
}

TEST(WireFormat, BrokerEntryMetadata) {
  BrokerEntryMetadata bem;
  bem.set_broker_timestamp(1);
  bem.set_index(2);
  EXPECT_EQ(bytes_of(bem), "08 01 10 02");
}

TEST(WireFormat, ProducerAndSuccess) {
  BaseCommand cmd;
  cmd.set_type(BaseCommand::PRODUCER);
  auto* p = cmd.mutable_producer();
  p->set_topic("t");
  p->set_producer_id(1);
  p->set_request_id(2);
  p->set_producer_name("n");
  p->set_epoch(3);
  p->set_user_provided_producer_name(true);
  p->set_producer_access_mode(ExclusiveWithFencing);
  p->set_topic_epoch(4);
  EXPECT_EQ(bytes_of(cmd), "08 05 2a 12 0a 01 74 10 01 18 02 22 01 6e 40 03 48 01 50 03 58 04");

  BaseCommand ok;
  ok.set_type(BaseCommand::PRODUCER_SUCCESS);
  auto* s = ok.mutable_producer_success();
  s->set_request_id(2);
  s->set_producer_name("n");
  s->set_last_sequence_id(-1);
  s->set_topic_epoch(4);
  s->set_producer_ready(false);
  // producer_success#17: tag 17<<3|2 = 138 = 8a 01
  EXPECT_EQ(bytes_of(ok), "08 11 8a 01 14 08 02 12 01 6e 18 ff ff ff ff ff ff ff ff ff 01 28 04 30 00");
}

TEST(WireFormat, Subscribe) {
  BaseCommand cmd;
  cmd.set_type(BaseCommand::SUBSCRIBE);
  auto* s = cmd.mutable_subscribe();
  s->set_topic("t");
  s->set_subscription("s");
  s->set_subtype(CommandSubscribe::Key_Shared);
  s->set_consumer_id(1);
  s->set_request_id(2);
  s->set_consumer_name("c");
  s->set_durable(true);
  s->set_initialposition(CommandSubscribe::Earliest);
  auto* ks = s->mutable_keysharedmeta();
  ks->set_keysharedmode(STICKY);
  auto* range = ks->add_hashranges();
  range->set_start(0);
  range->set_end(65535);
  s->set_consumer_epoch(1);
  EXPECT_EQ(bytes_of(cmd),
            "08 04 22 23"
            " 0a 01 74 12 01 73 18 03 20 01 28 02 32 01 63 40 01"
            " 68 01"                                   // initialPosition#13
            " 8a 01 0a 08 01 1a 06 08 00 10 ff ff 03"  // keySharedMeta#17 {mode#1, hashRanges#3 {start, end}}
            " 98 01 01");                              // consumer_epoch#19
}

TEST(WireFormat, FlowAckRedeliver) {
  BaseCommand flow;
  flow.set_type(BaseCommand::FLOW);
  flow.mutable_flow()->set_consumer_id(1);
  flow.mutable_flow()->set_messagepermits(1000);
  EXPECT_EQ(bytes_of(flow), "08 0b 5a 05 08 01 10 e8 07");

  BaseCommand ack;
  ack.set_type(BaseCommand::ACK);
  auto* a = ack.mutable_ack();
  a->set_consumer_id(1);
  a->set_ack_type(CommandAck::Cumulative);
  auto* id = a->add_message_id();
  id->set_ledgerid(3);
  id->set_entryid(4);
  a->set_validation_error(CommandAck::ChecksumMismatch);
  a->set_request_id(9);
  EXPECT_EQ(bytes_of(ack), "08 0a 52 0e 08 01 10 01 1a 04 08 03 10 04 20 02 40 09");

  BaseCommand redeliver;
  redeliver.set_type(BaseCommand::REDELIVER_UNACKNOWLEDGED_MESSAGES);
  auto* r = redeliver.mutable_redeliverunacknowledgedmessages();
  r->set_consumer_id(1);
  r->set_consumer_epoch(2);
  EXPECT_EQ(bytes_of(redeliver), "08 14 a2 01 04 08 01 18 02");
}

TEST(WireFormat, LookupAndPartitionedMetadata) {
  BaseCommand lookup;
  lookup.set_type(BaseCommand::LOOKUP);
  lookup.mutable_lookuptopic()->set_topic("t");
  lookup.mutable_lookuptopic()->set_request_id(1);
  lookup.mutable_lookuptopic()->set_authoritative(true);
  EXPECT_EQ(bytes_of(lookup), "08 17 ba 01 07 0a 01 74 10 01 18 01");

  BaseCommand response;
  response.set_type(BaseCommand::LOOKUP_RESPONSE);
  auto* r = response.mutable_lookuptopicresponse();
  r->set_brokerserviceurl("u");
  r->set_brokerserviceurltls("s");
  r->set_response(CommandLookupTopicResponse::Connect);
  r->set_request_id(1);
  r->set_authoritative(true);
  r->set_proxy_through_service_url(true);
  EXPECT_EQ(bytes_of(response), "08 18 c2 01 0e 0a 01 75 12 01 73 18 01 20 01 28 01 40 01");

  BaseCommand pm;
  pm.set_type(BaseCommand::PARTITIONED_METADATA_RESPONSE);
  auto* p = pm.mutable_partitionmetadataresponse();
  p->set_partitions(4);
  p->set_request_id(1);
  p->set_response(CommandPartitionedTopicMetadataResponse::Failed);
  p->set_error(TopicNotFound);
  p->set_message("m");
  EXPECT_EQ(bytes_of(pm), "08 16 b2 01 0b 08 04 10 01 18 01 20 0b 2a 01 6d");
}

TEST(WireFormat, BrokerNotices) {
  BaseCommand migrated;
  migrated.set_type(BaseCommand::TOPIC_MIGRATED);
  auto* m = migrated.mutable_topicmigrated();
  m->set_resource_id(1);
  m->set_resource_type(CommandTopicMigrated::Consumer);
  m->set_brokerserviceurl("u");
  m->set_brokerserviceurltls("s");
  // topicMigrated#68: tag 68<<3|2 = 546 = varint a2 04
  EXPECT_EQ(bytes_of(migrated), "08 44 a2 04 0a 08 01 10 01 1a 01 75 22 01 73");

  BaseCommand close;
  close.set_type(BaseCommand::CLOSE_CONSUMER);
  close.mutable_close_consumer()->set_consumer_id(1);
  close.mutable_close_consumer()->set_request_id(2);
  close.mutable_close_consumer()->set_assignedbrokerserviceurl("u");
  EXPECT_EQ(bytes_of(close), "08 10 82 01 07 08 01 10 02 1a 01 75");

  BaseCommand challenge;
  challenge.set_type(BaseCommand::AUTH_CHALLENGE);
  challenge.mutable_authchallenge()->mutable_challenge()->set_auth_method_name("t");
  challenge.mutable_authchallenge()->mutable_challenge()->set_auth_data("d");
  EXPECT_EQ(bytes_of(challenge), "08 24 a2 02 08 12 06 0a 01 74 12 01 64");
}

TEST(WireFormat, GetSchemaResponse) {
  BaseCommand cmd;
  cmd.set_type(BaseCommand::GET_SCHEMA_RESPONSE);
  auto* r = cmd.mutable_getschemaresponse();
  r->set_request_id(1);
  auto* s = r->mutable_schema();
  s->set_name("n");
  s->set_schema_data("{}");
  s->set_type(Schema::Avro);
  r->set_schema_version("v");
  // getSchemaResponse#35: tag 35<<3|2 = 282 = varint 9a 02; schema#4 {name#1, schema_data#3, type#4}
  EXPECT_EQ(bytes_of(cmd), "08 23 9a 02 10 08 01 22 09 0a 01 6e 1a 02 7b 7d 20 04 2a 01 76");
}

// Enum values are wire values too.
TEST(WireFormat, EnumValues) {
  EXPECT_EQ(NONE, 0);
  EXPECT_EQ(LZ4, 1);
  EXPECT_EQ(ZLIB, 2);
  EXPECT_EQ(ZSTD, 3);
  EXPECT_EQ(SNAPPY, 4);
  EXPECT_EQ(Schema::None, 0);
  EXPECT_EQ(Schema::String, 1);
  EXPECT_EQ(Schema::Json, 2);
  EXPECT_EQ(Schema::Protobuf, 3);
  EXPECT_EQ(Schema::Avro, 4);
  EXPECT_EQ(Schema::Bool, 5);
  EXPECT_EQ(Schema::Int64, 9);
  EXPECT_EQ(Schema::Double, 11);
  EXPECT_EQ(Schema::Timestamp, 14);
  EXPECT_EQ(Schema::KeyValue, 15);
  EXPECT_EQ(Schema::LocalDateTime, 19);
  EXPECT_EQ(Schema::ProtobufNative, 20);
  EXPECT_EQ(Schema::AutoConsume, 21);
  EXPECT_EQ(UnknownError, 0);
  EXPECT_EQ(ServiceNotReady, 6);
  EXPECT_EQ(ProducerBlockedQuotaExceededException, 8);
  EXPECT_EQ(ChecksumError, 9);
  EXPECT_EQ(TooManyRequests, 14);
  EXPECT_EQ(TopicTerminatedError, 15);
  EXPECT_EQ(InvalidTopicName, 17);
  EXPECT_EQ(IncompatibleSchema, 18);
  EXPECT_EQ(NotAllowedError, 22);
  EXPECT_EQ(ProducerFenced, 25);
  EXPECT_EQ(CommandSubscribe::Exclusive, 0);
  EXPECT_EQ(CommandSubscribe::Shared, 1);
  EXPECT_EQ(CommandSubscribe::Failover, 2);
  EXPECT_EQ(CommandSubscribe::Key_Shared, 3);
  EXPECT_EQ(CommandSubscribe::Latest, 0);
  EXPECT_EQ(CommandSubscribe::Earliest, 1);
  EXPECT_EQ(CommandAck::Individual, 0);
  EXPECT_EQ(CommandAck::Cumulative, 1);
  EXPECT_EQ(CommandAck::ChecksumMismatch, 2);
  EXPECT_EQ(CommandAck::BatchDeSerializeError, 3);
  EXPECT_EQ(CommandLookupTopicResponse::Redirect, 0);
  EXPECT_EQ(CommandLookupTopicResponse::Connect, 1);
  EXPECT_EQ(CommandLookupTopicResponse::Failed, 2);
  EXPECT_EQ(CommandGetTopicsOfNamespace::ALL, 2);
  EXPECT_EQ(AUTO_SPLIT, 0);
  EXPECT_EQ(STICKY, 1);
}

// Every sub-command sits at the field number equal to its type (the spec's rule), for every type we declare.
TEST(WireFormat, SubCommandFieldNumberEqualsItsType) {
  const auto* base = BaseCommand::descriptor();
  const auto* types = BaseCommand::Type_descriptor();
  int sub_commands = 0;
  for (int i = 0; i < base->field_count(); ++i) {
    const auto* field = base->field(i);
    if (field->number() == 1) continue;  // type
    ASSERT_NE(types->FindValueByNumber(field->number()), nullptr) << field->name();
    ++sub_commands;
  }
  EXPECT_EQ(sub_commands, 38);  // CONNECT 2 .. ACK_RESPONSE 38, and TOPIC_MIGRATED 68
  for (const auto& [type, number] :
       std::initializer_list<std::tuple<BaseCommand::Type, int>>{{BaseCommand::CONNECT, 2},
                                                                 {BaseCommand::SEND, 6},
                                                                 {BaseCommand::MESSAGE, 9},
                                                                 {BaseCommand::PING, 18},
                                                                 {BaseCommand::LOOKUP_RESPONSE, 24},
                                                                 {BaseCommand::GET_SCHEMA, 34},
                                                                 {BaseCommand::ACK_RESPONSE, 38},
                                                                 {BaseCommand::TOPIC_MIGRATED, 68}}) {
    EXPECT_EQ(static_cast<int>(type), number);
    EXPECT_NE(base->FindFieldByNumber(number), nullptr) << number;
  }
}

}  // namespace
}  // namespace pk::pulsar::pb
