// The container (ECS/EKS) and EC2 instance-metadata providers against scripted local endpoints.
#include <gtest/gtest.h>

#include "aws/container_credentials_provider.h"
#include "aws/imds_credentials_provider.h"
#include "fake_http_server.h"
#include "test_support.h"

namespace pk::aws {
namespace {

using namespace std::chrono_literals;
using pk::testing::FakeHttpServer;
using pk::testing::RecordedRequest;
using pk::testing::Reply;
using pk::testing::run_coroutine;
using testing::ScopedEnv;
using testing::TempDir;

constexpr const char* kCredsJson =
    R"({"AccessKeyId":"ASIAMETA","SecretAccessKey":"metasecret","Token":"metatoken","Expiration":"2030-01-01T00:00:00Z"})";

CredentialsContext local_context(const FakeHttpServer& server) {
  CredentialsContext c;
  c.container_base_url = server.url();
  c.imds_default_endpoint = "http://127.0.0.1:9";  // never used: the tests set AWS_EC2_METADATA_SERVICE_ENDPOINT
  c.metadata_timeout = 2000ms;
  return c;
}

TEST(ContainerProvider, RelativeUriWithTokenFromTheEnvironment) {
  FakeHttpServer server;
  server.when("GET", "/v2/credentials/abc").then_return(Reply::json(kCredsJson));
  ScopedEnv env;
  env.clear_aws()
      .set("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/abc")
      .set("AWS_CONTAINER_AUTHORIZATION_TOKEN", "Bearer env-token");
  ContainerCredentialsProvider p(local_context(server));
  auto c = testing::fetch_credentials(p);
  ASSERT_TRUE(c.ok()) << c.error().to_string();
  EXPECT_EQ(c->access_key_id, "ASIAMETA");
  EXPECT_EQ(c->session_token, "metatoken");
  ASSERT_TRUE(c->expiration.has_value());
  ASSERT_EQ(server.request_count(), 1u);
  EXPECT_EQ(server.requests()[0].header("Authorization"), "Bearer env-token");
}

TEST(ContainerProvider, FullUriWithTokenFileThatRotates) {
  FakeHttpServer server;
  server.when("GET", "/creds").then_return(Reply::json(kCredsJson));
  TempDir dir;
  const std::string token_file = dir.write("token", "file-token-1\n");
  ScopedEnv env;
  env.clear_aws()
      .set("AWS_CONTAINER_CREDENTIALS_FULL_URI", server.url() + "/creds")
      .set("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", token_file)
      .set("AWS_CONTAINER_AUTHORIZATION_TOKEN", "ignored-when-a-file-is-set");
  ContainerCredentialsProvider p(local_context(server));
  ASSERT_TRUE(testing::fetch_credentials(p).ok());
  dir.write("token", "file-token-2");
  ASSERT_TRUE(testing::fetch_credentials(p).ok());
  const auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 2u);
  EXPECT_EQ(reqs[0].header("Authorization"), "file-token-1");
  EXPECT_EQ(reqs[1].header("Authorization"), "file-token-2");
}

TEST(ContainerProvider, RefusesPlainHttpToOtherHostsAndNamesProblems) {
  ScopedEnv env;
  env.clear_aws();
  CredentialsContext ctx;
  ContainerCredentialsProvider p(ctx);
  EXPECT_FALSE(ContainerCredentialsProvider::configured());
  auto none = testing::fetch_credentials(p);
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.error().message.find("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"), std::string::npos);

  env.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://evil.example.com/creds");
  auto refused = testing::fetch_credentials(p);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(refused.error().message.find("evil.example.com"), std::string::npos);

  FakeHttpServer server;
  server.when("GET", "/creds").then_return(Reply::status(403, "denied"));
  env.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", server.url() + "/creds");
  auto denied = testing::fetch_credentials(p);
  ASSERT_FALSE(denied.ok());
  EXPECT_EQ(denied.error().code, ErrorCode::kUnauthenticated);
  EXPECT_NE(denied.error().message.find("HTTP 403"), std::string::npos);

  TempDir dir;
  env.set("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", (dir.path() / "absent").string());
  auto no_file = testing::fetch_credentials(p);
  ASSERT_FALSE(no_file.ok());
  EXPECT_NE(no_file.error().message.find("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"), std::string::npos);
}

class ImdsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env.clear_aws().set("AWS_EC2_METADATA_SERVICE_ENDPOINT", server.url());
    context = local_context(server);
    context.clock = &clock;
  }
  // A well-behaved IMDS: tokens "token-1", "token-2", ... and credentials only with the current token.
  void serve() {
    server.when("PUT", "/latest/api/token").then_handle([this](const RecordedRequest& r) {
      if (r.header("x-aws-ec2-metadata-token-ttl-seconds").empty()) return Reply::status(400);
      return Reply::text("token-" + std::to_string(++issued));
    });
    server.when("GET", "/latest/meta-data/iam/security-credentials/").then_handle([this](const RecordedRequest& r) {
      if (r.header("x-aws-ec2-metadata-token") != "token-" + std::to_string(issued.load())) return Reply::status(401);
      return Reply::text("my-role\n");
    });
    server.when("GET", "/latest/meta-data/iam/security-credentials/my-role")
        .then_handle([this](const RecordedRequest& r) {
          if (r.header("x-aws-ec2-metadata-token") != "token-" + std::to_string(issued.load())) {
            return Reply::status(401);
          }
          return Reply::json(R"({"Code":"Success","LastUpdated":"2024-01-01T00:00:00Z","Type":"AWS-HMAC",)"
                             R"("AccessKeyId":"ASIAIMDS","SecretAccessKey":"imdssecret","Token":"imdstoken",)"
                             R"("Expiration":"2030-01-01T00:00:00Z"})");
        });
  }
  size_t token_requests() const {
    size_t n = 0;
    for (const auto& r : server.requests()) n += r.method == "PUT";
    return n;
  }

  std::atomic<int> issued{0};  // before the server: its handlers read it until the server stops
  FakeHttpServer server;
  ScopedEnv env;
  ManualClock clock{std::chrono::system_clock::from_time_t(1700000000)};
  CredentialsContext context;
};

TEST_F(ImdsTest, TokenThenRoleThenCredentials) {
  serve();
  ImdsCredentialsProvider p(context);
  auto c = testing::fetch_credentials(p);
  ASSERT_TRUE(c.ok()) << c.error().to_string();
  EXPECT_EQ(c->access_key_id, "ASIAIMDS");
  EXPECT_EQ(c->session_token, "imdstoken");
  const auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 3u);
  EXPECT_EQ(reqs[0].method, "PUT");
  EXPECT_EQ(reqs[0].header("x-aws-ec2-metadata-token-ttl-seconds"), "21600");
  EXPECT_EQ(reqs[1].target, "/latest/meta-data/iam/security-credentials/");
  EXPECT_EQ(reqs[2].target, "/latest/meta-data/iam/security-credentials/my-role");
  EXPECT_EQ(reqs[2].header("x-aws-ec2-metadata-token"), "token-1");
}

TEST_F(ImdsTest, ReusesTheTokenUntilItsTtlThenFetchesANewOne) {
  serve();
  ImdsCredentialsProvider p(context);
  ASSERT_TRUE(testing::fetch_credentials(p).ok());
  ASSERT_TRUE(testing::fetch_credentials(p).ok());
  EXPECT_EQ(token_requests(), 1u) << "the token is reused";
  clock.advance(ImdsCredentialsProvider::kTokenTtl);
  ASSERT_TRUE(testing::fetch_credentials(p).ok());
  EXPECT_EQ(token_requests(), 2u) << "a token past its TTL is replaced";
  EXPECT_EQ(server.requests().back().header("x-aws-ec2-metadata-token"), "token-2");
}

TEST_F(ImdsTest, A401MeansTheTokenExpiredEarly) {
  serve();
  ImdsCredentialsProvider p(context);
  ASSERT_TRUE(testing::fetch_credentials(p).ok());
  ++issued;  // the server forgets token-1 (as after an instance reboot): 401 until a new token is taken
  auto c = testing::fetch_credentials(p);
  ASSERT_TRUE(c.ok()) << c.error().to_string();
  EXPECT_EQ(token_requests(), 2u);
}

TEST_F(ImdsTest, DisabledFlagAndMissingRole) {
  serve();
  env.set("AWS_EC2_METADATA_DISABLED", "TRUE");
  ImdsCredentialsProvider p(context);
  auto off = testing::fetch_credentials(p);
  ASSERT_FALSE(off.ok());
  EXPECT_NE(off.error().message.find("AWS_EC2_METADATA_DISABLED"), std::string::npos);
  EXPECT_EQ(server.request_count(), 0u) << "disabled means not a single request";

  env.unset("AWS_EC2_METADATA_DISABLED");
  FakeHttpServer no_role;
  no_role.when("PUT", "/latest/api/token").then_return(Reply::text("t"));
  no_role.when("GET", "/latest/meta-data/iam/security-credentials/").then_return(Reply::status(404));
  env.set("AWS_EC2_METADATA_SERVICE_ENDPOINT", no_role.url());
  ImdsCredentialsProvider q(context);
  auto r = testing::fetch_credentials(q);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
  EXPECT_NE(r.error().message.find("instance profile"), std::string::npos) << r.error().message;
}

TEST_F(ImdsTest, UnreachableEndpointFailsWithinTheTimeout) {
  env.set("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:1");  // nothing listens on port 1
  ImdsCredentialsProvider p(context);
  auto r = testing::fetch_credentials(p);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("instance metadata"), std::string::npos) << r.error().message;
}

}  // namespace
}  // namespace pk::aws
