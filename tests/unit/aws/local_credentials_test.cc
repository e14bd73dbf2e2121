// Providers that need no network: static (plugin param), environment, credential_process, profile files.
#include <gtest/gtest.h>

#include "aws/credentials_json.h"
#include "aws/environment_credentials_provider.h"
#include "aws/process_credentials_provider.h"
#include "aws/profile_credentials_provider.h"
#include "aws/profile_file.h"
#include "aws/static_credentials_provider.h"
#include "test_support.h"

namespace pk::aws {
namespace {

using namespace std::chrono_literals;
using pk::testing::run_coroutine;
using testing::ScopedEnv;
using testing::TempDir;

Result<Credentials> get(CredentialsProvider& p) {
  return run_coroutine<Result<Credentials>>([&] { return p.get(); });
}

TEST(StaticPluginParam, ReadsKeysAndOptionalToken) {
  auto p = StaticCredentialsProvider::from_plugin_param(R"({"accessKey":"AKID","secretKey":"s3cr3t"})");
  ASSERT_TRUE(p.ok()) << p.error().to_string();
  auto c = get(**p);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->access_key_id, "AKID");
  EXPECT_EQ(c->secret_access_key, "s3cr3t");
  EXPECT_EQ(c->session_token, "");
  EXPECT_FALSE(c->expiration.has_value());

  auto t = parse_static_plugin_param(R"({"accessKey":"AKID","secretKey":"s","sessionToken":"tok"})");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->session_token, "tok");
}

TEST(StaticPluginParam, ErrorsNameTheMissingKeyNeverTheSecret) {
  struct Case {
    std::string json;
    std::string names;
  };
  for (const auto& c : std::vector<Case>{{R"({"secretKey":"TOPSECRET"})", "accessKey"},
                                         {R"({"accessKey":"AKID","secretKey":""})", "secretKey"},
                                         {R"({"accessKey":"AKID"})", "secretKey"},
                                         {R"({"accessKey":1,"secretKey":"TOPSECRET"})", "accessKey"},
                                         {"not json TOPSECRET", "JSON"},
                                         {"", "empty"}}) {
    auto p = StaticCredentialsProvider::from_plugin_param(c.json);
    ASSERT_FALSE(p.ok()) << c.json;
    EXPECT_EQ(p.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(p.error().message.find(c.names), std::string::npos) << p.error().message;
    EXPECT_EQ(p.error().message.find("TOPSECRET"), std::string::npos) << p.error().message;
  }
}

TEST(EnvironmentProvider, ReadsTheStandardVariables) {
  ScopedEnv env;
  env.clear_aws().set("AWS_ACCESS_KEY_ID", "AKIDENV").set("AWS_SECRET_ACCESS_KEY", "envsecret");
  EnvironmentCredentialsProvider p;
  auto c = get(p);
  ASSERT_TRUE(c.ok()) << c.error().to_string();
  EXPECT_EQ(c->access_key_id, "AKIDENV");
  EXPECT_EQ(c->session_token, "");
  env.set("AWS_SESSION_TOKEN", "envtoken");
  EXPECT_EQ(get(p)->session_token, "envtoken");
}

TEST(EnvironmentProvider, SaysWhichVariableIsMissing) {
  ScopedEnv env;
  env.clear_aws();
  EnvironmentCredentialsProvider p;
  auto none = get(p);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code, ErrorCode::kUnauthenticated);
  EXPECT_NE(none.error().message.find("AWS_ACCESS_KEY_ID"), std::string::npos);
  env.set("AWS_ACCESS_KEY_ID", "AKID");
  auto half = get(p);
  ASSERT_FALSE(half.ok());
  EXPECT_NE(half.error().message.find("AWS_SECRET_ACCESS_KEY is not"), std::string::npos) << half.error().message;
}

TEST(Iso8601, ParsesTheFormsAwsSends) {
  const auto base = std::chrono::system_clock::from_time_t(1573306481);  // 2019-11-09T13:34:41Z
  EXPECT_EQ(*parse_iso8601("2019-11-09T13:34:41Z"), base);
  EXPECT_EQ(*parse_iso8601("2019-11-09T13:34:41.250Z"), base + 250ms);
  EXPECT_EQ(*parse_iso8601("2019-11-09T15:34:41+02:00"), base);
  EXPECT_EQ(*parse_iso8601("2019-11-09T13:34:41"), base);
  for (const char* bad : {"", "2019-11-09", "2019-13-09T13:34:41Z", "2019-11-09T13:34:41Zjunk", "x019-11-09T13:34:41Z",
                          "2019-11-09T13:34:41."}) {
    EXPECT_FALSE(parse_iso8601(bad).ok()) << bad;
  }
}

