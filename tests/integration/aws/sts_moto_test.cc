// Temporary credentials end to end on moto (signatures verified): a web identity token file exchanged at STS
// (AssumeRoleWithWebIdentity, explicitly configured and through the default chain's environment variables), and
// the connector's STSAssumeRoleProviderPlugin parameters through make_credentials_provider; each provider's
// credentials then sign DynamoDB and STS calls that moto accepts, as the role and session we named.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <boost/asio/this_coro.hpp>

#include "aws/credentials_context.h"
#include "aws/credentials_factory.h"
#include "aws/json_client.h"
#include "aws/query_client.h"
#include "aws/static_credentials_provider.h"
#include "aws/web_identity_credentials_provider.h"
#include "http/http1_client.h"
#include "http/types.h"
#include "run_support.h"
#include "support/server_env.h"

namespace pk::aws::sts_itest {
namespace {

using namespace std::chrono_literals;

std::string sts_unique(std::string_view prefix) {
  std::random_device rd;
  return fmt::format("{}{}", prefix, rd() % 1000000000);
}

// Sets environment variables for one test and puts the old values back.
class ScopedEnv {
 public:
  void set(const char* name, const std::string& value) {
    remember(name);
    ::setenv(name, value.c_str(), 1);
  }
  void unset(const char* name) {
    remember(name);
    ::unsetenv(name);
  }
  ~ScopedEnv() {
    for (auto it = saved_.rbegin(); it != saved_.rend(); ++it) {
      if (it->second) {
        ::setenv(it->first.c_str(), it->second->c_str(), 1);
      } else {
        ::unsetenv(it->first.c_str());
      }
    }
  }

