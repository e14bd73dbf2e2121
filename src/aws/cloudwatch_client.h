#pragma once
// CloudWatch PutMetricData (query protocol, API version 2010-08-01, signing name "monitoring"):
//   Action=PutMetricData&Version=2010-08-01&Namespace=..&MetricData.member.1.MetricName=..&...Value=..&...Unit=..
//   [&MetricData.member.1.Timestamp=<ISO 8601>][&MetricData.member.1.Dimensions.member.1.Name=..&...Value=..]
// At most 1000 data per call and 30 dimensions per datum (checked here, before sending). Thread-safe.

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "aws/query_client.h"

namespace pk::aws {

struct MetricDatum {
  std::string name;
  double value = 0;
  std::string unit = "None";  // Count, Bytes, Milliseconds, Count/Second, ...
  std::vector<std::pair<std::string, std::string>> dimensions = {};
  std::optional<std::chrono::system_clock::time_point> timestamp = std::nullopt;
};

// The form parameters of one PutMetricData call (exposed for tests); kInvalidArgument for bad data.
Result<QueryParams> put_metric_data_params(std::string_view metric_namespace, const std::vector<MetricDatum>& data);

// "2024-01-01T00:00:00.123Z".
std::string iso8601_millis(std::chrono::system_clock::time_point t);

class CloudWatchClient {
 public:
  static constexpr size_t kMaxDataPerCall = 1000;
  static constexpr size_t kMaxDimensions = 30;

  CloudWatchClient(ServiceEndpoint endpoint, std::shared_ptr<CredentialsProvider> credentials,
                   std::shared_ptr<http::Http1Client> http, RetryPolicy retry = RetryPolicy(),
                   const Clock& clock = SystemClock::instance());

  boost::asio::awaitable<Status> put_metric_data(std::string metric_namespace, std::vector<MetricDatum> data) const;

 private:
  QueryClient query_;
};

}  // namespace pk::aws
