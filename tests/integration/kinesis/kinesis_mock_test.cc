// The Kinesis client against kinesis-mock (a real, independently written Kinesis), over TLS with the test CA:
// records round-trip byte for byte, the shard the service picks is the one our MD5 hash key predicts, listings
// page and filter, resharding shows parents, children and shard end, and enhanced fan-out delivers real events
// over HTTP/2.
#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <thread>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "aws/endpoints.h"
#include "aws/static_credentials_provider.h"
#include "kinesis/client.h"
#include "support/async_test.h"
#include "support/server_env.h"

namespace pk::kinesis {
namespace {

using namespace std::chrono_literals;
using testing::run_coroutine;

std::string unique_name(std::string_view prefix) {
  std::random_device rd;
  return fmt::format("{}-{}", prefix, rd() % 1000000000);
}

std::unique_ptr<KinesisClient> make_client(const std::string& endpoint_var, std::optional<int> page_size = {}) {
  auto endpoint = aws::resolve_endpoint({"kinesis", "us-east-1", pk::testing::server_env(endpoint_var.c_str()), {}});
  EXPECT_TRUE(endpoint.ok()) << endpoint.error().to_string();
  KinesisClientOptions options;
  options.http.tls.ca_file = pk::testing::server_env("PK_TLS_CA_FILE");
  options.subscription.http.tls.ca_file = options.http.tls.ca_file;
  options.wait_interval = 200ms;
  options.wait_timeout = 60s;
  options.list_shards_page_size = page_size;
  // kinesis-mock accepts any credentials.
  auto credentials =
      std::make_shared<aws::StaticCredentialsProvider>(aws::Credentials{"AKIDTEST", "test-secret", "", std::nullopt});
  auto client = KinesisClient::create(testing::coroutine_loop().get_executor(), *endpoint, credentials, options);
  EXPECT_TRUE(client.ok()) << client.error().to_string();
  return std::move(*client);
}

// One stream per test, deleted at the end.
class KinesisMock : public ::testing::Test {
 protected:
  void create(int shards, std::optional<int> page_size = {}) {
    client_ = make_client("PK_KINESIS_ENDPOINT", page_size);
    stream_ = StreamRef::named(unique_name("pk-itest"));
    auto created = run_coroutine<Status>([&] { return client_->create_stream(stream_.name, shards); });
    ASSERT_TRUE(created.ok()) << created.error().to_string();
    auto active = run_coroutine<Result<StreamSummary>>([&] { return client_->wait_for_stream_active(stream_); });
    ASSERT_TRUE(active.ok()) << active.error().to_string();
    EXPECT_EQ(active->open_shard_count, shards);
    summary_ = *active;
  }
  void TearDown() override {
    if (client_) (void)run_coroutine<Status>([&] { return client_->delete_stream(stream_, true); });
  }

  std::vector<Shard> shards(std::optional<ShardFilter> filter = {}) {
    auto listed = run_coroutine<Result<std::vector<Shard>>>([&] { return client_->list_shards(stream_, filter); });
    EXPECT_TRUE(listed.ok()) << listed.error().to_string();
    return listed.ok() ? *listed : std::vector<Shard>{};
  }

  // Every record of a shard from `position` until the reader has caught up (or the shard ended).
  struct ShardRead {
    std::vector<Record> records;
    bool ended = false;
    std::vector<ChildShard> children;
  };
  ShardRead read_shard(const ShardId& shard, StartingPosition position = StartingPosition::trim_horizon()) {
    ShardRead out;
    auto iterator =
        run_coroutine<Result<std::string>>([&] { return client_->get_shard_iterator(stream_, shard, position); });
    EXPECT_TRUE(iterator.ok()) << iterator.error().to_string();
    if (!iterator.ok()) return out;
    std::string next = *iterator;
    for (int calls = 0; calls < 50; ++calls) {
      auto got = run_coroutine<Result<GetRecordsResponse>>([&] { return client_->get_records(next, 1000); });
      EXPECT_TRUE(got.ok()) << got.error().to_string();
      if (!got.ok()) break;
      for (const RecordView& r : got->records) out.records.push_back(r);  // Records: each keeps its storage
      if (got->at_shard_end()) {
        out.ended = true;
        out.children = got->child_shards;
        break;
      }
      if (got->records.empty() && got->millis_behind_latest == 0) break;
      next = *got->next_shard_iterator;
    }
    return out;
  }

