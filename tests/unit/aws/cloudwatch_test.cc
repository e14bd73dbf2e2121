#include "aws/cloudwatch_client.h"

#include <gtest/gtest.h>

#include <boost/asio/this_coro.hpp>

#include "aws/static_credentials_provider.h"
#include "fake_http_server.h"
#include "test_support.h"

namespace pk::aws {
namespace {

using namespace std::chrono_literals;
using pk::testing::FakeHttpServer;
using pk::testing::Reply;
using pk::testing::run_coroutine;

TEST(PutMetricData, BuildsMemberParameters) {
  MetricDatum a{"records",
                42,
                "Count",
                {{"Stream", "s1"}, {"Shard", "shardId-0"}},
                std::chrono::system_clock::from_time_t(1704067200) + 123ms};
  MetricDatum b{"latency", 1.5, "Milliseconds", {}, std::nullopt};
  auto params = put_metric_data_params("pulsar-kinesis", {a, b});
  ASSERT_TRUE(params.ok()) << params.error().to_string();
  const QueryParams expected = {
      {"Namespace", "pulsar-kinesis"},
      {"MetricData.member.1.MetricName", "records"},
      {"MetricData.member.1.Value", "42"},
      {"MetricData.member.1.Unit", "Count"},
      {"MetricData.member.1.Timestamp", "2024-01-01T00:00:00.123Z"},
      {"MetricData.member.1.Dimensions.member.1.Name", "Stream"},
      {"MetricData.member.1.Dimensions.member.1.Value", "s1"},
      {"MetricData.member.1.Dimensions.member.2.Name", "Shard"},
      {"MetricData.member.1.Dimensions.member.2.Value", "shardId-0"},
      {"MetricData.member.2.MetricName", "latency"},
      {"MetricData.member.2.Value", "1.5"},
      {"MetricData.member.2.Unit", "Milliseconds"},
  };
  EXPECT_EQ(*params, expected);
}

TEST(PutMetricData, RejectsBadData) {
  EXPECT_FALSE(put_metric_data_params("", {MetricDatum{"x", 1}}).ok());
  EXPECT_FALSE(put_metric_data_params("ns", {}).ok());
  EXPECT_FALSE(put_metric_data_params("ns", {MetricDatum{"", 1}}).ok());
  EXPECT_FALSE(put_metric_data_params("ns", {MetricDatum{"x", std::nan("")}}).ok());
  EXPECT_FALSE(put_metric_data_params("ns", std::vector<MetricDatum>(1001, MetricDatum{"x", 1})).ok());
  MetricDatum many{"x", 1};
  many.dimensions.assign(31, {"k", "v"});
  EXPECT_FALSE(put_metric_data_params("ns", {many}).ok());
}

TEST(CloudWatchClient, PostsASignedFormToMonitoring) {
  FakeHttpServer server;
  server.when("POST", "/")
      .then_return(Reply::xml(
          R"(<PutMetricDataResponse xmlns="http://monitoring.amazonaws.com/doc/2010-08-01/"><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></PutMetricDataResponse>)"));
  auto endpoint = resolve_endpoint({"monitoring", "us-east-1", server.url(), std::nullopt});
  ASSERT_TRUE(endpoint.ok());
  auto st = run_coroutine<Status>([&]() -> boost::asio::awaitable<Status> {
    auto executor = co_await boost::asio::this_coro::executor;
    auto http = http::Http1Client::create(executor, endpoint->url, http::ClientOptions{});
    CloudWatchClient cw(*endpoint,
                        std::make_shared<StaticCredentialsProvider>(Credentials{"AKID", "s", "", std::nullopt}), *http);
    auto putting = cw.put_metric_data("pulsar-kinesis", {MetricDatum{"records", 3, "Count"}});
    co_return co_await std::move(putting);
  });
  ASSERT_TRUE(st.ok()) << st.error().to_string();
  const auto req = server.requests().at(0);
  EXPECT_TRUE(req.body.starts_with("Action=PutMetricData&Version=2010-08-01&Namespace=pulsar-kinesis&")) << req.body;
  EXPECT_NE(req.header("Authorization").find("/us-east-1/monitoring/aws4_request"), std::string::npos);
}

}  // namespace
}  // namespace pk::aws
