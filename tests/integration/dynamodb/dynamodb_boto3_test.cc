// boto3 (an independent DynamoDB client) reads the items our client wrote and we read the items boto3 wrote,
// with every attribute type we support (S, N, B, BOOL, NULL, SS, NS, BS, L, M), binary with zero bytes and
// non-UTF-8, and non-ASCII text. Both sides print items in one canonical form (see boto3_dynamodb_peer.py).
#include <algorithm>

#include <gtest/gtest.h>

#include "integration/aws/peer_hex.h"
#include "integration/aws/run_support.h"
#include "moto_table.h"

namespace pk::dynamodb::itest {
namespace {

using namespace std::string_literals;

using aws::itest::to_hex;

std::string canonical(const AttributeValue& value);

std::string canonical_set(std::string_view kind, const std::vector<std::string>& members, bool as_hex) {
  std::vector<std::string> texts;
  for (const std::string& m : members) texts.push_back(as_hex ? to_hex(m) : m);
  std::sort(texts.begin(), texts.end());
  return fmt::format("{}[{}]", kind, fmt::join(texts, ","));
}

std::string canonical_map(const AttributeMap& members) {
  std::vector<std::string> parts;
  for (const auto& [name, v] : members) parts.push_back(to_hex(name) + "=" + canonical(v));  // std::map: byte order
  return fmt::format("M{{{}}}", fmt::join(parts, ","));
}

std::string canonical(const AttributeValue& value) {
  switch (value.type()) {
    case AttributeType::kS:
      return "S:" + to_hex(*value.as_s());
    case AttributeType::kN:
      return "N:" + *value.as_n();
    case AttributeType::kB:
      return "B:" + to_hex(*value.as_b());
    case AttributeType::kBool:
      return *value.as_bool() ? "BOOL:true" : "BOOL:false";
    case AttributeType::kNull:
      return "NULL";
    case AttributeType::kSS:
      return canonical_set("SS", *value.as_set(), true);
    case AttributeType::kNS:
      return canonical_set("NS", *value.as_set(), false);
    case AttributeType::kBS:
      return canonical_set("BS", *value.as_set(), true);
    case AttributeType::kL: {
      std::vector<std::string> parts;
      for (const AttributeValue& e : *value.as_l()) parts.push_back(canonical(e));
      return fmt::format("L[{}]", fmt::join(parts, ","));
    }
    case AttributeType::kM:
      return canonical_map(*value.as_m());
  }
  return "?";
}

std::string boto3_peer(const std::string& op, const std::string& table, const std::string& key) {
  const std::string script = std::string(PK_SOURCE_DIR) + "/tests/integration/dynamodb/boto3_dynamodb_peer.py";
  bool ok = false;
  std::string out = aws::itest::run_python(pk::testing::server_env("PK_PYTHON"),
                                           fmt::format("{} {} {} {}", script, op, table, key), ok);
  EXPECT_TRUE(ok) << "boto3 peer failed: " << out;
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

Item every_type(const std::string& key) {
  return Item{
      {"leaseKey", AttributeValue::s(key)},
      {"text", AttributeValue::s("caf\u00e9 \"quoted\" \\ back\nslash\t\U0001F680 \x01 control")},
      {"count", AttributeValue::n("98765432109876543210.5")},
      {"small", AttributeValue::n(-42)},
      {"blob", AttributeValue::b("\x00\x01\xff\xfe\x00 \x80\xc3\x28 end"s)},
      {"empty-blob-neighbour", AttributeValue::b(std::string(1, '\0'))},
      {"yes", AttributeValue::boolean(true)},
      {"no", AttributeValue::boolean(false)},
      {"nothing", AttributeValue::null()},
      {"names", AttributeValue::ss({"zeta", "\u00e9t\u00e9", "alpha"})},
      {"numbers", AttributeValue::ns({"10", "-3", "0.5"})},
      {"blobs", AttributeValue::bs({std::string("\x00\x00", 2), "\xff", "abc"})},
      {"list", AttributeValue::l({AttributeValue::s("first"), AttributeValue::n(2), AttributeValue::null(),
                                  AttributeValue::l({AttributeValue::boolean(false)}),
                                  AttributeValue::m({{"k", AttributeValue::b(std::string("\x00", 1))}})})},
      {"map",
       AttributeValue::m({{"owner", AttributeValue::s("worker-\u00fc")},
                          {"checkpoint", AttributeValue::s("49590338271490256608559692538361571095921575989136588898")},
                          {"nested", AttributeValue::m({{"ns", AttributeValue::ns({"1", "2"})},
                                                        {"\u00e9", AttributeValue::boolean(true)}})}})},
  };
}

using DynamoDbBoto3 = MotoTable;

TEST_F(DynamoDbBoto3, Boto3ReadsTheItemWeWrote) {
  const Item item = every_type("ours");
  auto put_result = put(item);
  ASSERT_TRUE(put_result.ok()) << put_result.error().to_string();
  const std::string seen_by_boto3 = boto3_peer("read", table_, "ours");
  EXPECT_EQ(seen_by_boto3, canonical_map(item));
  // Our own read gives the same item back.
  auto ours = get("ours");
  ASSERT_TRUE(ours.ok()) << ours.error().to_string();
  ASSERT_TRUE(ours->has_value());
  EXPECT_EQ(canonical_map(**ours), canonical_map(item));
}

TEST_F(DynamoDbBoto3, WeReadTheItemBoto3Wrote) {
  const std::string written_by_boto3 = boto3_peer("write", table_, "theirs");
  ASSERT_FALSE(written_by_boto3.empty());
  auto read = get("theirs");
  ASSERT_TRUE(read.ok()) << read.error().to_string();
  ASSERT_TRUE(read->has_value());
  EXPECT_EQ(canonical_map(**read), written_by_boto3);
  // Every attribute type came through.
  const Item& item = **read;
  for (const char* name : {"text", "count", "blob", "yes", "nothing", "names", "numbers", "blobs", "list", "map"}) {
    EXPECT_NE(find(item, name), nullptr) << name;
  }
}

TEST_F(DynamoDbBoto3, Boto3SeesAnAbsentItemAsAbsent) {
  EXPECT_EQ(boto3_peer("read", table_, "never-written"), "absent");
}

}  // namespace
}  // namespace pk::dynamodb::itest