  std::unique_ptr<KinesisClient> client_;
  StreamRef stream_;
  StreamSummary summary_;
};

TEST_F(KinesisMock, PutRecordsThenGetRecordsRoundTripsAndLandsWhereTheHashKeyPredicts) {
  create(3);
  std::mt19937 rng(5);
  std::vector<std::string> data(300);
  std::vector<std::string> keys(300);
  std::vector<PutRecordsEntry> entries;
  for (size_t i = 0; i < data.size(); ++i) {
    data[i].resize(rng() % 2000);
    for (auto& c : data[i]) c = static_cast<char>(rng());
    keys[i] = i % 10 == 0 ? fmt::format("cl\u00e9-\"{}\"\\\t\U0001F600", i) : fmt::format("key-{}", i);
    entries.push_back({data[i], keys[i], std::nullopt});
  }
  auto put = run_coroutine<Result<PutRecordsResponse>>([&] { return client_->put_records(stream_, entries); });
  ASSERT_TRUE(put.ok()) << put.error().to_string();
  EXPECT_EQ(put->failed_record_count, 0u);
  ASSERT_EQ(put->records.size(), entries.size());

  // The service put each record on the shard whose range holds MD5(partition key).
  const std::vector<Shard> all = shards();
  ASSERT_EQ(all.size(), 3u);
  for (size_t i = 0; i < entries.size(); ++i) {
    const HashKey key = HashKey::of_partition_key(keys[i]);
    const auto owner =
        std::find_if(all.begin(), all.end(), [&](const Shard& s) { return s.hash_key_range.contains(key); });
    ASSERT_NE(owner, all.end());
    EXPECT_EQ(put->records[i].shard_id, owner->shard_id) << keys[i];
  }

  // Reading every shard gives back each record once, with the sequence number PutRecords returned, in
  // increasing order (compared as big integers).
  std::map<std::string, size_t> index_of_sequence;
  for (size_t i = 0; i < entries.size(); ++i) index_of_sequence[put->records[i].sequence_number.str()] = i;
  size_t seen = 0;
  for (const Shard& shard : all) {
    const ShardRead read = read_shard(shard.shard_id);
    for (size_t k = 0; k < read.records.size(); ++k) {
      const Record& r = read.records[k];
      if (k > 0) {
        EXPECT_LT(read.records[k - 1].sequence(), r.sequence());
      }
      const auto it = index_of_sequence.find(std::string(r.sequence_number));
      ASSERT_NE(it, index_of_sequence.end()) << std::string(r.sequence_number);
      EXPECT_EQ(r.data, data[it->second]);
      EXPECT_EQ(r.partition_key, keys[it->second]);
      EXPECT_GT(r.approximate_arrival.time_since_epoch().count(), 1600000000000);
      ++seen;
    }
  }
  EXPECT_EQ(seen, entries.size());
}

TEST_F(KinesisMock, ExplicitHashKeyDecidesTheShard) {
  create(2);
  const std::vector<Shard> all = shards();
  ASSERT_EQ(all.size(), 2u);
  const Shard& last = *std::max_element(all.begin(), all.end(), [](const Shard& a, const Shard& b) {
    return a.hash_key_range.starting < b.hash_key_range.starting;
  });
  // "a" hashes into the lower half; the explicit key sends it to the upper shard.
  ASSERT_FALSE(last.hash_key_range.contains(HashKey::of_partition_key("a")));
  const PutRecordsEntry entries[] = {{"payload", "a", last.hash_key_range.starting}};
  auto put = run_coroutine<Result<PutRecordsResponse>>([&] { return client_->put_records(stream_, entries); });
  ASSERT_TRUE(put.ok()) << put.error().to_string();
  EXPECT_EQ(put->records[0].shard_id, last.shard_id);
}

TEST_F(KinesisMock, ListShardsPagesAndFilters) {
  create(5, /*page_size=*/2);  // three pages
  ListShardsRequest first_page{stream_, {}, 2, std::nullopt};
  auto page = run_coroutine<Result<ListShardsPage>>([&] { return client_->list_shards_page(first_page); });
  ASSERT_TRUE(page.ok()) << page.error().to_string();
  EXPECT_EQ(page->shards.size(), 2u);
  EXPECT_FALSE(page->next_token.empty());
  const std::vector<Shard> all = shards();
  ASSERT_EQ(all.size(), 5u);
  std::set<std::string> ids;
  for (const Shard& s : all) ids.insert(s.shard_id.str());
  EXPECT_EQ(ids.size(), 5u);
  EXPECT_EQ(all.front().hash_key_range.starting, HashKey(0));
  EXPECT_EQ(all.back().hash_key_range.ending, HashKey::max());

  const auto after = shards(ShardFilter{ShardFilterType::kAfterShardId, all[1].shard_id, {}});
  ASSERT_EQ(after.size(), 3u);
  EXPECT_EQ(after[0].shard_id, all[2].shard_id);
  EXPECT_EQ(shards(ShardFilter{ShardFilterType::kAtTrimHorizon, {}, {}}).size(), 5u);
  EXPECT_EQ(shards(ShardFilter{ShardFilterType::kAtLatest, {}, {}}).size(), 5u);
}

TEST_F(KinesisMock, SplitAndMergeShowParentsChildrenAndShardEnd) {
  create(1);
  const ShardId parent = shards().at(0).shard_id;
  std::vector<std::string> payloads;
  std::vector<PutRecordsEntry> entries;
  for (int i = 0; i < 5; ++i) payloads.push_back(fmt::format("before-split-{}", i));
  for (const auto& p : payloads) entries.push_back({p, p, std::nullopt});
  auto put = run_coroutine<Result<PutRecordsResponse>>([&] { return client_->put_records(stream_, entries); });
  ASSERT_TRUE(put.ok()) << put.error().to_string();

  const HashKey middle = *HashKey::parse("170141183460469231731687303715884105728");
  auto split = run_coroutine<Status>([&] { return client_->split_shard(stream_, parent, middle); });
  ASSERT_TRUE(split.ok()) << split.error().to_string();
  ASSERT_TRUE(run_coroutine<Result<StreamSummary>>([&] { return client_->wait_for_stream_active(stream_); }).ok());

  std::vector<Shard> after_split = shards();
  ASSERT_EQ(after_split.size(), 3u);
  std::vector<Shard> children;
  for (const Shard& s : after_split) {
    if (s.shard_id == parent) {
      EXPECT_FALSE(s.is_open()) << "the parent is closed";
    } else {
      EXPECT_EQ(s.parent_shard_id, parent);
      EXPECT_TRUE(s.is_open());
      children.push_back(s);
    }
  }
  ASSERT_EQ(children.size(), 2u);
  std::sort(children.begin(), children.end(),
            [](const Shard& a, const Shard& b) { return a.hash_key_range.starting < b.hash_key_range.starting; });
  EXPECT_EQ(children[0].hash_key_range.ending, HashKey(middle.value() - 1));
  EXPECT_EQ(children[1].hash_key_range.starting, middle);

  // The closed parent reads to its end: its records, then no next iterator and the children.
  const ShardRead read = read_shard(parent);
  EXPECT_TRUE(read.ended);
  ASSERT_EQ(read.records.size(), payloads.size());
  for (size_t i = 0; i < payloads.size(); ++i) EXPECT_EQ(read.records[i].data, payloads[i]);
  ASSERT_EQ(read.children.size(), 2u);
  for (const ChildShard& child : read.children) {
    EXPECT_EQ(child.parent_shards, std::vector<ShardId>{parent});
    EXPECT_TRUE(child.shard_id == children[0].shard_id || child.shard_id == children[1].shard_id);
  }

  // Merging the children back gives a shard with both as parents.
  auto merged =
      run_coroutine<Status>([&] { return client_->merge_shards(stream_, children[0].shard_id, children[1].shard_id); });
  ASSERT_TRUE(merged.ok()) << merged.error().to_string();
  ASSERT_TRUE(run_coroutine<Result<StreamSummary>>([&] { return client_->wait_for_stream_active(stream_); }).ok());
  const std::vector<Shard> open = shards(ShardFilter{ShardFilterType::kAtLatest, {}, {}});
  ASSERT_EQ(open.size(), 1u);
  const Shard& grandchild = open[0];
  EXPECT_EQ(grandchild.parent_shard_id, children[0].shard_id);
  EXPECT_EQ(grandchild.adjacent_parent_shard_id, children[1].shard_id);
  EXPECT_EQ(grandchild.hash_key_range.starting, HashKey(0));
  EXPECT_EQ(grandchild.hash_key_range.ending, HashKey::max());
  EXPECT_EQ(shards().size(), 4u);
}

TEST_F(KinesisMock, IteratorsAtTimestampAndAfterSequenceNumber) {
  create(1);
  const ShardId shard = shards().at(0).shard_id;
  const PutRecordsEntry first[] = {{"old", "k", std::nullopt}};
  ASSERT_TRUE(run_coroutine<Result<PutRecordsResponse>>([&] { return client_->put_records(stream_, first); }).ok());
  std::this_thread::sleep_for(1500ms);
  const auto between = std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
  std::this_thread::sleep_for(1500ms);
  const PutRecordsEntry second[] = {{"new-1", "k", std::nullopt}, {"new-2", "k", std::nullopt}};
  auto put = run_coroutine<Result<PutRecordsResponse>>([&] { return client_->put_records(stream_, second); });
  ASSERT_TRUE(put.ok()) << put.error().to_string();

  const ShardRead since = read_shard(shard, StartingPosition::at_timestamp(between));
  ASSERT_EQ(since.records.size(), 2u);
  EXPECT_EQ(since.records[0].data, "new-1");
  const ShardRead after = read_shard(shard, StartingPosition::after(put->records[0].sequence_number));
  ASSERT_EQ(after.records.size(), 1u);
  EXPECT_EQ(after.records[0].data, "new-2");
  const ShardRead at = read_shard(shard, StartingPosition::at(put->records[0].sequence_number));
  EXPECT_EQ(at.records.size(), 2u);
  const ShardRead latest = read_shard(shard, StartingPosition::latest());
  EXPECT_TRUE(latest.records.empty());
}

}  // namespace
}  // namespace pk::kinesis
