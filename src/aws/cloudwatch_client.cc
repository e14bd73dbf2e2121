#include "aws/cloudwatch_client.h"

#include <cmath>
#include <ctime>

#include <fmt/format.h>

namespace pk::aws {

std::string iso8601_millis(std::chrono::system_clock::time_point t) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  const std::time_t secs = static_cast<std::time_t>(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                     tm.tm_hour, tm.tm_min, tm.tm_sec, ((ms % 1000) + 1000) % 1000);
}

Result<QueryParams> put_metric_data_params(std::string_view metric_namespace, const std::vector<MetricDatum>& data) {
  if (metric_namespace.empty()) return make_error(ErrorCode::kInvalidArgument, "PutMetricData: empty namespace");
  if (data.empty()) return make_error(ErrorCode::kInvalidArgument, "PutMetricData: no metric data");
  if (data.size() > CloudWatchClient::kMaxDataPerCall) {
    return make_error(ErrorCode::kInvalidArgument, fmt::format("PutMetricData: {} data, at most {} per call",
                                                               data.size(), CloudWatchClient::kMaxDataPerCall));
  }
  QueryParams params;
  params.reserve(1 + data.size() * 4);
  params.emplace_back("Namespace", std::string(metric_namespace));
  for (size_t i = 0; i < data.size(); ++i) {
    const MetricDatum& d = data[i];
    const std::string prefix = fmt::format("MetricData.member.{}.", i + 1);
    if (d.name.empty())
      return make_error(ErrorCode::kInvalidArgument, fmt::format("PutMetricData: datum {} has no name", i + 1));
    if (!std::isfinite(d.value)) {
      return make_error(ErrorCode::kInvalidArgument, fmt::format("PutMetricData: {} is not a finite number", d.name));
    }
    if (d.dimensions.size() > CloudWatchClient::kMaxDimensions) {
      return make_error(ErrorCode::kInvalidArgument,
                        fmt::format("PutMetricData: {} has {} dimensions, at most {}", d.name, d.dimensions.size(),
                                    CloudWatchClient::kMaxDimensions));
    }
    params.emplace_back(prefix + "MetricName", d.name);
    params.emplace_back(prefix + "Value", fmt::format("{}", d.value));
    if (!d.unit.empty()) params.emplace_back(prefix + "Unit", d.unit);
    if (d.timestamp) params.emplace_back(prefix + "Timestamp", iso8601_millis(*d.timestamp));
    for (size_t j = 0; j < d.dimensions.size(); ++j) {
      const std::string dim = fmt::format("{}Dimensions.member.{}.", prefix, j + 1);
      params.emplace_back(dim + "Name", d.dimensions[j].first);
      params.emplace_back(dim + "Value", d.dimensions[j].second);
    }
  }
  return params;
}

CloudWatchClient::CloudWatchClient(ServiceEndpoint endpoint, std::shared_ptr<CredentialsProvider> credentials,
                                   std::shared_ptr<http::Http1Client> http, RetryPolicy retry, const Clock& clock)
    : query_(std::move(endpoint), "2010-08-01", "CloudWatch", std::move(credentials), std::move(http), std::move(retry),
             clock) {}

boost::asio::awaitable<Status> CloudWatchClient::put_metric_data(std::string metric_namespace,
                                                                 std::vector<MetricDatum> data) const {
  auto params = put_metric_data_params(metric_namespace, data);
  if (!params.ok()) co_return std::move(params).error();
  auto calling = query_.call("PutMetricData", std::move(*params));
  auto response = co_await std::move(calling);
  if (!response.ok()) co_return std::move(response).error();
  co_return ok_status();
}

}  // namespace pk::aws
