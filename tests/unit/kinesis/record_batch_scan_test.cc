// The fast scanner against the general reader: it must read the shapes Kinesis and kinesis-mock send, give exactly
// the general reader's result whenever it reads a body, and give every other body (malformed ones included) back.
#include "kinesis/record_batch_scan.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "common/base64.h"
#include "kinesis/get_records_codec.h"
#include "kinesis/subscribe_event_codec.h"

namespace pk::kinesis {
namespace {

constexpr char kSeq[] = "49590338271490256608559692538361571095921575989136588898";

bool scan(std::string body, GetRecordsResponse& out) {
  return scan_get_records_response(body, out);
}

bool scan_event(std::string payload, SubscribeToShardEvent& out) {
  return scan_subscribe_to_shard_event(payload, out);
}

void expect_same_records(const RecordBatch& a, const RecordBatch& b) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].sequence_number, b[i].sequence_number) << i;
    EXPECT_EQ(a[i].partition_key, b[i].partition_key) << i;
    EXPECT_EQ(a[i].data, b[i].data) << i;
    EXPECT_EQ(a[i].approximate_arrival, b[i].approximate_arrival) << i;
    EXPECT_EQ(a[i].encryption_type, b[i].encryption_type) << i;
  }
}

// Scans `body` as a GetRecords response; when the scanner reads it, the general reader must read the same.
bool scanned_as_general(const std::string& body) {
  GetRecordsResponse scanned;
  if (!scan(body, scanned)) return false;
  auto general = parse_get_records_response_general(body);
  EXPECT_TRUE(general.ok()) << "the scanner read what the general reader rejects: " << body << "\n"
                            << general.error().to_string();
  if (!general.ok()) return true;
  expect_same_records(scanned.records, general->records);
  EXPECT_EQ(scanned.next_shard_iterator, general->next_shard_iterator) << body;
  EXPECT_EQ(scanned.millis_behind_latest, general->millis_behind_latest) << body;
  EXPECT_TRUE(general->child_shards.empty()) << body;
  return true;
}

bool event_scanned_as_general(const std::string& payload) {
  SubscribeToShardEvent scanned;
  if (!scan_event(payload, scanned)) return false;
  auto general = parse_subscribe_to_shard_event_general(payload);
  EXPECT_TRUE(general.ok()) << "the scanner read what the general reader rejects: " << payload;
  if (!general.ok()) return true;
  expect_same_records(scanned.records, general->records);
  EXPECT_EQ(scanned.continuation_sequence_number.has_value(), general->continuation_sequence_number.has_value());
  if (scanned.continuation_sequence_number && general->continuation_sequence_number) {
    EXPECT_EQ(scanned.continuation_sequence_number->str(), general->continuation_sequence_number->str());
  }
  EXPECT_EQ(scanned.millis_behind_latest, general->millis_behind_latest);
  return true;
}

std::string record(const std::string& members) {
  return "{" + members + "}";
}

std::string response(const std::string& records, const std::string& extra = R"("NextShardIterator":"AAAA/it+1==")") {
  return R"({"Records":[)" + records + R"(],"MillisBehindLatest":1234,)" + extra + "}";
}

const std::string kRecordA = record(std::string(R"("SequenceNumber":")") + kSeq +
                                    R"(","ApproximateArrivalTimestamp":1.700000000123E9,"Data":"aGVsbG8=",)"
                                    R"("PartitionKey":"pk-1","EncryptionType":"KMS")");
const std::string kRecordB =
    record(R"("Data":"","PartitionKey":"p2","SequenceNumber":"7","ApproximateArrivalTimestamp":1700000001)");

