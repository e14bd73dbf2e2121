// STS (AssumeRole, AssumeRoleWithWebIdentity) and the providers built on it, against a scripted local STS.
#include <gtest/gtest.h>

#include "aws/profile_credentials_provider.h"
#include "aws/static_credentials_provider.h"
#include "aws/sts_assume_role_credentials_provider.h"
#include "aws/web_identity_credentials_provider.h"
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

std::string sts_success(const std::string& action, const std::string& key) {
  return "<" + action + "Response xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n  <" + action +
         "Result>\n    <Credentials>\n      <AccessKeyId>" + key +
         "</AccessKeyId>\n      <SecretAccessKey>stssecret</SecretAccessKey>\n"
         "      <SessionToken>ststoken+/=</SessionToken>\n      <Expiration>2030-01-01T00:00:00Z</Expiration>\n"
         "    </Credentials>\n    <AssumedRoleUser><Arn>arn:aws:sts::1:assumed-role/r/s</Arn></AssumedRoleUser>\n"
         "  </" +
         action + "Result>\n  <ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata>\n</" + action +
         "Response>\n";
}

const char* kAccessDenied = R"(<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User is not authorized to perform: sts:AssumeRole</Message></Error>
  <RequestId>req-2</RequestId>
</ErrorResponse>)";

// Form body "a=1&b=2" -> value of `key` (still percent-encoded).
std::string form_value(const std::string& body, const std::string& key) {
  size_t pos = 0;
  while (pos <= body.size()) {
    size_t amp = body.find('&', pos);
    if (amp == std::string::npos) amp = body.size();
    const std::string item = body.substr(pos, amp - pos);
    if (item.starts_with(key + "=")) return item.substr(key.size() + 1);
    pos = amp + 1;
  }
  return "<absent>";
}

CredentialsContext sts_context(const FakeHttpServer& server) {
  CredentialsContext c;
  c.sts = EndpointConfig{"sts", "eu-central-1", server.url(), std::nullopt};
  c.retry = RetryOptions{.max_attempts = 2, .initial_delay = 1ms, .throttling_initial_delay = 1ms, .max_delay = 5ms};
  return c;
}

std::shared_ptr<CredentialsProvider> base_keys() {
  return std::make_shared<StaticCredentialsProvider>(Credentials{"AKIDBASE", "basesecret", "", std::nullopt});
}

TEST(StsAssumeRole, SendsASignedFormAndParsesTheXml) {
  FakeHttpServer server;
  server.when("POST", "/").then_return(Reply::xml(sts_success("AssumeRole", "ASIAROLE")));
  AssumeRoleRequest request{"arn:aws:iam::123456789012:role/demo", "my-session", "ext-id", 3600};
  StsAssumeRoleCredentialsProvider p(base_keys(), request, sts_context(server));
  auto c = testing::fetch_credentials(p);
  ASSERT_TRUE(c.ok()) << c.error().to_string();
  EXPECT_EQ(c->access_key_id, "ASIAROLE");
  EXPECT_EQ(c->secret_access_key, "stssecret");
  EXPECT_EQ(c->session_token, "ststoken+/=");
  ASSERT_TRUE(c->expiration.has_value());
  EXPECT_EQ(*c->expiration, std::chrono::system_clock::from_time_t(1893456000));

  ASSERT_EQ(server.request_count(), 1u);
  const RecordedRequest req = server.requests()[0];
  EXPECT_EQ(req.header("Content-Type"), "application/x-www-form-urlencoded; charset=utf-8");
  EXPECT_EQ(form_value(req.body, "Action"), "AssumeRole");
  EXPECT_EQ(form_value(req.body, "Version"), "2011-06-15");
  EXPECT_EQ(form_value(req.body, "RoleArn"), "arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fdemo");
  EXPECT_EQ(form_value(req.body, "RoleSessionName"), "my-session");
  EXPECT_EQ(form_value(req.body, "ExternalId"), "ext-id");
  EXPECT_EQ(form_value(req.body, "DurationSeconds"), "3600");
  EXPECT_TRUE(req.header("Authorization").starts_with("AWS4-HMAC-SHA256 Credential=AKIDBASE/"));
  EXPECT_NE(req.header("Authorization").find("/eu-central-1/sts/aws4_request"), std::string::npos);
}

