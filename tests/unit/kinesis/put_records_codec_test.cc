#include "kinesis/put_records_codec.h"

#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "common/base64.h"

namespace pk::kinesis {
namespace {

TEST(PutRecordsBody, GoldenByName) {
  const PutRecordsEntry entries[] = {
      {"hello", "key-1", std::nullopt},
      {std::string_view("\x00\xff", 2), "k\"2", HashKey(0)},
      {"", "k3", HashKey::max()},
  };
  auto body = build_put_records_body(StreamRef::named("my-stream"), entries);
  ASSERT_TRUE(body.ok()) << body.error().to_string();
  EXPECT_EQ(*body, R"({"StreamName":"my-stream","Records":[)"
                   R"({"Data":"aGVsbG8=","PartitionKey":"key-1"},)"
                   R"({"Data":"AP8=","PartitionKey":"k\"2","ExplicitHashKey":"0"},)"
                   R"({"Data":"","PartitionKey":"k3","ExplicitHashKey":"340282366920938463463374607431768211455"}]})");
}

TEST(PutRecordsBody, GoldenByArnWhichWinsOverTheName) {
  const PutRecordsEntry entries[] = {{"x", "p", std::nullopt}};
  StreamRef stream{StreamName("ignored"), StreamArn("arn:aws:kinesis:us-east-1:000000000000:stream/s")};
  auto body = build_put_records_body(stream, entries);
  ASSERT_TRUE(body.ok());
  EXPECT_EQ(*body, R"({"StreamARN":"arn:aws:kinesis:us-east-1:000000000000:stream/s","Records":[)"
                   R"({"Data":"eA==","PartitionKey":"p"}]})");
}

TEST(PutRecordsBody, RandomEntriesReadBackWithAnIndependentParser) {
  std::mt19937 rng(11);
  std::vector<std::string> data(500);
  std::vector<std::string> keys(500);
  std::vector<PutRecordsEntry> entries;
  for (size_t i = 0; i < 500; ++i) {
    data[i].resize(rng() % 300);
    for (auto& c : data[i]) c = static_cast<char>(rng());
    keys[i] = "key-" + std::to_string(i) + (i % 7 == 0 ? std::string("\t\"\\\x01\xc3\xa9") : std::string());
    entries.push_back({data[i], keys[i], i % 3 == 0 ? std::optional<HashKey>(HashKey(rng())) : std::nullopt});
  }
  auto body = build_put_records_body(StreamRef::named("s\u00e9"), entries);
  ASSERT_TRUE(body.ok());
  rapidjson::Document doc;
  doc.Parse(body->c_str(), body->size());
  ASSERT_FALSE(doc.HasParseError());
  EXPECT_STREQ(doc["StreamName"].GetString(), "s\u00e9");
  const auto& records = doc["Records"].GetArray();
  ASSERT_EQ(records.Size(), 500u);
  for (size_t i = 0; i < 500; ++i) {
    const auto& r = records[static_cast<rapidjson::SizeType>(i)];
    EXPECT_EQ(*base64_decode(r["Data"].GetString()), data[i]);
    EXPECT_EQ(std::string(r["PartitionKey"].GetString(), r["PartitionKey"].GetStringLength()), keys[i]);
    if (entries[i].explicit_hash_key) {
      EXPECT_EQ(r["ExplicitHashKey"].GetString(), entries[i].explicit_hash_key->to_string());
    } else {
      EXPECT_FALSE(r.HasMember("ExplicitHashKey"));
    }
  }
}

TEST(PutRecordsBody, ChecksEntryCountAndPartitionKeys) {
  std::vector<PutRecordsEntry> none;
  auto empty = build_put_records_body(StreamRef::named("s"), none);
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().message, "PutRecords: 0 entries, must be 1 to 500");

  std::vector<PutRecordsEntry> too_many(501, PutRecordsEntry{"d", "k", std::nullopt});
  EXPECT_FALSE(build_put_records_body(StreamRef::named("s"), too_many).ok());
  too_many.pop_back();
  EXPECT_TRUE(build_put_records_body(StreamRef::named("s"), too_many).ok());

  const std::string key256(256, 'k');
  const std::string key257(257, 'k');
  const std::string emoji256 = [] {
    std::string s;
    for (int i = 0; i < 256; ++i) s += "\xf0\x9f\x98\x80";  // 256 characters, 1024 bytes
    return s;
  }();
  const PutRecordsEntry ok_keys[] = {{"d", key256, std::nullopt}, {"d", emoji256, std::nullopt}};
  EXPECT_TRUE(build_put_records_body(StreamRef::named("s"), ok_keys).ok());

  const PutRecordsEntry long_key[] = {{"d", "k", std::nullopt}, {"d", key257, std::nullopt}};
  auto r = build_put_records_body(StreamRef::named("s"), long_key);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.error().message, "PutRecords: Records[1]: PartitionKey: 257 characters, must be 1 to 256");

  const PutRecordsEntry empty_key[] = {{"d", "", std::nullopt}};
  EXPECT_FALSE(build_put_records_body(StreamRef::named("s"), empty_key).ok());

  const PutRecordsEntry bad_utf8[] = {
      {"d", "ok", std::nullopt}, {"d", "ok", std::nullopt}, {"d", "b\xc3", std::nullopt}};
  auto u = build_put_records_body(StreamRef::named("s"), bad_utf8);
  ASSERT_FALSE(u.ok());
  EXPECT_EQ(u.error().message, "PutRecords: Records[2]: PartitionKey: invalid UTF-8 at byte 1");

  const PutRecordsEntry one[] = {{"d", "k", std::nullopt}};
  EXPECT_FALSE(build_put_records_body(StreamRef{}, one).ok());
  auto bad_stream = build_put_records_body(StreamRef::named("\xff"), one);
  ASSERT_FALSE(bad_stream.ok());
  EXPECT_EQ(bad_stream.error().message, "PutRecords: StreamName: invalid UTF-8 at byte 0");
}