TEST(RecordBatchScan, ReadsTheAwsShape) {
  const std::string body = response(kRecordA + "," + kRecordB);
  GetRecordsResponse r;
  ASSERT_TRUE(scan(body, r));
  ASSERT_EQ(r.records.size(), 2u);
  EXPECT_EQ(r.records[0].sequence_number, kSeq);
  EXPECT_EQ(r.records[0].partition_key, "pk-1");
  EXPECT_EQ(r.records[0].data, "hello");
  EXPECT_EQ(r.records[0].approximate_arrival.time_since_epoch().count(), 1700000000123);
  EXPECT_EQ(r.records[0].encryption_type, EncryptionType::kKms);
  EXPECT_EQ(r.records[1].data, "");
  EXPECT_EQ(r.records[1].approximate_arrival.time_since_epoch().count(), 1700000001000);
  EXPECT_EQ(r.next_shard_iterator, "AAAA/it+1==");
  EXPECT_EQ(r.millis_behind_latest, 1234);
  EXPECT_TRUE(scanned_as_general(body));
}

// Records laid out in the model's order, in alphabetical order (what kinesis-mock writes), in the order of the API
// reference's example, without EncryptionType, and in none of these: mixed in one batch, so that the scanner switches
// between its straight-line layouts and the member-by-member reader, and rewinds when a layout fails late (after Data
// is decoded).
TEST(RecordBatchScan, ReadsEveryLayoutMixedInOneBatch) {
  const auto model = [](int i, const std::string& tail) {
    return std::string(R"({"SequenceNumber":")") + std::to_string(100 + i) +
           R"(","ApproximateArrivalTimestamp":1.700000000123E9,"Data":")" + (i % 2 == 0 ? "aGVsbG8=" : "AAECAw==") +
           R"(","PartitionKey":"pk-)" + std::to_string(i) + "\"" + tail + "}";
  };
  const auto alphabetical = [](int i, const std::string& encryption) {
    return std::string(R"({"ApproximateArrivalTimestamp":1795952819.829,"Data":"d29ybGQ=")") + encryption +
           R"(,"PartitionKey":"k)" + std::to_string(i) + R"(","SequenceNumber":")" + std::to_string(200 + i) + "\"}";
  };
  const std::vector<std::string> records = {
      model(0, R"(,"EncryptionType":"NONE")"),
      model(1, R"(,"EncryptionType":"KMS")"),
      model(2, ""),                                    // no EncryptionType
      alphabetical(3, R"(,"EncryptionType":"NONE")"),  // the other layout
      alphabetical(4, ""),
      model(5, R"(,"EncryptionType":"NONE","Extra":1)"),  // fails at its end, after Data: read member by member
      model(6, R"(,"EncryptionType":"NONE")"),
      model(7, R"(,"EncryptionType":null)"),  // a null in a layout: member by member
      R"({"Data":"AAAA","SequenceNumber":"9","PartitionKey":"k"})",
      R"({ "SequenceNumber":"10","Data":"AAAA","PartitionKey":"k"})",  // white space
      alphabetical(11, R"(,"EncryptionType":"KMS")"),
      model(12, R"(,"EncryptionType":"NONE")"),
      R"({"Data":"AAAA","PartitionKey":"k","ApproximateArrivalTimestamp":1.441215410867E9,"SequenceNumber":"13"})",
      R"({"Data":"AAAB","PartitionKey":"k","ApproximateArrivalTimestamp":1.441215410868E9,"SequenceNumber":"14",)"
      R"("EncryptionType":"KMS"})",
      model(15, ""),
  };
  std::string joined;
  for (const auto& r : records) joined += (joined.empty() ? "" : ",") + r;
  const std::string body = response(joined);
  GetRecordsResponse r;
  ASSERT_TRUE(scan(body, r));
  ASSERT_EQ(r.records.size(), records.size());
  // Decoded again, in the same place, after the layout gave up; the next record's data follows it.
  EXPECT_EQ(r.records[5].data, std::string("\x00\x01\x02\x03", 4));
  EXPECT_EQ(r.records[6].data, "hello");
  EXPECT_EQ(r.records[1].encryption_type, EncryptionType::kKms);
  EXPECT_EQ(r.records[10].encryption_type, EncryptionType::kKms);
  EXPECT_EQ(r.records[3].approximate_arrival.time_since_epoch().count(), 1795952819829);
  EXPECT_EQ(r.records[13].approximate_arrival.time_since_epoch().count(), 1441215410868);
  EXPECT_EQ(r.records[13].encryption_type, EncryptionType::kKms);
  EXPECT_EQ(r.records[14].sequence_number, "115");
  EXPECT_TRUE(scanned_as_general(body));
  EXPECT_TRUE(event_scanned_as_general(R"({"ContinuationSequenceNumber":"5","MillisBehindLatest":0,"Records":[)" +
                                       joined + "]}"));
  // A layout's record that turns out malformed after its Data: the whole body goes to the general reader.
  GetRecordsResponse bad;
  EXPECT_FALSE(scan(response(model(0, R"(,"EncryptionType":"NONE")") + "," + model(1, R"(,"EncryptionType":1)")), bad));
}