TEST(StsAssumeRole, ErrorResponseBecomesATypedError) {
  FakeHttpServer server;
  server.when("POST", "/").then_return(Reply::xml(kAccessDenied, 403));
  StsAssumeRoleCredentialsProvider p(base_keys(), {"arn:aws:iam::1:role/x", "s", "", std::nullopt},
                                     sts_context(server));
  auto c = testing::fetch_credentials(p);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().type, "AccessDenied");
  EXPECT_EQ(c.error().code, ErrorCode::kPermissionDenied);
  EXPECT_NE(c.error().message.find("STS AssumeRole: AccessDenied: User is not authorized"), std::string::npos)
      << c.error().message;
  EXPECT_EQ(server.request_count(), 1u);
}

TEST(StsAssumeRole, ThrottlingIsRetriedAndBadResponsesAreNamed) {
  FakeHttpServer server;
  server.when("POST", "/")
      .then_return(Reply::xml(
          "<ErrorResponse><Error><Code>Throttling</Code><Message>Rate exceeded</Message></Error></ErrorResponse>", 400))
      .then_return(Reply::xml(sts_success("AssumeRole", "ASIAAFTER")));
  StsAssumeRoleCredentialsProvider p(base_keys(), {"arn:aws:iam::1:role/x", "", "", std::nullopt}, sts_context(server));
  auto c = testing::fetch_credentials(p);
  ASSERT_TRUE(c.ok()) << c.error().to_string();
  EXPECT_EQ(c->access_key_id, "ASIAAFTER");
  EXPECT_TRUE(form_value(server.requests()[1].body, "RoleSessionName").starts_with("pulsar-kinesis-"))
      << "a default session name";

  FakeHttpServer broken;
  broken.when("POST", "/").then_return(Reply::xml("<AssumeRoleResponse><AssumeRoleResult/></AssumeRoleResponse>"));
  StsAssumeRoleCredentialsProvider q(base_keys(), {"arn:aws:iam::1:role/x", "s", "", std::nullopt},
                                     sts_context(broken));
  auto e = testing::fetch_credentials(q);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().code, ErrorCode::kMalformedInput);
  EXPECT_NE(e.error().message.find("Credentials"), std::string::npos) << e.error().message;

  StsAssumeRoleCredentialsProvider bad_duration(base_keys(), {"arn:aws:iam::1:role/x", "s", "", 60},
                                                sts_context(broken));
  auto d = testing::fetch_credentials(bad_duration);
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.error().message.find("durationSeconds 60"), std::string::npos);
}

TEST(WebIdentity, ExchangesTheTokenFileUnsigned) {
  FakeHttpServer server;
  server.when("POST", "/").then_return(Reply::xml(sts_success("AssumeRoleWithWebIdentity", "ASIAWEB")));
  TempDir dir;
  ScopedEnv env;
  env.clear_aws()
      .set("AWS_WEB_IDENTITY_TOKEN_FILE", dir.write("token", "eyJhbGciOi.jwt.token\n"))
      .set("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/irsa")
      .set("AWS_ROLE_SESSION_NAME", "pod-1");
  EXPECT_TRUE(WebIdentityCredentialsProvider::configured_in_environment());
  WebIdentityCredentialsProvider p(std::nullopt, sts_context(server));
  auto c = testing::fetch_credentials(p);
  ASSERT_TRUE(c.ok()) << c.error().to_string();
  EXPECT_EQ(c->access_key_id, "ASIAWEB");
  const RecordedRequest req = server.requests().at(0);
  EXPECT_FALSE(req.has_header("Authorization")) << "AssumeRoleWithWebIdentity is not signed";
  EXPECT_EQ(form_value(req.body, "Action"), "AssumeRoleWithWebIdentity");
  EXPECT_EQ(form_value(req.body, "WebIdentityToken"), "eyJhbGciOi.jwt.token");
  EXPECT_EQ(form_value(req.body, "RoleSessionName"), "pod-1");
}

