#include "kinesis/get_records_codec.h"

#include <string>

#include <gtest/gtest.h>

namespace pk::kinesis {
namespace {

constexpr char kSeq1[] = "49590338271490256608559692538361571095921575989136588898";
constexpr char kSeq2[] = "49590338271490256608559692538361571095921575989136588899";

TEST(GetRecordsResponse, AwsShape) {
  const std::string body =
      std::string(R"({"ChildShards":[],"MillisBehindLatest":1234,"NextShardIterator":"AAAA/it+1==",)") +
      R"("Records":[{"ApproximateArrivalTimestamp":1.700000000123E9,"Data":"aGVsbG8=",)" +
      R"("EncryptionType":"KMS","PartitionKey":"pk-\u00e9","SequenceNumber":")" + kSeq1 + R"("},{"SequenceNumber":")" +
      kSeq2 + R"(","Data":"","PartitionKey":"p2","ApproximateArrivalTimestamp":1700000001}]})";
  auto r = parse_get_records_response(body);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  ASSERT_EQ(r->records.size(), 2u);
  const RecordView& a = r->records[0];
  EXPECT_EQ(a.sequence_number, kSeq1);
  EXPECT_EQ(a.partition_key, "pk-\xc3\xa9");
  EXPECT_EQ(a.data, "hello");
  EXPECT_EQ(a.approximate_arrival.time_since_epoch().count(), 1700000000123);
  EXPECT_EQ(a.encryption_type, EncryptionType::kKms);
  const RecordView& b = r->records[1];
  EXPECT_EQ(b.sequence_number, kSeq2);
  EXPECT_EQ(b.data, "");
  EXPECT_EQ(b.approximate_arrival.time_since_epoch().count(), 1700000001000);
  EXPECT_EQ(b.encryption_type, EncryptionType::kNone);
  EXPECT_EQ(r->next_shard_iterator, "AAAA/it+1==");
  EXPECT_EQ(r->millis_behind_latest, 1234);
  EXPECT_FALSE(r->at_shard_end());
  EXPECT_TRUE(r->child_shards.empty());
}

TEST(GetRecordsResponse, ExplicitNullsAsKinesisMockSendsThem) {
  const std::string body = std::string(R"({"ChildShards":null,"MillisBehindLatest":null,"NextShardIterator":"it",)") +
                           R"("Records":[{"ApproximateArrivalTimestamp":null,"Data":"AQID","EncryptionType":null,)" +
                           R"("PartitionKey":"k","SequenceNumber":"7"}]})";
  auto r = parse_get_records_response(body);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  ASSERT_EQ(r->records.size(), 1u);
  EXPECT_EQ(r->records[0].data, "\x01\x02\x03");
  EXPECT_EQ(r->records[0].approximate_arrival.time_since_epoch().count(), 0);
  EXPECT_EQ(r->millis_behind_latest, 0);
  auto nulls = parse_get_records_response(R"({"Records":null,"NextShardIterator":"it","ChildShards":null})");
  ASSERT_TRUE(nulls.ok());
  EXPECT_TRUE(nulls->records.empty());
}

TEST(GetRecordsResponse, ShardEndWithChildShards) {
  const std::string body = R"({"Records":[],"NextShardIterator":null,"MillisBehindLatest":0,"ChildShards":[
      {"ShardId":"shardId-000000000001","ParentShards":["shardId-000000000000"],
       "HashKeyRange":{"StartingHashKey":"0","EndingHashKey":"170141183460469231731687303715884105727"}},
      {"ShardId":"shardId-000000000002","ParentShards":["shardId-000000000000"],
       "HashKeyRange":{"StartingHashKey":"170141183460469231731687303715884105728",
                       "EndingHashKey":"340282366920938463463374607431768211455"}}]})";
  auto r = parse_get_records_response(body);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_TRUE(r->at_shard_end());
  ASSERT_EQ(r->child_shards.size(), 2u);
  EXPECT_EQ(r->child_shards[0].shard_id, ShardId("shardId-000000000001"));
  EXPECT_EQ(r->child_shards[0].parent_shards, std::vector<ShardId>{ShardId("shardId-000000000000")});
  EXPECT_EQ(r->child_shards[0].hash_key_range.ending.to_string(), "170141183460469231731687303715884105727");
  EXPECT_EQ(r->child_shards[1].hash_key_range.ending, HashKey::max());
}