// The decode buffer has room for each record's data once (3/4 of the body). A layout that gives up after decoding
// Data must take its bytes back before the record is read again, or a body that is mostly Data overflows the
// buffer (which ASan reports).
TEST(RecordBatchScan, TakesBackWhatALayoutDecodedBeforeItGaveUp) {
  const std::string data(3000, 'x');
  const std::string body = response(std::string(R"({"SequenceNumber":"1","ApproximateArrivalTimestamp":1,"Data":")") +
                                        base64_encode(data) + R"(","PartitionKey":"k","Extra":1})",
                                    R"("NextShardIterator":null)");
  GetRecordsResponse r;
  ASSERT_TRUE(scan(body, r));
  ASSERT_EQ(r.records.size(), 1u);
  EXPECT_EQ(r.records[0].data, data);
}

TEST(RecordBatchScan, ReadsMillisBehindLatestOfEveryLength) {
  for (const std::string millis : {"0", "7", "1234567", "12345678", "123456789", "123456789012345678"}) {
    // Last in the body, so that the number ends within the last 8 bytes of the input.
    EXPECT_TRUE(scanned_as_general(R"({"Records":[],"MillisBehindLatest":)" + millis + "}")) << millis;
    EXPECT_TRUE(scanned_as_general(R"({"MillisBehindLatest":)" + millis + R"(,"Records":[]})")) << millis;
  }
}

// A RecordView inside its batch holds no counted reference; a Record made of it does, and stays valid after the
// batch is gone (ASan would report reads of freed memory otherwise), whether it was copied, moved or assigned.
TEST(RecordBatchScan, RecordsOutliveTheirBatch) {
  std::vector<Record> kept;
  Record assigned;
  Record moved;
  {
    std::string body = response(kRecordA + "," + kRecordB);
    GetRecordsResponse r;
    ASSERT_TRUE(scan_get_records_response(body, r));
    EXPECT_TRUE(body.empty());  // moved into the batch's storage
    EXPECT_EQ(r.records[0].storage, r.records.storage().get());
    kept.push_back(r.records[1]);
    kept.push_back(r.records[0]);
    EXPECT_EQ(kept[0].owner, r.records.storage());
    assigned = r.records[0];
    Record copy = r.records[1];
    moved = std::move(copy);
    const std::vector<Record> all(r.records.begin(), r.records.end());
    EXPECT_EQ(r.records.storage().use_count(), 7);     // the batch and six Records
    GetRecordsResponse moved_response = std::move(r);  // moving a batch keeps its views valid
    EXPECT_EQ(moved_response.records[0].data, "hello");
  }
  EXPECT_EQ(kept[1].data, "hello");
  EXPECT_EQ(kept[1].partition_key, "pk-1");
  EXPECT_EQ(kept[1].sequence_number, kSeq);
  EXPECT_EQ(kept[1].sequence().str(), kSeq);
  EXPECT_EQ(kept[0].sequence_number, "7");
  EXPECT_EQ(assigned.data, "hello");
  EXPECT_EQ(moved.sequence_number, "7");
  // The general reader's records too.
  Record general_copy;
  {
    auto general = parse_get_records_response_general(response(kRecordA));
    ASSERT_TRUE(general.ok());
    general_copy = general->records[0];
  }
  EXPECT_EQ(general_copy.data, "hello");
}

