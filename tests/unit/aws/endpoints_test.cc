#include "aws/endpoints.h"

#include <gtest/gtest.h>

namespace pk::aws {
namespace {

TEST(ResolveEndpoint, FromRegion) {
  auto e = resolve_endpoint({"kinesis", "eu-west-1", "", std::nullopt});
  ASSERT_TRUE(e.ok()) << e.error().to_string();
  EXPECT_EQ(e->url.scheme, "https");
  EXPECT_EQ(e->url.host, "kinesis.eu-west-1.amazonaws.com");
  EXPECT_EQ(e->url.port, 443);
  EXPECT_EQ(e->url.path, "/");
  EXPECT_EQ(e->signing_region, "eu-west-1");
  EXPECT_EQ(e->signing_name, "kinesis");
  EXPECT_FALSE(e->region_defaulted);

  auto cn = resolve_endpoint({"dynamodb", "cn-north-1", "", std::nullopt});
  ASSERT_TRUE(cn.ok());
  EXPECT_EQ(cn->url.host, "dynamodb.cn-north-1.amazonaws.com.cn");

  auto port = resolve_endpoint({"sts", "us-west-2", "", 8443});
  ASSERT_TRUE(port.ok());
  EXPECT_EQ(port->url.host, "sts.us-west-2.amazonaws.com");
  EXPECT_EQ(port->url.port, 8443);
}

TEST(ResolveEndpoint, ExplicitEndpointWithOrWithoutScheme) {
  auto bare = resolve_endpoint({"kinesis", "", "kinesis.eu-west-1.amazonaws.com", std::nullopt});
  ASSERT_TRUE(bare.ok()) << bare.error().to_string();
  EXPECT_EQ(bare->url.scheme, "https");
  EXPECT_EQ(bare->url.port, 443);
  EXPECT_EQ(bare->signing_region, "eu-west-1") << "inferred from the host";

  auto plain = resolve_endpoint({"kinesis", "", "http://127.0.0.1:4568", std::nullopt});
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->url.scheme, "http");
  EXPECT_EQ(plain->url.host, "127.0.0.1");
  EXPECT_EQ(plain->url.port, 4568);
  EXPECT_EQ(plain->signing_region, "us-east-1");
  EXPECT_TRUE(plain->region_defaulted);

  auto with_region = resolve_endpoint({"kinesis", "ap-south-1", "HTTPS://Localhost:4567/", 9999});
  ASSERT_TRUE(with_region.ok());
  EXPECT_EQ(with_region->url.host, "localhost");
  EXPECT_EQ(with_region->url.port, 9999) << "the port override wins";
  EXPECT_EQ(with_region->signing_region, "ap-south-1") << "a configured region wins over the host";
  EXPECT_FALSE(with_region->region_defaulted);

  auto v6 = resolve_endpoint({"kinesis", "", "http://[::1]:4568/base", std::nullopt});
  ASSERT_TRUE(v6.ok()) << v6.error().to_string();
  EXPECT_EQ(v6->url.host, "::1");
  EXPECT_EQ(v6->url.port, 4568);
  EXPECT_EQ(v6->url.path, "/base");

  auto vpce = resolve_endpoint({"kinesis", "", "vpce-0a1b-xyz.kinesis.us-gov-west-1.vpce.amazonaws.com", std::nullopt});
  ASSERT_TRUE(vpce.ok());
  EXPECT_EQ(vpce->signing_region, "us-gov-west-1");

  auto global_sts = resolve_endpoint({"sts", "", "sts.amazonaws.com", std::nullopt});
  ASSERT_TRUE(global_sts.ok());
  EXPECT_EQ(global_sts->signing_region, "us-east-1");
}

TEST(ResolveEndpoint, ErrorsNameTheCulprit) {
  auto none = resolve_endpoint({"kinesis", "", "", std::nullopt});
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.error().message.find("awsRegion"), std::string::npos);

  for (const char* bad : {"ftp://host", "http://", "host:0", "host:99999", "host:", "host:12a", "::1:80", "[::1",
                          "http://user:pw@host", "[::1]x"}) {
    auto e = resolve_endpoint({"kinesis", "", bad, std::nullopt});
    ASSERT_FALSE(e.ok()) << bad;
    EXPECT_EQ(e.error().code, ErrorCode::kInvalidArgument);
    if (std::string_view(bad).find("pw") == std::string_view::npos) {
      EXPECT_NE(e.error().message.find(bad), std::string::npos) << e.error().message;
    } else {
      EXPECT_EQ(e.error().message.find("pw"), std::string::npos) << "no secrets in messages";
    }
  }
  EXPECT_FALSE(resolve_endpoint({"kinesis", "us east", "", std::nullopt}).ok());
  EXPECT_FALSE(resolve_endpoint({"kinesis", "us-east-1", "", 70000}).ok());
}

TEST(RegionFromHost, RecognisesRegionLabels) {
  EXPECT_EQ(region_from_host("kinesis.eu-west-1.amazonaws.com"), "eu-west-1");
  EXPECT_EQ(region_from_host("sts.cn-northwest-1.amazonaws.com.cn"), "cn-northwest-1");
  EXPECT_EQ(region_from_host("kinesis-fips.us-east-2.amazonaws.com"), "us-east-2");
  EXPECT_EQ(region_from_host("localhost"), std::nullopt);
  EXPECT_EQ(region_from_host("127.0.0.1"), std::nullopt);
  EXPECT_EQ(region_from_host("my-kinesis-proxy.internal"), std::nullopt);
  EXPECT_TRUE(looks_like_region("us-isob-east-1"));
  EXPECT_FALSE(looks_like_region("us-east"));
  EXPECT_FALSE(looks_like_region("a-b-1"));
  EXPECT_FALSE(looks_like_region("US-EAST-1"));
}

}  // namespace
}  // namespace pk::aws