TEST(GetRecordsResponse, DataWithJsonEscapesIsUnescapedFirst) {
  // A writer may escape '/' as "\/": still valid base64 once unescaped.
  auto r = parse_get_records_response(R"({"Records":[{"SequenceNumber":"1","PartitionKey":"k","Data":"\/w=="}]})");
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->records[0].data, "\xff");
  auto spaced = parse_get_records_response(R"({ "Records" : [ { "Data" : "AQ==" , "PartitionKey":"k" ,
      "SequenceNumber" : "1" } ] , "NextShardIterator" : "x" } )");
  ASSERT_TRUE(spaced.ok()) << spaced.error().to_string();
  EXPECT_EQ(spaced->records[0].data, "\x01");
}

TEST(GetRecordsResponse, MalformedBodiesNameOperationAndField) {
  const std::pair<std::string, std::string> cases[] = {
      {R"({"Records":[{"SequenceNumber":"1","PartitionKey":"k","Data":"AQ=="},
                      {"SequenceNumber":"2","PartitionKey":"k","Data":"A!=="}]})",
       "GetRecords response: Records[1]: Data: base64: invalid character 0x21 at offset 1"},
      {R"({"Records":[{"PartitionKey":"k","Data":"AQ=="}]})",
       "GetRecords response: Records[0]: SequenceNumber: missing"},
      {R"({"Records":[{"SequenceNumber":"1","Data":"AQ=="}]})",
       "GetRecords response: Records[0]: PartitionKey: missing"},
      {R"({"Records":[{"SequenceNumber":"1","PartitionKey":"k","Data":null}]})",
       "GetRecords response: Records[0]: Data: missing"},
      {R"({"Records":[{"SequenceNumber":"1","PartitionKey":"k","Data":5}]})",
       "GetRecords response: Records[0]: Data: expected a base64 string"},
      {R"({"Records":[{"SequenceNumber":"1","PartitionKey":"k","Data":"","ApproximateArrivalTimestamp":"x"}]})",
       "GetRecords response: Records[0]: ApproximateArrivalTimestamp: expected a number of epoch seconds"},
      {R"({"Records":[{"SequenceNumber":"1","PartitionKey":"k","Data":"","ApproximateArrivalTimestamp":1e300}]})",
       "GetRecords response: Records[0]: ApproximateArrivalTimestamp: timestamp out of range"},
      {R"({"Records":["x"]})", "GetRecords response: Records[0]: record: "},
      {R"({"MillisBehindLatest":1.5})", "GetRecords response: MillisBehindLatest: "},
      {R"({"NextShardIterator":7})", "GetRecords response: NextShardIterator: expected a string"},
      {R"({"ChildShards":[{"ShardId":"s","ParentShards":[]}]})",
       "GetRecords response: ChildShards[0]: HashKeyRange: missing"},
      {R"({"ChildShards":[{"ShardId":"s","HashKeyRange":{"StartingHashKey":"0","EndingHashKey":"-1"}}]})",
       "GetRecords response: ChildShards[0]: HashKeyRange: EndingHashKey: character 0 is not a decimal digit"},
      {R"({"ChildShards":[{"ShardId":"s","ParentShards":[3],"HashKeyRange":null}]})",
       "GetRecords response: ChildShards[0]: ParentShards[0]: ParentShards: expected a string"},
      {"", "GetRecords response: document: "},
      {"null", "GetRecords response: document: "},
  };
  for (const auto& [body, prefix] : cases) {
    auto r = parse_get_records_response(body);
    ASSERT_FALSE(r.ok()) << body;
    EXPECT_EQ(r.error().code, ErrorCode::kMalformedInput) << body;
    EXPECT_EQ(r.error().message.substr(0, prefix.size()), prefix) << r.error().message;
  }
}

