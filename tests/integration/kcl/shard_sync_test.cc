// Shard sync against kinesis-mock (the stream) and moto (the lease table): leases for new shards, children created
// at their parent's end with TRIM_HORIZON and their parents, a child read only after its parent's SHARD_END, and the
// finished parent deleted once its children started.
#include <algorithm>

#include "kcl/shard_sync.h"
#include "kcl_itest.h"

namespace pk::kcl::itest {
namespace {

std::shared_ptr<kinesis::KinesisClient> make_kinesis() {
  auto endpoint = aws::resolve_endpoint({"kinesis", "us-east-1", pk::testing::server_env("PK_KINESIS_ENDPOINT"), {}});
  EXPECT_TRUE(endpoint.ok()) << endpoint.error().to_string();
  kinesis::KinesisClientOptions options;
  options.http.tls.ca_file = pk::testing::server_env("PK_TLS_CA_FILE");
  options.wait_interval = 200ms;
  options.wait_timeout = 60s;
  // kinesis-mock accepts any credentials.
  auto credentials =
      std::make_shared<aws::StaticCredentialsProvider>(aws::Credentials{"AKIDTEST", "test-secret", "", std::nullopt});
  auto client =
      kinesis::KinesisClient::create(pk::testing::coroutine_loop().get_executor(), *endpoint, credentials, options);
  EXPECT_TRUE(client.ok()) << client.error().to_string();
  return client.ok() ? std::shared_ptr<kinesis::KinesisClient>(std::move(*client)) : nullptr;
}

class ShardSyncTest : public LeaseTableTest {
 protected:
  void SetUp() override {
    LeaseTableTest::SetUp();
    kinesis_ = make_kinesis();
    ASSERT_NE(kinesis_, nullptr);
    stream_ = kinesis::StreamRef::named(unique_name("pk-kcl-sync"));
    ASSERT_TRUE(run_coroutine<Status>([&] { return kinesis_->create_stream(stream_.name, 1); }).ok());
    ASSERT_TRUE(
        run_coroutine<Result<kinesis::StreamSummary>>([&] { return kinesis_->wait_for_stream_active(stream_); }).ok());
  }
  void TearDown() override {
    if (kinesis_) (void)run_coroutine<Status>([&] { return kinesis_->delete_stream(stream_, true); });
    LeaseTableTest::TearDown();
  }
  std::vector<kinesis::Shard> shards() {
    auto listed = run_coroutine<Result<std::vector<kinesis::Shard>>>([&] { return kinesis_->list_shards(stream_); });
    EXPECT_TRUE(listed.ok()) << listed.error().to_string();
    return listed.ok() ? *listed : std::vector<kinesis::Shard>{};
  }
  ShardSyncReport run_sync(const ShardSync& s) {
    auto report = run_coroutine<Result<ShardSyncReport>>([&] { return s.run_once(); });
    EXPECT_TRUE(report.ok()) << report.error().to_string();
    return report.ok() ? *report : ShardSyncReport{};
  }
  bool ready(const ShardSync& s, const std::string& key) {
    const Lease lease = get(key);
    auto r = run_coroutine<Result<bool>>([&] { return s.ready(lease); });
    EXPECT_TRUE(r.ok()) << r.error().to_string();
    return r.ok() && *r;
  }
  // Takes the lease for `worker` and checkpoints it at `position`.
  void checkpoint(const std::string& key, const ExtendedSequenceNumber& position) {
    const Lease lease = get(key);
    auto taken = run_coroutine<Result<LeaseWrite>>([&] { return table_->take(lease, WorkerId("w")); });
    ASSERT_TRUE(taken.ok() && taken->applied());
    auto written =
        run_coroutine<Result<LeaseWrite>>([&] { return table_->checkpoint(*taken->lease, position, std::nullopt); });
    ASSERT_TRUE(written.ok() && written->applied());
  }

