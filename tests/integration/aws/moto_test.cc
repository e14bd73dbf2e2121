// Our signing and clients against moto with signature verification on: a wrong signature is refused with 403,
// so a passing call proves the SigV4 implementation; boto3 cross-checks what we wrote.
#include <cstdio>
#include <fstream>
#include <random>

#include <gtest/gtest.h>
#include <boost/asio/this_coro.hpp>

#include "aws/cloudwatch_client.h"
#include "aws/credentials_context.h"
#include "aws/json_client.h"
#include "aws/query_client.h"
#include "aws/static_credentials_provider.h"
#include "aws/sts_assume_role_credentials_provider.h"
#include "run_support.h"
#include "support/server_env.h"

namespace pk::aws {
namespace {

using namespace std::chrono_literals;
using pk::testing::run_coroutine;

struct Moto {
  std::string endpoint = pk::testing::server_env("PK_MOTO_ENDPOINT");
  std::string key = pk::testing::server_env("PK_MOTO_ACCESS_KEY_ID");
  std::string secret = pk::testing::server_env("PK_MOTO_SECRET_ACCESS_KEY");

  std::shared_ptr<CredentialsProvider> keys(std::string secret_override = {}) const {
    return std::make_shared<StaticCredentialsProvider>(
        Credentials{key, secret_override.empty() ? secret : secret_override, "", std::nullopt});
  }
  ServiceEndpoint endpoint_for(const std::string& service) const {
    auto e = resolve_endpoint({service, "us-east-1", endpoint, std::nullopt});
    EXPECT_TRUE(e.ok()) << e.error().to_string();
    return *e;
  }
};

RetryPolicy quick_retries() {
  return RetryPolicy(RetryOptions{.max_attempts = 2, .initial_delay = 10ms, .max_delay = 50ms});
}

Result<std::string> dynamodb_call(const Moto& moto, std::shared_ptr<CredentialsProvider> creds, std::string op,
                                  std::string body) {
  return run_coroutine<Result<std::string>>([&]() -> boost::asio::awaitable<Result<std::string>> {
    const ServiceEndpoint endpoint = moto.endpoint_for("dynamodb");
    auto executor = co_await boost::asio::this_coro::executor;
    auto http = http::Http1Client::create(executor, endpoint.url, http::ClientOptions{});
    if (!http.ok()) co_return std::move(http).error();
    JsonClient client(JsonService::dynamodb(endpoint), creds, *http, quick_retries());
    auto calling = client.call(op, std::move(body));
    co_return co_await std::move(calling);
  });
}

std::string unique_name(const std::string& prefix) {
  std::random_device rd;
  return prefix + std::to_string(rd() % 1000000000);
}

TEST(Moto, SignedJsonCallSucceeds) {
  Moto moto;
  auto r = dynamodb_call(moto, moto.keys(), "ListTables", "{}");
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_NE(r->find("TableNames"), std::string::npos) << *r;
}

TEST(Moto, WrongSecretIsRefused) {
  Moto moto;
  auto r = dynamodb_call(moto, moto.keys("definitely-not-the-secret"), "ListTables", "{}");
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().code == ErrorCode::kUnauthenticated || r.error().code == ErrorCode::kPermissionDenied)
      << r.error().to_string();
  EXPECT_EQ(r.error().message.find("definitely-not-the-secret"), std::string::npos) << "no secret in messages";
  EXPECT_NE(r.error().message.find("DynamoDB ListTables"), std::string::npos) << r.error().message;
}

TEST(Moto, ServiceErrorsKeepTheirType) {
  Moto moto;
  auto r = dynamodb_call(moto, moto.keys(), "DescribeTable", R"({"TableName":")" + unique_name("absent-") + R"("})");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().type, "ResourceNotFoundException") << r.error().to_string();
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);

  const std::string table = unique_name("aws-core-");
  auto created = dynamodb_call(moto, moto.keys(), "CreateTable",
                               R"({"TableName":")" + table +
                                   R"(","KeySchema":[{"AttributeName":"leaseKey","KeyType":"HASH"}],)"
                                   R"("AttributeDefinitions":[{"AttributeName":"leaseKey","AttributeType":"S"}],)"
                                   R"("BillingMode":"PAY_PER_REQUEST"})");
  ASSERT_TRUE(created.ok()) << created.error().to_string();
  const std::string put = R"json({"TableName":")json" + table +
                          R"json(","Item":{"leaseKey":{"S":"shard-0"}},)json"
                          R"json("ConditionExpression":"attribute_not_exists(leaseKey)"})json";
  ASSERT_TRUE(dynamodb_call(moto, moto.keys(), "PutItem", put).ok());
  auto lost = dynamodb_call(moto, moto.keys(), "PutItem", put);
  ASSERT_FALSE(lost.ok());
  EXPECT_EQ(lost.error().type, "ConditionalCheckFailedException") << lost.error().to_string();
  EXPECT_EQ(lost.error().code, ErrorCode::kConflict);
}