TEST(GetRecordsResponse, EveryTruncationIsAnErrorNotACrash) {
  const std::string body = std::string(R"({"Records":[{"ApproximateArrivalTimestamp":1.7E9,"Data":"aGVsbG8=",)") +
                           R"("PartitionKey":"k","SequenceNumber":"1"}],"NextShardIterator":"it",)" +
                           R"("ChildShards":[{"ShardId":"s","ParentShards":["p"],)" +
                           R"("HashKeyRange":{"StartingHashKey":"0","EndingHashKey":"1"}}],"MillisBehindLatest":0})";
  ASSERT_TRUE(parse_get_records_response(body).ok());
  for (size_t n = 0; n < body.size(); ++n) {
    EXPECT_FALSE(parse_get_records_response(body.substr(0, n)).ok()) << n;
  }
}

TEST(GetShardIterator, RequestForEveryIteratorType) {
  const auto stream = StreamRef::named("s");
  const ShardId shard("shardId-000000000000");
  const std::pair<StartingPosition, std::string> cases[] = {
      {StartingPosition::latest(),
       R"({"StreamName":"s","ShardId":"shardId-000000000000","ShardIteratorType":"LATEST"})"},
      {StartingPosition::trim_horizon(),
       R"({"StreamName":"s","ShardId":"shardId-000000000000","ShardIteratorType":"TRIM_HORIZON"})"},
      {StartingPosition::at(*SequenceNumber::parse(kSeq1)),
       std::string(R"({"StreamName":"s","ShardId":"shardId-000000000000","ShardIteratorType":"AT_SEQUENCE_NUMBER",)") +
           R"("StartingSequenceNumber":")" + kSeq1 + "\"}"},
      {StartingPosition::after(*SequenceNumber::parse("5")),
       R"({"StreamName":"s","ShardId":"shardId-000000000000","ShardIteratorType":"AFTER_SEQUENCE_NUMBER",)"
       R"("StartingSequenceNumber":"5"})"},
      {StartingPosition::at_timestamp(Timestamp(std::chrono::milliseconds(1700000000123))),
       R"({"StreamName":"s","ShardId":"shardId-000000000000","ShardIteratorType":"AT_TIMESTAMP",)"
       R"("Timestamp":1700000000.123})"},
  };
  for (const auto& [position, expected] : cases) {
    auto body = build_get_shard_iterator_body(stream, shard, position);
    ASSERT_TRUE(body.ok()) << body.error().to_string();
    EXPECT_EQ(*body, expected);
  }
  auto by_arn = build_get_shard_iterator_body(StreamRef::with_arn("arn:x"), shard, StartingPosition::latest());
  EXPECT_EQ(*by_arn, R"({"StreamARN":"arn:x","ShardId":"shardId-000000000000","ShardIteratorType":"LATEST"})");
  EXPECT_FALSE(build_get_shard_iterator_body(stream, shard, StartingPosition::at(SequenceNumber{})).ok());
  EXPECT_FALSE(build_get_shard_iterator_body(stream, ShardId(), StartingPosition::latest()).ok());
}

TEST(GetShardIterator, Response) {
  EXPECT_EQ(*parse_get_shard_iterator_response(R"({"ShardIterator":"AAAA+/=="})"), "AAAA+/==");
  auto missing = parse_get_shard_iterator_response(R"({"ShardIterator":null})");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message, "GetShardIterator response: ShardIterator: missing");
}

TEST(GetRecordsRequest, Golden) {
  EXPECT_EQ(*build_get_records_body("it=="), R"({"ShardIterator":"it=="})");
  EXPECT_EQ(*build_get_records_body("it", 10000, StreamArn("arn:s")),
            R"({"ShardIterator":"it","Limit":10000,"StreamARN":"arn:s"})");
  EXPECT_FALSE(build_get_records_body("it", 0).ok());
  EXPECT_FALSE(build_get_records_body("it", 10001).ok());
  EXPECT_FALSE(build_get_records_body("").ok());
}

}  // namespace
}  // namespace pk::kinesis