 private:
  void remember(const char* name) {
    const char* old = std::getenv(name);
    saved_.emplace_back(name, old ? std::optional<std::string>(old) : std::nullopt);
  }
  std::vector<std::pair<std::string, std::optional<std::string>>> saved_;
};

// Keeps the default chain away from this machine's own AWS configuration.
void isolate_default_chain(ScopedEnv& env) {
  for (const char* name : {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE",
                           "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN", "AWS_ROLE_SESSION_NAME",
                           "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI"}) {
    env.unset(name);
  }
  env.set("AWS_SHARED_CREDENTIALS_FILE", ::testing::TempDir() + "/pk-no-such-credentials-file");
  env.set("AWS_CONFIG_FILE", ::testing::TempDir() + "/pk-no-such-config-file");
  env.set("AWS_EC2_METADATA_DISABLED", "true");
}

std::string create_role_with_boto3(const std::string& role) {
  const std::string script = std::string(PK_SOURCE_DIR) + "/tests/integration/aws/boto3_open_role.py";
  bool ok = false;
  std::string out = itest::run_python(pk::testing::server_env("PK_PYTHON"), script + " " + role, ok);
  EXPECT_TRUE(ok) << out;
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

CredentialsContext moto_sts_context() {
  CredentialsContext ctx;
  ctx.executor = pk::testing::coroutine_loop().get_executor();
  ctx.sts = EndpointConfig{"sts", "us-east-1", pk::testing::server_env("PK_MOTO_ENDPOINT"), std::nullopt};
  ctx.retry = RetryOptions{.max_attempts = 2, .initial_delay = 10ms, .max_delay = 50ms};
  return ctx;
}

ServiceEndpoint moto_endpoint(const std::string& service) {
  auto e = resolve_endpoint({service, "us-east-1", pk::testing::server_env("PK_MOTO_ENDPOINT"), std::nullopt});
  EXPECT_TRUE(e.ok()) << e.error().to_string();
  return e.ok() ? *e : ServiceEndpoint{};
}

// DynamoDB ListTables signed with `credentials`: moto refuses a wrong signature or unknown keys.
Result<std::string> signed_list_tables(std::shared_ptr<CredentialsProvider> credentials) {
  return pk::testing::run_coroutine<Result<std::string>>([&]() -> boost::asio::awaitable<Result<std::string>> {
    const ServiceEndpoint endpoint = moto_endpoint("dynamodb");
    auto executor = co_await boost::asio::this_coro::executor;
    auto http = http::Http1Client::create(executor, endpoint.url, http::ClientOptions{});
    if (!http.ok()) co_return std::move(http).error();
    JsonClient client(JsonService::dynamodb(endpoint), credentials, *http,
                      RetryPolicy(RetryOptions{.max_attempts = 1}));
    auto calling = client.call("ListTables", "{}");
    co_return co_await std::move(calling);
  });
}

// The ARN STS GetCallerIdentity names for `credentials` (a signed query-protocol call).
Result<std::string> caller_arn(std::shared_ptr<CredentialsProvider> credentials) {
  return pk::testing::run_coroutine<Result<std::string>>([&]() -> boost::asio::awaitable<Result<std::string>> {
    const ServiceEndpoint endpoint = moto_endpoint("sts");
    auto executor = co_await boost::asio::this_coro::executor;
    auto http = http::Http1Client::create(executor, endpoint.url, http::ClientOptions{});
    if (!http.ok()) co_return std::move(http).error();
    QueryClient sts(endpoint, "2011-06-15", "STS", credentials, *http, RetryPolicy(RetryOptions{.max_attempts = 1}));
    auto calling = sts.call("GetCallerIdentity", QueryParams{});
    auto answer = co_await std::move(calling);
    if (!answer.ok()) co_return std::move(answer).error();
    const XmlElement* arn = xml_find_first(*answer, "Arn");
    if (arn == nullptr) co_return make_error(ErrorCode::kMalformedInput, "GetCallerIdentity: no Arn");
    co_return arn->text;
  });
}

// AssumeRoleWithWebIdentity is unsigned in AWS (the token is the proof), as our provider and botocore send it, but
// moto with signature verification on answers any request without an Authorization header with HTTP 500 (it
// looks the header up unconditionally; botocore fails there the same way). moto's /moto-api/reset-auth lets the
// next `requests` requests through unverified, after which verification is on again: the web identity tests
// open exactly one such slot right before the STS exchange. Integration tests run one at a time (scripts/test),
// so no other test's request can take the slot; the tampered-credentials checks below show verification is back.
Status moto_allow_unsigned_requests(int requests) {
  return pk::testing::run_coroutine<Status>([&]() -> boost::asio::awaitable<Status> {
    auto url = http::Url::parse(pk::testing::server_env("PK_MOTO_ENDPOINT"));
    if (!url.ok()) co_return std::move(url).error();
    auto executor = co_await boost::asio::this_coro::executor;
    auto http = http::Http1Client::create(executor, *url, http::ClientOptions{});
    if (!http.ok()) co_return std::move(http).error();
    http::Request request;
    request.target = "/moto-api/reset-auth";
    request.body = std::to_string(requests);
    auto sending = (*http)->send(request);
    auto response = co_await std::move(sending);
    if (!response.ok()) co_return std::move(response).error();
    if (response->status != 200) {
      co_return make_error(ErrorCode::kInternal, fmt::format("moto reset-auth: HTTP {}", response->status));
    }
    co_return ok_status();
  });
}

std::string write_token_file(const std::string& name) {
  const std::string path = ::testing::TempDir() + "/" + name;
  std::ofstream(path) << "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6cGsifQ.c2lnbmF0dXJl\n";
  return path;
}

TEST(StsMoto, WebIdentityTokenFileGivesCredentialsThatSignCalls) {
  const std::string role = sts_unique("pk-web-identity-");
  const std::string role_arn = create_role_with_boto3(role);
  ASSERT_NE(role_arn.find(role), std::string::npos) << role_arn;
  const std::string token_file = write_token_file(role + ".token");

  auto provider = std::make_shared<WebIdentityCredentialsProvider>(
      WebIdentityConfig{token_file, role_arn, "pk-web-session"}, moto_sts_context());
  ASSERT_TRUE(moto_allow_unsigned_requests(1).ok());
  auto creds = pk::testing::run_coroutine<Result<Credentials>>([&] { return provider->get(); });
  std::remove(token_file.c_str());
  ASSERT_TRUE(creds.ok()) << creds.error().to_string();
  EXPECT_FALSE(creds->access_key_id.empty());
  EXPECT_NE(creds->access_key_id, pk::testing::server_env("PK_MOTO_ACCESS_KEY_ID"));
  EXPECT_FALSE(creds->session_token.empty());
  ASSERT_TRUE(creds->expiration.has_value());
  EXPECT_GT(*creds->expiration, std::chrono::system_clock::now());

  auto fixed = std::make_shared<StaticCredentialsProvider>(*creds);
  auto listed = signed_list_tables(fixed);
  ASSERT_TRUE(listed.ok()) << "web identity credentials must sign: " << listed.error().to_string();
  auto arn = caller_arn(fixed);
  ASSERT_TRUE(arn.ok()) << arn.error().to_string();
  EXPECT_NE(arn->find(role + "/pk-web-session"), std::string::npos) << *arn;

  Credentials tampered = *creds;
  tampered.session_token += "x";
  tampered.secret_access_key += "x";
  EXPECT_FALSE(signed_list_tables(std::make_shared<StaticCredentialsProvider>(tampered)).ok());
}

TEST(StsMoto, DefaultChainUsesTheWebIdentityEnvironment) {
  const std::string role = sts_unique("pk-web-identity-env-");
  const std::string role_arn = create_role_with_boto3(role);
  const std::string token_file = write_token_file(role + ".token");
  ScopedEnv env;
  isolate_default_chain(env);
  env.set("AWS_WEB_IDENTITY_TOKEN_FILE", token_file);
  env.set("AWS_ROLE_ARN", role_arn);
  env.set("AWS_ROLE_SESSION_NAME", "pk-env-session");

  auto provider = make_credentials_provider(kDefaultChainPlugin, "", moto_sts_context());
  ASSERT_TRUE(provider.ok()) << provider.error().to_string();
  std::shared_ptr<CredentialsProvider> chain = std::move(*provider);
  ASSERT_TRUE(moto_allow_unsigned_requests(1).ok());
  auto listed = signed_list_tables(chain);
  EXPECT_TRUE(listed.ok()) << listed.error().to_string();
  auto arn = caller_arn(chain);
  std::remove(token_file.c_str());
  ASSERT_TRUE(arn.ok()) << arn.error().to_string();
  EXPECT_NE(arn->find(role + "/pk-env-session"), std::string::npos) << *arn;
  auto creds = pk::testing::run_coroutine<Result<Credentials>>([&] { return chain->get(); });
  ASSERT_TRUE(creds.ok()) << creds.error().to_string();
  Credentials tampered = *creds;
  tampered.secret_access_key += "x";
  EXPECT_FALSE(signed_list_tables(std::make_shared<StaticCredentialsProvider>(tampered)).ok())
      << "signature verification is on again";
}

TEST(StsMoto, AssumeRolePluginFromConnectorParametersSignsADynamoDbCall) {
  const std::string role = sts_unique("pk-plugin-role-");
  const std::string role_arn = create_role_with_boto3(role);
  ScopedEnv env;
  isolate_default_chain(env);
  // The plugin assumes the role over the default chain: here its environment provider, with the moto user's keys.
  env.set("AWS_ACCESS_KEY_ID", pk::testing::server_env("PK_MOTO_ACCESS_KEY_ID"));
  env.set("AWS_SECRET_ACCESS_KEY", pk::testing::server_env("PK_MOTO_SECRET_ACCESS_KEY"));

  const std::string param =
      fmt::format(R"({{"roleArn":"{}","roleSessionName":"pk-plugin-session","externalId":"pk-external-7",)"
                  R"("durationSeconds":900,"stsEndpoint":"{}","stsRegion":"us-east-1"}})",
                  role_arn, pk::testing::server_env("PK_MOTO_ENDPOINT"));
  CredentialsContext ctx = moto_sts_context();
  ctx.sts.endpoint.clear();  // only the plugin parameter says where STS is
  auto provider = make_credentials_provider(kStsAssumeRolePlugin, param, ctx);
  ASSERT_TRUE(provider.ok()) << provider.error().to_string();
  std::shared_ptr<CredentialsProvider> assumed = std::move(*provider);

  auto creds = pk::testing::run_coroutine<Result<Credentials>>([&] { return assumed->get(); });
  ASSERT_TRUE(creds.ok()) << creds.error().to_string();
  EXPECT_NE(creds->access_key_id, pk::testing::server_env("PK_MOTO_ACCESS_KEY_ID")) << "role, not user, keys";
  EXPECT_FALSE(creds->session_token.empty());
  ASSERT_TRUE(creds->expiration.has_value());
  EXPECT_LE(*creds->expiration, std::chrono::system_clock::now() + 901s) << "durationSeconds 900 was sent";

  auto listed = signed_list_tables(assumed);
  ASSERT_TRUE(listed.ok()) << listed.error().to_string();
  EXPECT_NE(listed->find("TableNames"), std::string::npos) << *listed;
  auto arn = caller_arn(assumed);
  ASSERT_TRUE(arn.ok()) << arn.error().to_string();
  EXPECT_NE(arn->find(role + "/pk-plugin-session"), std::string::npos) << *arn;

  // The old package name works too; a parameter without roleArn is refused, naming the key.
  auto old_name = make_credentials_provider("org.apache.pulsar.io.kinesis.STSAssumeRoleProviderPlugin", param, ctx);
  EXPECT_TRUE(old_name.ok()) << old_name.error().to_string();
  auto missing = make_credentials_provider(kStsAssumeRolePlugin, R"({"roleSessionName":"s"})", ctx);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("roleArn"), std::string::npos) << missing.error().message;
}

}  // namespace
}  // namespace pk::aws::sts_itest
