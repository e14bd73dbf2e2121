#include "aws/xml_lite.h"

#include <gtest/gtest.h>

namespace pk::aws {
namespace {

TEST(XmlLite, ParsesAnStsResponse) {
  const std::string body = R"(<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleResult>
  <SourceIdentity>Alice</SourceIdentity>
    <AssumedRoleUser>
      <Arn>arn:aws:sts::123456789012:assumed-role/demo/TestAR</Arn>
    </AssumedRoleUser>
    <Credentials>
      <SessionToken><![CDATA[tok<en]]></SessionToken>
      <SecretAccessKey>wJalr/K7MDENG&#x2F;x&#43;y</SecretAccessKey>
      <Expiration>2019-11-09T13:34:41Z</Expiration>
      <AccessKeyId>ASIAIOSFODNN7EXAMPLE</AccessKeyId>
    </Credentials>
    <Empty/>
  </AssumeRoleResult>
  <!-- a comment with <tags> -->
  <ResponseMetadata><RequestId>c6104cbe</RequestId></ResponseMetadata>
</AssumeRoleResponse>)";
  auto doc = parse_xml(body);
  ASSERT_TRUE(doc.ok()) << doc.error().to_string();
  const XmlElement* creds = doc->find({"AssumeRoleResponse", "AssumeRoleResult", "Credentials"});
  ASSERT_NE(creds, nullptr);
  EXPECT_EQ(creds->text_at({"AccessKeyId"}), "ASIAIOSFODNN7EXAMPLE");
  EXPECT_EQ(creds->text_at({"SecretAccessKey"}), "wJalr/K7MDENG/x+y");
  EXPECT_EQ(creds->text_at({"SessionToken"}), "tok<en");
  EXPECT_EQ(doc->text_at({"AssumeRoleResponse", "AssumeRoleResult", "Empty"}), "");
  EXPECT_NE(doc->find({"AssumeRoleResponse", "AssumeRoleResult", "Empty"}), nullptr);
  EXPECT_EQ(doc->find({"AssumeRoleResponse", "Nope"}), nullptr);
  const XmlElement* rid = xml_find_first(*doc, "RequestId");
  ASSERT_NE(rid, nullptr);
  EXPECT_EQ(rid->text, "c6104cbe");
}

TEST(XmlLite, AttributesWithQuotedAngleBracketsAndPrefixes) {
  auto doc = parse_xml(R"(<a:Root x="1>2" y='<'><a:Child>v</a:Child></a:Root>)");
  ASSERT_TRUE(doc.ok()) << doc.error().to_string();
  EXPECT_EQ(doc->text_at({"Root", "Child"}), "v");
}

TEST(XmlLite, EntitiesAndUnknownOnes) {
  auto doc = parse_xml("<a>&lt;&gt;&amp;&quot;&apos;&#65;&#x1F600;&bogus;&</a>");
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ(doc->text_at({"a"}), "<>&\"'A\xF0\x9F\x98\x80&bogus;&");
}

TEST(XmlLite, ErrorsNameTheOffset) {
  for (std::string_view bad :
       {"<a>", "<a></b>", "</a>", "<a", "<!-- x", "<a><![CDATA[x</a>", "text", "", "<>", "<a></a>junk"}) {
    auto doc = parse_xml(bad);
    ASSERT_FALSE(doc.ok()) << bad;
    EXPECT_EQ(doc.error().code, ErrorCode::kMalformedInput);
    EXPECT_NE(doc.error().message.find("XML at byte"), std::string::npos);
  }
}

TEST(XmlLite, DepthIsBounded) {
  std::string deep;
  for (int i = 0; i < 100; ++i) deep += "<a>";
  for (int i = 0; i < 100; ++i) deep += "</a>";
  auto doc = parse_xml(deep, XmlLimits{50, 1000});
  ASSERT_FALSE(doc.ok());
  EXPECT_NE(doc.error().message.find("deeply"), std::string::npos);
  EXPECT_TRUE(parse_xml(deep, XmlLimits{200, 1000}).ok());
}

}  // namespace
}  // namespace pk::aws