TEST(PutRecordsResponse, AwsShapeWithPartialFailure) {
  const std::string body = R"({"FailedRecordCount":1,"Records":[
    {"SequenceNumber":"49590338271490256608559692538361571095921575989136588898","ShardId":"shardId-000000000001"},
    {"ErrorCode":"ProvisionedThroughputExceededException","ErrorMessage":"Rate exceeded for shard shardId-000000000001"},
    {"SequenceNumber":"49590338271490256608559692538361571095921575989136588899","ShardId":"shardId-000000000000"}],
    "EncryptionType":"KMS"})";
  auto r = parse_put_records_response(body, 3);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->failed_record_count, 1u);
  EXPECT_EQ(r->encryption_type, EncryptionType::kKms);
  ASSERT_EQ(r->records.size(), 3u);
  EXPECT_TRUE(r->records[0].ok());
  EXPECT_EQ(r->records[0].sequence_number.str(), "49590338271490256608559692538361571095921575989136588898");
  EXPECT_EQ(r->records[0].shard_id, ShardId("shardId-000000000001"));
  EXPECT_FALSE(r->records[1].ok());
  EXPECT_EQ(r->records[1].error_code, "ProvisionedThroughputExceededException");
  EXPECT_EQ(r->records[1].error_message, "Rate exceeded for shard shardId-000000000001");
  EXPECT_TRUE(r->records[2].ok());
}

TEST(PutRecordsResponse, ExplicitNullsAsKinesisMockSendsThem) {
  const std::string body = R"({"EncryptionType":null,"FailedRecordCount":null,"Records":[
    {"ErrorCode":null,"ErrorMessage":null,"SequenceNumber":"1","ShardId":"shardId-000000000000"},
    {"ErrorCode":"InternalFailure","ErrorMessage":null,"SequenceNumber":null,"ShardId":null}]})";
  auto r = parse_put_records_response(body, 2);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->failed_record_count, 1u);
  EXPECT_EQ(r->encryption_type, EncryptionType::kNone);
  EXPECT_TRUE(r->records[0].ok());
  EXPECT_EQ(r->records[1].error_code, "InternalFailure");
  EXPECT_EQ(r->records[1].error_message, "");
}

TEST(PutRecordsResponse, MalformedBodiesGiveErrorsNamingOperationAndField) {
  const std::pair<std::string, std::string> cases[] = {
      {"not json", "PutRecords response: document: "},
      {"[]", "PutRecords response: document: not a JSON object"},
      {R"({"Records":[{"SequenceNumber":"1"}]})", "PutRecords response: Records[0]: entry: neither"},
      {R"({"Records":[{"SequenceNumber":"x1","ShardId":"s"}]})", "PutRecords response: Records[0]: SequenceNumber: "},
      {R"({"Records":[{"SequenceNumber":1,"ShardId":"s"}]})",
       "PutRecords response: Records[0]: SequenceNumber: expected a string"},
      {R"({"Records":{}})", "PutRecords response: Records: "},
      {R"({"Records":[{"SequenceNumber":"1","ShardId":"s"}]} x)", "PutRecords response: document: "},
      {R"({"FailedRecordCount":"1","Records":[]})", "PutRecords response: FailedRecordCount: expected a number"},
  };
  for (const auto& [body, prefix] : cases) {
    auto r = parse_put_records_response(body, 1);
    ASSERT_FALSE(r.ok()) << body;
    EXPECT_EQ(r.error().code, ErrorCode::kMalformedInput) << body;
    EXPECT_EQ(r.error().message.substr(0, prefix.size()), prefix) << r.error().message;
  }
}

TEST(PutRecordsResponse, CountsMustMatchTheRequest) {
  const std::string one_ok = R"({"FailedRecordCount":0,"Records":[{"SequenceNumber":"1","ShardId":"s"}]})";
  auto fewer = parse_put_records_response(one_ok, 2);
  ASSERT_FALSE(fewer.ok());
  EXPECT_EQ(fewer.error().message, "PutRecords response: 1 results for 2 entries");
  const std::string lying = R"({"FailedRecordCount":1,"Records":[{"SequenceNumber":"1","ShardId":"s"}]})";
  auto wrong_count = parse_put_records_response(lying, 1);
  ASSERT_FALSE(wrong_count.ok());
  EXPECT_EQ(wrong_count.error().message, "PutRecords response: FailedRecordCount 1 but 0 entries failed");
  auto missing_records = parse_put_records_response("{}", 1);
  ASSERT_FALSE(missing_records.ok());
}

}  // namespace
}  // namespace pk::kinesis
