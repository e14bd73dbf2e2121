// Our Kinesis client and boto3 (an independent client) against the same kinesis-mock stream: boto3 reads the
// records our put_records wrote byte for byte on the shard our answer named (binary data with zero bytes and
// non-UTF-8, non-ASCII partition keys, explicit hash keys), and our get_records reads what boto3 wrote with the
// same sequence numbers and arrival timestamps boto3 saw. We use the TLS port (test CA), boto3 the plain one.
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <random>
#include <sstream>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "aws/endpoints.h"
#include "aws/static_credentials_provider.h"
#include "integration/aws/peer_hex.h"
#include "integration/aws/run_support.h"
#include "kinesis/client.h"
#include "support/async_test.h"
#include "support/server_env.h"

namespace pk::kinesis::boto3_itest {
namespace {

using namespace std::chrono_literals;
using pk::testing::run_coroutine;

using aws::itest::to_hex;

// One record as boto3 printed it.
struct PeerRecord {
  std::string shard;
  std::string sequence_number;
  std::string key_hex;
  std::string data_hex;
  int64_t arrival_ms = 0;
};

std::vector<PeerRecord> run_boto3_peer(const std::string& args) {
  const std::string script = std::string(PK_SOURCE_DIR) + "/tests/integration/kinesis/boto3_kinesis_peer.py";
  bool ok = false;
  const std::string out = aws::itest::run_python(pk::testing::server_env("PK_PYTHON"), script + " " + args, ok);
  EXPECT_TRUE(ok) << "boto3 peer failed: " << out;
  std::vector<PeerRecord> records;
  std::istringstream lines(out);
  PeerRecord r;
  while (lines >> r.shard >> r.sequence_number >> r.key_hex >> r.data_hex >> r.arrival_ms) {
    if (r.data_hex == "-") r.data_hex.clear();
    records.push_back(r);
  }
  return records;
}

class KinesisBoto3 : public ::testing::Test {
 protected:
  void SetUp() override {
    auto endpoint = aws::resolve_endpoint({"kinesis", "us-east-1", pk::testing::server_env("PK_KINESIS_ENDPOINT"), {}});
    ASSERT_TRUE(endpoint.ok()) << endpoint.error().to_string();
    KinesisClientOptions options;
    options.http.tls.ca_file = pk::testing::server_env("PK_TLS_CA_FILE");
    options.wait_interval = 200ms;
    options.wait_timeout = 60s;
    auto credentials = std::make_shared<aws::StaticCredentialsProvider>(
        aws::Credentials{"AKIDTEST", "test-secret", "", std::nullopt});  // kinesis-mock accepts any
    auto client = KinesisClient::create(pk::testing::coroutine_loop().get_executor(), *endpoint, credentials, options);
    ASSERT_TRUE(client.ok()) << client.error().to_string();
    client_ = std::move(*client);
    std::random_device rd;
    stream_ = StreamRef::named(fmt::format("pk-boto3-{}", rd() % 1000000000));
    auto created = run_coroutine<Status>([&] { return client_->create_stream(stream_.name, 2); });
    ASSERT_TRUE(created.ok()) << created.error().to_string();
    auto active = run_coroutine<Result<StreamSummary>>([&] { return client_->wait_for_stream_active(stream_); });
    ASSERT_TRUE(active.ok()) << active.error().to_string();
    auto listed = run_coroutine<Result<std::vector<Shard>>>([&] { return client_->list_shards(stream_); });
    ASSERT_TRUE(listed.ok()) << listed.error().to_string();
    ASSERT_EQ(listed->size(), 2u);
    shards_ = *listed;
    std::sort(shards_.begin(), shards_.end(),
              [](const Shard& a, const Shard& b) { return a.hash_key_range.starting < b.hash_key_range.starting; });
  }
  void TearDown() override {
    if (client_) (void)run_coroutine<Status>([&] { return client_->delete_stream(stream_, true); });
  }

  // Every record of `shard` read by our client from TRIM_HORIZON.
  std::vector<Record> read_with_our_client(const ShardId& shard) {
    std::vector<Record> records;
    auto iterator = run_coroutine<Result<std::string>>(
        [&] { return client_->get_shard_iterator(stream_, shard, StartingPosition::trim_horizon()); });
    EXPECT_TRUE(iterator.ok()) << iterator.error().to_string();
    if (!iterator.ok()) return records;
    std::string next = *iterator;
    for (int calls = 0; calls < 50; ++calls) {
      auto got = run_coroutine<Result<GetRecordsResponse>>([&] { return client_->get_records(next, 10000); });
      EXPECT_TRUE(got.ok()) << got.error().to_string();
      if (!got.ok()) break;
      for (const RecordView& r : got->records) records.push_back(r);  // Records: each keeps its storage
      if (!got->next_shard_iterator || (got->records.empty() && got->millis_behind_latest == 0)) break;
      next = *got->next_shard_iterator;
    }
    return records;
  }