TEST(RecordBatchScan, LeavesTheBodyAsItWasWhenItGivesUp) {
  const std::string original = response(record(R"("SequenceNumber":"1","Data":"AA\/A","PartitionKey":"k")"));
  std::string body = original;
  GetRecordsResponse r;
  EXPECT_FALSE(scan_get_records_response(body, r));
  EXPECT_EQ(body, original);
}

TEST(RecordBatchScan, ReadsWhatKinesisMockSends) {
  // Explicit nulls, empty child shards, members in another order.
  const std::string body = std::string(R"({"ChildShards":null,"MillisBehindLatest":null,"NextShardIterator":"it",)") +
                           R"("Records":[{"ApproximateArrivalTimestamp":null,"Data":"AQID","EncryptionType":null,)" +
                           R"("PartitionKey":"k","SequenceNumber":"7"}]})";
  EXPECT_TRUE(scanned_as_general(body));
  EXPECT_TRUE(scanned_as_general(R"({"Records":null,"NextShardIterator":"it","ChildShards":[]})"));
  EXPECT_TRUE(scanned_as_general(R"({"Records":[],"NextShardIterator":null,"MillisBehindLatest":0})"));
  EXPECT_TRUE(scanned_as_general("{}"));
}

// A GetRecords body as kinesis-mock 0.6.2 sent it (captured through boto3), with a UTF-8 partition key.
TEST(RecordBatchScan, ReadsABodyKinesisMockSent) {
  const std::string body =
      R"({"ChildShards":null,"MillisBehindLatest":0,"NextShardIterator":"AAAAAAAAAAEL5Imx/LSqUuO4D/LIx6mn0kz1b1F8)"
      R"(HROkBlDT0yvugMd1MNSd4kS161p3Ekew/atRRhF9JKsyIZiK28uoGtsPf6F3r09zEj7W9fp6iOYHI9BkMSMQj7ZyqJOAS6lagx+kSgD3)"
      R"(R0m2EkE5ytOljsa1WvyixC9yEsG0LlO7BlJwzfPVOZ/q+N9p9ODK0tSAw04=","Records":[{"ApproximateArrivalTimestamp":)"
      R"(1795952819.829,"Data":"aGVsbG8=","EncryptionType":"NONE","PartitionKey":"k1","SequenceNumber":"496806746)"
      R"(86990072064088988216346345092114550318857977858"},{"ApproximateArrivalTimestamp":1795952819.878,"Data":")"
      R"(AAECAAECAAECAAECAAECAAECAAECAAECAAECAAECAAECAAECAAECAAECAAECAAECAAECAAECAAECAAECAAECAAECAAECAAECAAECAAEC)"
      R"(AAECAAECAAECAAECAAECAAECAAECAAECAAECAAECAAECAAECAAECAAEC","EncryptionType":"NONE","PartitionKey":"key-)"
      "\xc3\xa9"
      R"(","SequenceNumber":"49680674686990072064088988216347554017934164948032684034"}]})";
  GetRecordsResponse r;
  ASSERT_TRUE(scan(body, r));
  ASSERT_EQ(r.records.size(), 2u);
  EXPECT_EQ(r.records[0].data, "hello");
  EXPECT_EQ(r.records[0].approximate_arrival.time_since_epoch().count(), 1795952819829);
  EXPECT_EQ(r.records[1].partition_key, "key-\xc3\xa9");
  std::string expected;  // what was put: 00 01 02 forty times
  for (int i = 0; i < 40; ++i) expected.append("\x00\x01\x02", 3);
  EXPECT_EQ(r.records[1].data, expected);
  EXPECT_TRUE(scanned_as_general(body));
}