// Creates an IAM role that anyone may assume and that may do anything, with our query client (moto checks an
// assumed role's existence and policies when its credentials sign a call).
Status create_open_role(const Moto& moto, const std::string& role) {
  return run_coroutine<Status>([&]() -> boost::asio::awaitable<Status> {
    const ServiceEndpoint endpoint = moto.endpoint_for("iam");
    auto executor = co_await boost::asio::this_coro::executor;
    auto http = http::Http1Client::create(executor, endpoint.url, http::ClientOptions{});
    if (!http.ok()) co_return std::move(http).error();
    QueryClient iam(endpoint, "2010-05-08", "IAM", moto.keys(), *http, quick_retries());
    QueryParams create = {
        {"RoleName", role},
        {"AssumeRolePolicyDocument",
         R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]})"}};
    auto creating = iam.call("CreateRole", std::move(create));
    auto created = co_await std::move(creating);
    if (!created.ok()) co_return std::move(created).error();
    QueryParams policy = {
        {"RoleName", role},
        {"PolicyName", "all"},
        {"PolicyDocument", R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]})"}};
    auto putting = iam.call("PutRolePolicy", std::move(policy));
    auto put = co_await std::move(putting);
    if (!put.ok()) co_return std::move(put).error();
    co_return ok_status();
  });
}

TEST(Moto, AssumedRoleCredentialsSignASuccessfulCall) {
  Moto moto;
  const std::string role = unique_name("pk-aws-core-role-");
  const Status made = create_open_role(moto, role);
  ASSERT_TRUE(made.ok()) << made.error().to_string();
  CredentialsContext ctx;
  ctx.executor = pk::testing::coroutine_loop().get_executor();
  ctx.sts = EndpointConfig{"sts", "us-east-1", moto.endpoint, std::nullopt};
  auto provider = std::make_shared<StsAssumeRoleCredentialsProvider>(
      moto.keys(), AssumeRoleRequest{"arn:aws:iam::123456789012:role/" + role, "aws-core-it", "", 900}, ctx);
  auto creds = run_coroutine<Result<Credentials>>([&] { return provider->get(); });
  ASSERT_TRUE(creds.ok()) << creds.error().to_string();
  EXPECT_FALSE(creds->access_key_id.empty());
  EXPECT_FALSE(creds->session_token.empty());
  ASSERT_TRUE(creds->expiration.has_value());
  EXPECT_GT(*creds->expiration, std::chrono::system_clock::now());

  auto r = dynamodb_call(moto, std::make_shared<StaticCredentialsProvider>(*creds), "ListTables", "{}");
  ASSERT_TRUE(r.ok()) << "temporary credentials (with x-amz-security-token) must sign: " << r.error().to_string();

  Credentials tampered = *creds;
  tampered.secret_access_key += "x";
  auto bad = dynamodb_call(moto, std::make_shared<StaticCredentialsProvider>(tampered), "ListTables", "{}");
  EXPECT_FALSE(bad.ok()) << "a tampered secret must be refused";
}

TEST(Moto, PutMetricDataIsVisibleToBoto3) {
  Moto moto;
  const std::string ns = unique_name("pulsar-kinesis-it-");
  auto st = run_coroutine<Status>([&]() -> boost::asio::awaitable<Status> {
    const ServiceEndpoint endpoint = moto.endpoint_for("monitoring");
    auto executor = co_await boost::asio::this_coro::executor;
    auto http = http::Http1Client::create(executor, endpoint.url, http::ClientOptions{});
    if (!http.ok()) co_return std::move(http).error();
    CloudWatchClient cw(endpoint, moto.keys(), *http, quick_retries());
    std::vector<MetricDatum> data = {
        MetricDatum{"recordsSent", 12, "Count", {{"Stream", "s-1"}}, std::chrono::system_clock::now()},
        MetricDatum{"bytesSent", 3456.5, "Bytes", {{"Stream", "s-1"}, {"Shard", "shardId-000000000001"}}}};
    auto putting = cw.put_metric_data(ns, std::move(data));
    co_return co_await std::move(putting);
  });
  ASSERT_TRUE(st.ok()) << st.error().to_string();

  const std::string script = ::testing::TempDir() + "/list_metrics_" + ns + ".py";
  {
    std::ofstream out(script);
    out << "import boto3\n"
        << "cw = boto3.client('cloudwatch', endpoint_url='" << moto.endpoint << "', region_name='us-east-1',"
        << " aws_access_key_id='" << moto.key << "', aws_secret_access_key='" << moto.secret << "')\n"
        << "for m in sorted(cw.list_metrics(Namespace='" << ns << "')['Metrics'], key=lambda m: m['MetricName']):\n"
        << "    dims = ','.join(d['Name'] + '=' + d['Value'] for d in sorted(m['Dimensions'], key=lambda d: "
           "d['Name']))\n"
        << "    print(m['MetricName'] + ' ' + dims)\n";
  }
  bool ok = false;
  const std::string listed = itest::run_python(pk::testing::server_env("PK_PYTHON"), script, ok);
  std::remove(script.c_str());
  ASSERT_TRUE(ok) << listed;
  EXPECT_EQ(listed, "bytesSent Shard=shardId-000000000001,Stream=s-1\nrecordsSent Stream=s-1\n");
}

}  // namespace
}  // namespace pk::aws