  std::unique_ptr<KinesisClient> client_;
  StreamRef stream_;
  std::vector<Shard> shards_;  // lower half first
};

TEST_F(KinesisBoto3, Boto3ReadsWhatWeWroteByteExactOnTheShardWeWereTold) {
  std::mt19937 rng(11);
  std::vector<std::string> data(60);
  std::vector<std::string> keys(data.size());
  std::vector<PutRecordsEntry> entries;
  for (size_t i = 0; i < data.size(); ++i) {
    data[i].resize(1 + rng() % 1500);
    for (auto& c : data[i]) c = static_cast<char>(rng());
    if (i % 4 == 0) data[i][0] = '\0';  // leading zero bytes
    keys[i] = i % 5 == 0 ? fmt::format("cl\u00e9-{}-\U0001F600 \"q\"", i) : fmt::format("key-{}", i);
  }
  data[1] = std::string(3, '\0');    // only zero bytes
  data[2] = "\xc3\x28\xff\xfe\x80";  // not UTF-8
  for (size_t i = 0; i < data.size(); ++i) {
    std::optional<HashKey> explicit_key;
    // Every third record goes by an explicit hash key to the shard its partition key does not hash to.
    if (i % 3 == 0) {
      const bool md5_in_lower = shards_[0].hash_key_range.contains(HashKey::of_partition_key(keys[i]));
      explicit_key = md5_in_lower ? HashKey(shards_[1].hash_key_range.starting.value() + i)
                                  : HashKey(shards_[0].hash_key_range.ending.value() - i);
    }
    entries.push_back({data[i], keys[i], explicit_key});
  }
  auto put = run_coroutine<Result<PutRecordsResponse>>([&] { return client_->put_records(stream_, entries); });
  ASSERT_TRUE(put.ok()) << put.error().to_string();
  ASSERT_EQ(put->failed_record_count, 0u);
  ASSERT_EQ(put->records.size(), entries.size());

  std::map<std::string, size_t> index_of;  // "shard seq" -> entry
  std::vector<std::string> shard_args;
  for (size_t i = 0; i < entries.size(); ++i) {
    const auto& answer = put->records[i];
    const HashKey hash = entries[i].explicit_hash_key.value_or(HashKey::of_partition_key(keys[i]));
    const Shard& owner = shards_[0].hash_key_range.contains(hash) ? shards_[0] : shards_[1];
    EXPECT_EQ(answer.shard_id, owner.shard_id)
        << "entry " << i << " (explicit hash key: " << entries[i].explicit_hash_key.has_value() << ")";
    index_of[answer.shard_id.str() + " " + answer.sequence_number.str()] = i;
  }
  const auto records = run_boto3_peer(
      fmt::format("read {} {} {}", stream_.name.str(), shards_[0].shard_id.str(), shards_[1].shard_id.str()));
  ASSERT_EQ(records.size(), entries.size());
  for (const PeerRecord& r : records) {
    const auto it = index_of.find(r.shard + " " + r.sequence_number);
    ASSERT_NE(it, index_of.end()) << "boto3 read " << r.sequence_number << " on " << r.shard
                                  << ", which is not where our answer put any record";
    EXPECT_EQ(r.data_hex, to_hex(data[it->second])) << "entry " << it->second;
    EXPECT_EQ(r.key_hex, to_hex(keys[it->second])) << "entry " << it->second;
    index_of.erase(it);
  }
  EXPECT_TRUE(index_of.empty());
}

TEST_F(KinesisBoto3, WeReadWhatBoto3WroteWithItsSequenceNumbersAndArrivalTimes) {
  std::mt19937 rng(12);
  const std::string input = ::testing::TempDir() + "/pk_kinesis_boto3_" + stream_.name.str() + ".txt";
  {
    std::ofstream out(input);
    for (int i = 0; i < 40; ++i) {
      std::string data(static_cast<size_t>(i == 0 ? 1 : 1 + rng() % 1200), '\0');
      for (auto& c : data) c = i == 0 ? '\0' : static_cast<char>(rng());
      const std::string key = i % 4 == 0 ? fmt::format("\u00fc-{}-\U0001F680", i) : fmt::format("k{}", i);
      const std::string hash_key =
          i % 5 == 0 ? HashKey(shards_[i % 2].hash_key_range.starting.value() + static_cast<unsigned>(i)).to_string()
                     : "-";
      out << to_hex(data) << ' ' << to_hex(key) << ' ' << hash_key << '\n';
    }
  }
  const auto seen_by_boto3 = run_boto3_peer(fmt::format("write {} {}", stream_.name.str(), input));
  std::remove(input.c_str());
  ASSERT_EQ(seen_by_boto3.size(), 40u);

  std::map<std::string, Record> ours;  // "shard seq" -> record
  for (const Shard& shard : shards_) {
    for (Record& r : read_with_our_client(shard.shard_id)) {
      ours[shard.shard_id.str() + " " + std::string(r.sequence_number)] = std::move(r);
    }
  }
  ASSERT_EQ(ours.size(), seen_by_boto3.size());
  for (const PeerRecord& theirs : seen_by_boto3) {
    const auto it = ours.find(theirs.shard + " " + theirs.sequence_number);
    ASSERT_NE(it, ours.end()) << "we did not read " << theirs.sequence_number << " on " << theirs.shard;
    const Record& r = it->second;
    EXPECT_EQ(to_hex(r.data), theirs.data_hex) << theirs.sequence_number;
    EXPECT_EQ(to_hex(r.partition_key), theirs.key_hex) << theirs.sequence_number;
    EXPECT_EQ(r.approximate_arrival.time_since_epoch().count(), theirs.arrival_ms) << theirs.sequence_number;
  }
}

}  // namespace
}  // namespace pk::kinesis::boto3_itest
