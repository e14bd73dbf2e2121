#pragma once
// The AWS query protocol (STS, CloudWatch): form POST "Action=<action>&Version=<version>&<params>", SigV4-signed
// (or unsigned, for STS AssumeRoleWithWebIdentity), XML response; errors as <ErrorResponse><Error><Code>.
// Retries per the RetryPolicy like the JSON client (they share AwsCall). Thread-safe.

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "aws/aws_call.h"
#include "aws/xml_lite.h"

namespace pk::aws {

using QueryParams = std::vector<std::pair<std::string, std::string>>;

// "a=1&b=x%2Fy": RFC 3986 encoding of keys and values, in the given order.
std::string form_encode(const QueryParams& params);

class QueryClient {
 public:
  // `credentials` null: unsigned requests. `display_name` prefixes error messages ("STS").
  QueryClient(ServiceEndpoint endpoint, std::string api_version, std::string display_name,
              std::shared_ptr<CredentialsProvider> credentials, std::shared_ptr<http::Http1Client> http,
              RetryPolicy retry = RetryPolicy(), const Clock& clock = SystemClock::instance());

  // Calls `action`; returns the parsed XML response document.
  boost::asio::awaitable<Result<XmlElement>> call(std::string_view action, QueryParams params) const;

 private:
  std::string api_version_;
  std::string display_name_;
  AwsCall call_;
};

}  // namespace pk::aws