TEST(WebIdentity, MissingPiecesAreNamed) {
  ScopedEnv env;
  env.clear_aws();
  CredentialsContext ctx;
  WebIdentityCredentialsProvider p(std::nullopt, ctx);
  auto none = testing::fetch_credentials(p);
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.error().message.find("AWS_WEB_IDENTITY_TOKEN_FILE"), std::string::npos);
  TempDir dir;
  env.set("AWS_WEB_IDENTITY_TOKEN_FILE", (dir.path() / "absent").string());
  auto no_role = testing::fetch_credentials(p);
  ASSERT_FALSE(no_role.ok());
  EXPECT_NE(no_role.error().message.find("AWS_ROLE_ARN"), std::string::npos);
  env.set("AWS_ROLE_ARN", "arn:aws:iam::1:role/x");
  auto no_file = testing::fetch_credentials(p);
  ASSERT_FALSE(no_file.ok());
  EXPECT_NE(no_file.error().message.find("cannot read the token file"), std::string::npos);
}

TEST(ProfileRoles, SourceProfileAndChainedRoles) {
  FakeHttpServer server;
  server.when("POST", "/").then_handle([](const RecordedRequest& r) {
    // The chained role is signed with the first role's credentials.
    const bool second = r.header("Authorization").find("Credential=ASIAFIRST/") != std::string::npos;
    return Reply::xml(sts_success("AssumeRole", second ? "ASIASECOND" : "ASIAFIRST"));
  });
  TempDir dir;
  ScopedEnv env;
  env.clear_aws()
      .set("AWS_CONFIG_FILE", dir.write("config",
                                        "[profile first]\nrole_arn = arn:aws:iam::1:role/first\nsource_profile = keys\n"
                                        "[profile second]\nrole_arn = arn:aws:iam::1:role/second\n"
                                        "source_profile = first\nexternal_id = ext\nrole_session_name = sess\n"
                                        "[profile envrole]\nrole_arn = arn:aws:iam::1:role/env\n"
                                        "credential_source = Environment\n"))
      .set("AWS_SHARED_CREDENTIALS_FILE",
           dir.write("credentials", "[keys]\naws_access_key_id = AKIDKEYS\naws_secret_access_key = k\n"));
  const CredentialsContext ctx = sts_context(server);
  ProfileCredentialsProvider first("first", ctx);
  auto f = testing::fetch_credentials(first);
  ASSERT_TRUE(f.ok()) << f.error().to_string();
  EXPECT_EQ(f->access_key_id, "ASIAFIRST");
  EXPECT_TRUE(server.requests().at(0).header("Authorization").starts_with("AWS4-HMAC-SHA256 Credential=AKIDKEYS/"));

  ProfileCredentialsProvider second("second", ctx);
  auto s = testing::fetch_credentials(second);
  ASSERT_TRUE(s.ok()) << s.error().to_string();
  EXPECT_EQ(s->access_key_id, "ASIASECOND");
  const RecordedRequest last = server.requests().back();
  EXPECT_EQ(form_value(last.body, "RoleArn"), "arn%3Aaws%3Aiam%3A%3A1%3Arole%2Fsecond");
  EXPECT_EQ(form_value(last.body, "ExternalId"), "ext");
  EXPECT_EQ(form_value(last.body, "RoleSessionName"), "sess");

  env.set("AWS_ACCESS_KEY_ID", "AKIDFROMENV").set("AWS_SECRET_ACCESS_KEY", "e");
  ProfileCredentialsProvider envrole("envrole", ctx);
  auto e = testing::fetch_credentials(envrole);
  ASSERT_TRUE(e.ok()) << e.error().to_string();
  EXPECT_TRUE(server.requests().back().header("Authorization").starts_with("AWS4-HMAC-SHA256 Credential=AKIDFROMENV/"));
}

}  // namespace
}  // namespace pk::aws