TEST(ProcessCredentials, ParsesVersion1Output) {
  auto c = parse_process_credentials(
      R"({"Version":1,"AccessKeyId":"AKIDP","SecretAccessKey":"ps","SessionToken":"pt","Expiration":"2030-01-01T00:00:00Z"})");
  ASSERT_TRUE(c.ok()) << c.error().to_string();
  EXPECT_EQ(c->access_key_id, "AKIDP");
  ASSERT_TRUE(c->expiration.has_value());
  EXPECT_FALSE(parse_process_credentials(R"({"Version":2,"AccessKeyId":"a","SecretAccessKey":"b"})").ok());
  auto missing = parse_process_credentials(R"({"Version":1,"AccessKeyId":"a"})");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("SecretAccessKey"), std::string::npos);
}

TEST(ProcessProvider, RunsTheCommandOffTheLoop) {
  TempDir dir;
  const std::string script = dir.write("creds.sh", R"(#!/bin/sh
echo "diagnostics go to stderr" >&2
cat <<'JSON'
{"Version": 1, "AccessKeyId": "AKIDPROC", "SecretAccessKey": "procsecret", "SessionToken": "proctoken",
 "Expiration": "2030-01-01T00:00:00Z"}
JSON
)",
                                       true);
  boost::asio::thread_pool pool(1);
  ProcessCredentialsProvider p(script + " --flag", "dev", &pool);
  auto c = get(p);
  ASSERT_TRUE(c.ok()) << c.error().to_string();
  EXPECT_EQ(c->access_key_id, "AKIDPROC");
  EXPECT_EQ(c->session_token, "proctoken");
  ProcessCredentialsProvider threadless(script, "dev", nullptr);  // no pool: a thread of its own
  EXPECT_TRUE(get(threadless).ok());
}

TEST(ProcessProvider, FailuresAreNamed) {
  ProcessCredentialsProvider exits("echo 'secret-ish output'; exit 3", "dev", nullptr);
  auto e = get(exits);
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.error().message.find("exited with status 3"), std::string::npos) << e.error().message;
  EXPECT_EQ(e.error().message.find("secret-ish"), std::string::npos) << "stdout is never quoted";

  ProcessCredentialsProvider garbage("echo not-json", "dev", nullptr);
  auto g = get(garbage);
  ASSERT_FALSE(g.ok());
  EXPECT_NE(g.error().message.find("credential_process output"), std::string::npos) << g.error().message;

  ProcessCredentialsProvider slow("sleep 30", "dev", nullptr, 300ms);
  const auto start = std::chrono::steady_clock::now();
  auto s = get(slow);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kTimeout);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 10s) << "the command is killed at the timeout";
}

TEST(ProfileFile, ParsesBothFormats) {
  ProfileSet set;
  ASSERT_TRUE(parse_profile_file(R"(# comment
[default]
region = eu-west-1
[profile dev]
role_arn = arn:aws:iam::123456789012:role/dev ; comment
source_profile = default
s3 =
  max_concurrent_requests = 10
[sso-session corp]
sso_region = us-east-1
)",
                                 true, "config", set)
                  .ok());
  ASSERT_TRUE(parse_profile_file("[default]\naws_access_key_id=AKID\nAWS_Secret_Access_Key = abc#def\n", false,
                                 "credentials", set)
                  .ok());
  const Profile* def = set.find("default");
  ASSERT_NE(def, nullptr);
  EXPECT_EQ(def->get("region"), "eu-west-1");
  EXPECT_EQ(def->get("aws_access_key_id"), "AKID");
  EXPECT_EQ(def->get("aws_secret_access_key"), "abc#def") << "'#' inside a value is not a comment";
  const Profile* dev = set.find("dev");
  ASSERT_NE(dev, nullptr);
  EXPECT_EQ(dev->get("role_arn"), "arn:aws:iam::123456789012:role/dev");
  EXPECT_FALSE(dev->has("max_concurrent_requests"));
  EXPECT_EQ(set.find("corp"), nullptr);
  EXPECT_EQ(set.find("sso-session corp"), nullptr);

  ProfileSet bad;
  auto st = parse_profile_file("key = value\n", false, "credentials", bad);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("credentials line 1"), std::string::npos);
  EXPECT_FALSE(parse_profile_file("[default\n", false, "c", bad).ok());
  EXPECT_FALSE(parse_profile_file("[default]\njust words\n", false, "c", bad).ok());
}

class ProfileProviderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env.clear_aws()
        .set("AWS_CONFIG_FILE", dir.write("config", ""))
        .set("AWS_SHARED_CREDENTIALS_FILE", dir.write("credentials", ""));
  }
  void files(const std::string& config, const std::string& credentials) {
    dir.write("config", config);
    dir.write("credentials", credentials);
  }
  Result<Credentials> get_profile(const std::string& name) {
    ProfileCredentialsProvider p(name, context);
    return get(p);
  }

  TempDir dir;
  ScopedEnv env;
  CredentialsContext context;
};

TEST_F(ProfileProviderTest, StaticKeysFromEitherFile) {
  files("[profile fromconfig]\naws_access_key_id = AKIDC\naws_secret_access_key = sc\n",
        "[default]\naws_access_key_id = AKIDD\naws_secret_access_key = sd\naws_session_token = td\n");
  auto d = get_profile("");
  ASSERT_TRUE(d.ok()) << d.error().to_string();
  EXPECT_EQ(d->access_key_id, "AKIDD");
  EXPECT_EQ(d->session_token, "td");
  auto c = get_profile("fromconfig");
  ASSERT_TRUE(c.ok()) << c.error().to_string();
  EXPECT_EQ(c->access_key_id, "AKIDC");
  env.set("AWS_PROFILE", "fromconfig");
  EXPECT_EQ(get_profile("")->access_key_id, "AKIDC") << "AWS_PROFILE picks the profile";
}

TEST_F(ProfileProviderTest, CredentialsFileWinsOverConfig) {
  files("[default]\naws_access_key_id = FROMCONFIG\naws_secret_access_key = sc\n",
        "[default]\naws_access_key_id = FROMCREDS\naws_secret_access_key = sd\n");
  EXPECT_EQ(get_profile("default")->access_key_id, "FROMCREDS");
}

TEST_F(ProfileProviderTest, CredentialProcess) {
  const std::string script = dir.write(
      "p.sh", "#!/bin/sh\necho '{\"Version\":1,\"AccessKeyId\":\"AKIDPROC\",\"SecretAccessKey\":\"x\"}'\n", true);
  files("[profile proc]\ncredential_process = " + script + "\n", "");
  auto c = get_profile("proc");
  ASSERT_TRUE(c.ok()) << c.error().to_string();
  EXPECT_EQ(c->access_key_id, "AKIDPROC");
}

TEST_F(ProfileProviderTest, ErrorsNameProfileFileAndWhatIsMissing) {
  files(
      "[profile norole]\nregion = eu-west-1\n[profile halfrole]\nrole_arn = arn:aws:iam::1:role/x\n"
      "[profile a]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = b\n"
      "[profile b]\nrole_arn = arn:aws:iam::1:role/b\nsource_profile = a\n"
      "[profile badsource]\nrole_arn = arn:aws:iam::1:role/x\ncredential_source = Moon\n",
      "[nosecret]\naws_access_key_id = AKID\n");
  struct Case {
    std::string profile;
    std::string expect;
  };
  for (const auto& c : std::vector<Case>{{"missing", "not found"},
                                         {"norole", "no aws_access_key_id, role_arn or credential_process"},
                                         {"halfrole", "role_arn without source_profile"},
                                         {"a", "cycle"},
                                         {"badsource", "credential_source Moon"},
                                         {"nosecret", "without aws_secret_access_key"}}) {
    auto r = get_profile(c.profile);
    ASSERT_FALSE(r.ok()) << c.profile;
    EXPECT_EQ(r.error().code, ErrorCode::kUnauthenticated) << c.profile;
    EXPECT_NE(r.error().message.find("profile " + c.profile), std::string::npos) << r.error().message;
    EXPECT_NE(r.error().message.find(c.expect), std::string::npos) << r.error().message;
    EXPECT_NE(r.error().message.find(dir.path().string()), std::string::npos) << "names the files";
  }
}

TEST_F(ProfileProviderTest, MissingFilesMeanNoProfile) {
  env.set("AWS_CONFIG_FILE", (dir.path() / "nope-config").string())
      .set("AWS_SHARED_CREDENTIALS_FILE", (dir.path() / "nope-credentials").string());
  auto r = get_profile("default");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("not found"), std::string::npos);
}

}  // namespace
}  // namespace pk::aws