TEST(RecordBatchScan, ChecksUtf8LikeTheGeneralReader) {
  for (const char* good :
       {"pk-\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80-emoji", "\xef\xbf\xbd", "\xf4\x8f\xbf\xbf"}) {
    const std::string body =
        response(record(std::string(R"("SequenceNumber":"1","Data":"AA==","PartitionKey":")") + good + "\""));
    EXPECT_TRUE(scanned_as_general(body)) << "the scanner gave up on " << good;
  }
  // Truncated, overlong, surrogate, above U+10FFFF, stray continuation: the general reader rejects them too.
  for (const char* bad : {"\xc3", "\xc0\xaf", "\xe0\x80\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\x80", "\xff"}) {
    const std::string body =
        response(record(std::string(R"("SequenceNumber":"1","Data":"AA==","PartitionKey":")") + bad + "\""));
    GetRecordsResponse r;
    EXPECT_FALSE(scan(body, r));
    EXPECT_FALSE(parse_get_records_response(body).ok());
  }
}

TEST(RecordBatchScan, ReadsAroundWhiteSpaceAndUnknownMembers) {
  const std::string body = std::string(" \n{ \"Records\" : [ { \"Unknown\" : {\"a\":[1,-2.5e+3,true,false,null,") +
                           R"("s",{}],"b":[]}, "SequenceNumber" : "1", "Data" : "AA==" ,)" +
                           "\t\"PartitionKey\":\"k k\", \"Extra\":[[[]]], \"Z\":0 }\r\n ] ,\"Other\":-0.0e0 ,"
                           "\"NextShardIterator\":\"x\" } \n";
  EXPECT_TRUE(scanned_as_general(body));
}

TEST(RecordBatchScan, TimestampsConvertLikeTheGeneralReader) {
  const auto body_with = [](const std::string& ts) {
    return response(record(R"("SequenceNumber":"1","Data":"","PartitionKey":"k","ApproximateArrivalTimestamp":)" + ts));
  };
  // Exact milliseconds (the integer route) and finer fractions or huge values (the double route) alike.
  for (const char* ts :
       {"0", "-0", "0e999", "1.2345", "1.0005", "0.0005", "1700000000.9995", "1.700000000123E9", "1700000000123e-3",
        "1.500000", "1e3", "1E-3", "-12.5", "1125899906842.623", "123456789012345678901234567890e-20", "2.9e13"}) {
    EXPECT_TRUE(scanned_as_general(body_with(ts))) << "the scanner gave up on " << ts;
  }
  // Out of range: the general reader names the error.
  GetRecordsResponse r;
  EXPECT_FALSE(scan(body_with("1e400"), r));
  EXPECT_FALSE(parse_get_records_response(body_with("1e400")).ok());
  // Below the smallest double: from_chars calls it out of range, so the scanner gives it up; the general reader
  // reads it as 0.
  GetRecordsResponse tiny;
  EXPECT_FALSE(scan(body_with("1e-400"), tiny));
  auto general = parse_get_records_response(body_with("1e-400"));
  ASSERT_TRUE(general.ok());
  EXPECT_EQ(general->records[0].approximate_arrival.time_since_epoch().count(), 0);
}

TEST(RecordBatchScan, LeavesUnusualButValidBodiesToTheGeneralReader) {
  const std::vector<std::string> bodies = {
      response(record(R"("SequenceNumber":"1","Data":"AA\/A","PartitionKey":"k")")),  // escaped '/'
      response(record(R"("SequenceNumber":"1","Data":"AA==","PartitionKey":"pk-\u00e9")")),
      R"({"Records":[],"NextShardIterator":null,"ChildShards":[{"ShardId":"shardId-1","ParentShards":["shardId-0"],)"
      R"("HashKeyRange":{"StartingHashKey":"0","EndingHashKey":"1"}}]})",
      R"({"Records":[],"Records":[]})",  // a member given twice
      response(record(R"("SequenceNumber":"1","Data":"AA==","PartitionKey":"k","Data":"AA==")")),
      response(record(R"("SequenceNumber":"1","Data":"AA==","PartitionKey":"k","X":)" + std::string(40, '[') +
                      std::string(40, ']'))),
      R"({"Records":[],"MillisBehindLatest":1.5})",
      R"({"Records":[],"MillisBehindLatest":12345678901234567890})",
  };
  for (const auto& body : bodies) {
    GetRecordsResponse r;
    EXPECT_FALSE(scan(body, r)) << body;
    (void)parse_get_records_response(body);  // read or rejected with an error: either way no crash
  }
  // The general reader still reads them through the public entry point.
  auto escaped = parse_get_records_response(bodies[0]);
  ASSERT_TRUE(escaped.ok()) << escaped.error().to_string();
  EXPECT_EQ(escaped->records[0].data, std::string("\x00\x0f\xc0", 3));
  auto children = parse_get_records_response(bodies[2]);
  ASSERT_TRUE(children.ok()) << children.error().to_string();
  EXPECT_EQ(children->child_shards.size(), 1u);
}

