#include "pulsar/client/topic_name.h"

#include <gtest/gtest.h>

namespace pk::pulsar {
namespace {

TEST(TopicName, ShortNameExpandsToPublicDefault) {
  auto t = TopicName::parse("my-topic");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->full(), "persistent://public/default/my-topic");
  EXPECT_EQ(t->tenant(), "public");
  EXPECT_EQ(t->namespace_name(), "public/default");
  EXPECT_EQ(t->local(), "my-topic");
  EXPECT_TRUE(t->persistent());
  EXPECT_FALSE(t->is_partition());
}

TEST(TopicName, TenantNamespaceTopic) {
  auto t = TopicName::parse("acme/orders/in");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->full(), "persistent://acme/orders/in");
  EXPECT_EQ(t->namespace_name(), "acme/orders");
}

TEST(TopicName, FullNamesBothDomains) {
  auto p = TopicName::parse("persistent://t/n/x");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->full(), "persistent://t/n/x");
  auto np = TopicName::parse("non-persistent://t/n/x");
  ASSERT_TRUE(np.ok());
  EXPECT_FALSE(np->persistent());
  EXPECT_EQ(np->full(), "non-persistent://t/n/x");
}

TEST(TopicName, LegacyFourPartName) {
  auto t = TopicName::parse("persistent://prop/us-west/ns/x");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->namespace_name(), "prop/us-west/ns");
  EXPECT_EQ(t->local(), "x");
}

TEST(TopicName, PartitionNames) {
  auto t = TopicName::parse("persistent://public/default/orders-partition-7");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->partition(), 7);
  EXPECT_EQ(t->base_name(), "persistent://public/default/orders");
  auto base = TopicName::parse("orders");
  ASSERT_TRUE(base.ok());
  EXPECT_EQ(base->partition_name(3), "persistent://public/default/orders-partition-3");
  EXPECT_EQ(base->base_name(), base->full());
  EXPECT_EQ(partition_index_of("x-partition-"), -1);
  EXPECT_EQ(partition_index_of("x-partition-a1"), -1);
  EXPECT_EQ(partition_index_of("x-partition-12"), 12);
}

TEST(TopicName, BadNamesAreRefusedWithTheReason) {
  struct Case {
    const char* name;
    const char* says;
  };
  const Case cases[] = {
      {"", "empty"},
      {"a/b", "short name"},
      {"kafka://t/n/x", "unknown domain 'kafka'"},
      {"persistent://t/x", "expected <domain>"},
      {"persistent://t/n/", "empty topic part"},
      {"persistent:///n/x", "empty tenant"},
      {"persistent://t//x", "empty namespace"},
      {"persistent://t$/n/x", "bad character '$' in tenant"},
      {"t/n s/x", "bad character ' ' in namespace"},
      {"bad\ntopic", "control character"},
  };
  for (const auto& c : cases) {
    auto t = TopicName::parse(c.name);
    ASSERT_FALSE(t.ok()) << c.name;
    EXPECT_EQ(t.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(t.error().message.find(c.says), std::string::npos) << c.name << ": " << t.error().message;
  }
}

}  // namespace
}  // namespace pk::pulsar
