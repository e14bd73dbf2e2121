#include "aws/credentials_context.h"

namespace pk::aws {

Result<ServiceEndpoint> CredentialsContext::sts_endpoint() const {
  EndpointConfig config = sts;
  config.service = "sts";
  if (config.region.empty() && config.endpoint.empty()) config.region = "us-east-1";
  return resolve_endpoint(config);
}

http::ClientOptions CredentialsContext::metadata_http_options(bool with_tls) const {
  http::ClientOptions o;
  o.max_connections = 2;
  o.min_connections = 0;
  o.connect_timeout = metadata_timeout;
  o.request_timeout = metadata_timeout;
  if (with_tls) o.tls = http.tls;
  return o;
}

}  // namespace pk::aws