TEST(RecordBatchScan, GivesBackMalformedBodiesForTheGeneralReaderToName) {
  const std::vector<std::string> bodies = {
      response(record(R"("Data":"AA==","PartitionKey":"k")")),                         // no sequence number
      response(record(R"("SequenceNumber":null,"Data":"AA==","PartitionKey":"k")")),   // null sequence number
      response(record(R"("SequenceNumber":"12a","Data":"AA==","PartitionKey":"k")")),  // not digits
      response(record(R"("SequenceNumber":"1","Data":"AA=","PartitionKey":"k")")),     // bad base64
      response(record(R"("SequenceNumber":"1","Data":42,"PartitionKey":"k")")),        // wrong type
      response(record(R"("SequenceNumber":"1","Data":"","PartitionKey":"k",)")),       // trailing comma
      R"({"Records":[]} x)",                                                           // content after
      R"([])",
  };
  for (const auto& body : bodies) {
    GetRecordsResponse r;
    EXPECT_FALSE(scan(body, r)) << body;
    auto general = parse_get_records_response(body);
    EXPECT_FALSE(general.ok()) << body;
  }
}

// The general reader skips unknown members without looking into them (simdjson On-Demand), so it reads these; the
// scanner checks everything it skips and gives them back.
TEST(RecordBatchScan, GivesBackMalformedUnknownMembers) {
  for (const char* bad : {"tru", "01", "1.", "-", "[1,]", "{\"a\"}", "\"\x01\""}) {
    const std::string body =
        response(record(std::string(R"("SequenceNumber":"1","Data":"","PartitionKey":"k","X":)") + bad));
    GetRecordsResponse r;
    EXPECT_FALSE(scan(body, r)) << body;
  }
}

TEST(RecordBatchScan, GivesBackEveryTruncatedBody) {
  const std::string body = response(kRecordA + "," + kRecordB);
  for (size_t n = 0; n < body.size(); ++n) {
    GetRecordsResponse r;
    EXPECT_FALSE(scan(body.substr(0, n), r)) << n;
  }
}

TEST(RecordBatchScan, ReadsSubscribeToShardEvents) {
  const std::string payload = std::string(R"({"Records":[)") + kRecordA + "," + kRecordB +
                              R"(],"ContinuationSequenceNumber":")" + kSeq +
                              R"(","MillisBehindLatest":0,"ChildShards":[]})";
  SubscribeToShardEvent e;
  ASSERT_TRUE(scan_event(payload, e));
  ASSERT_EQ(e.records.size(), 2u);
  ASSERT_TRUE(e.continuation_sequence_number.has_value());
  EXPECT_EQ(e.continuation_sequence_number->str(), kSeq);
  EXPECT_TRUE(event_scanned_as_general(payload));
  EXPECT_TRUE(event_scanned_as_general(R"({"Records":[],"ContinuationSequenceNumber":null,"MillisBehindLatest":5})"));
  SubscribeToShardEvent bad;
  EXPECT_FALSE(scan_event(R"({"Records":[],"ContinuationSequenceNumber":"x1"})", bad));
  EXPECT_FALSE(parse_subscribe_to_shard_event(R"({"Records":[],"ContinuationSequenceNumber":"x1"})").ok());
}

}  // namespace
}  // namespace pk::kinesis