  std::shared_ptr<kinesis::KinesisClient> kinesis_;
  kinesis::StreamRef stream_;
};

TEST_F(ShardSyncTest, NewShardsReshardingAndCleanUp) {
  ShardSync syncer(kinesis_, stream_, table_, InitialPosition::kTrimHorizon);
  ShardSyncReport first = run_sync(syncer);
  EXPECT_EQ(first.shards, 1);
  EXPECT_EQ(first.created, 1);
  EXPECT_EQ(run_sync(syncer).created, 0);  // nothing twice
  const std::string parent = shards().at(0).shard_id.str();
  EXPECT_EQ(get(parent).checkpoint, ExtendedSequenceNumber::trim_horizon());
  EXPECT_TRUE(ready(syncer, parent));

  const auto middle = *kinesis::HashKey::parse("170141183460469231731687303715884105728");
  ASSERT_TRUE(
      run_coroutine<Status>([&] { return kinesis_->split_shard(stream_, kinesis::ShardId(parent), middle); }).ok());
  ASSERT_TRUE(
      run_coroutine<Result<kinesis::StreamSummary>>([&] { return kinesis_->wait_for_stream_active(stream_); }).ok());
  // The children descend from a leased parent: their leases come at the parent's end, not from the sync.
  ShardSyncReport after_split = run_sync(syncer);
  EXPECT_EQ(after_split.shards, 3);
  EXPECT_EQ(after_split.created, 0);
  EXPECT_EQ(list().size(), 1u);

  // The parent's reader reached its end and reports the children.
  std::vector<kinesis::ChildShard> children;
  for (const kinesis::Shard& s : shards()) {
    if (s.shard_id.str() != parent) children.push_back({s.shard_id, {kinesis::ShardId(parent)}, s.hash_key_range});
  }
  ASSERT_EQ(children.size(), 2u);
  Status ended = run_coroutine<Status>([&] { return syncer.on_shard_end(kinesis::ShardId(parent), children); });
  ASSERT_TRUE(ended.ok()) << ended.error().to_string();
  std::vector<kinesis::ShardId> child_ids = get(parent).child_shard_ids;
  std::sort(child_ids.begin(), child_ids.end());
  ASSERT_EQ(child_ids.size(), 2u);
  for (const kinesis::ChildShard& child : children) {
    const Lease lease = get(child.shard_id.str());
    EXPECT_EQ(lease.checkpoint, ExtendedSequenceNumber::trim_horizon());
    EXPECT_EQ(lease.parent_shard_ids, std::vector<kinesis::ShardId>{kinesis::ShardId(parent)});
    EXPECT_EQ(lease.hash_key_range, child.hash_key_range);
    EXPECT_FALSE(lease.owner);
    EXPECT_TRUE(std::binary_search(child_ids.begin(), child_ids.end(), child.shard_id));
    EXPECT_FALSE(ready(syncer, child.shard_id.str()));  // the parent has not checkpointed SHARD_END yet
  }
  checkpoint(parent, ExtendedSequenceNumber::shard_end());
  for (const kinesis::ChildShard& child : children) EXPECT_TRUE(ready(syncer, child.shard_id.str()));

  // Finished, but its children did not start: kept.
  ShardSyncReport kept = run_sync(syncer);
  EXPECT_EQ(kept.deleted, 0);
  EXPECT_EQ(list().size(), 3u);
  checkpoint(children[0].shard_id.str(), ExtendedSequenceNumber::at(*kinesis::SequenceNumber::parse("1234")));
  EXPECT_EQ(run_sync(syncer).deleted, 0);  // one child still at TRIM_HORIZON
  checkpoint(children[1].shard_id.str(), ExtendedSequenceNumber::at(*kinesis::SequenceNumber::parse("5678")));
  ShardSyncReport cleaned = run_sync(syncer);
  EXPECT_EQ(cleaned.deleted, 1);
  EXPECT_EQ(cleaned.created, 0);  // the parent's lease gone, its shard still listed: not created again
  std::vector<Lease> left = list();
  ASSERT_EQ(left.size(), 2u);
  for (const Lease& l : left) EXPECT_NE(l.key.str(), parent);
  EXPECT_EQ(run_sync(syncer).created, 0);
}

TEST_F(ShardSyncTest, LatestOnAnEmptyTableLeasesTheOpenShardsOnly) {
  const std::string parent = shards().at(0).shard_id.str();
  const auto middle = *kinesis::HashKey::parse("170141183460469231731687303715884105728");
  ASSERT_TRUE(
      run_coroutine<Status>([&] { return kinesis_->split_shard(stream_, kinesis::ShardId(parent), middle); }).ok());
  ASSERT_TRUE(
      run_coroutine<Result<kinesis::StreamSummary>>([&] { return kinesis_->wait_for_stream_active(stream_); }).ok());
  ShardSync syncer(kinesis_, stream_, table_, InitialPosition::kLatest);
  EXPECT_EQ(run_sync(syncer).created, 2);
  for (const Lease& l : list()) {
    EXPECT_NE(l.key.str(), parent);
    EXPECT_EQ(l.checkpoint, ExtendedSequenceNumber::latest());
    EXPECT_EQ(l.parent_shard_ids, std::vector<kinesis::ShardId>{kinesis::ShardId(parent)});
    EXPECT_TRUE(ready(syncer, l.key.str()));  // the parent has no lease: nothing to wait for
  }
}

}  // namespace
}  // namespace pk::kcl::itest
