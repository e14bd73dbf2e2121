#pragma once
// STS (query protocol, API version 2011-06-15): AssumeRole (signed with base credentials) and
// AssumeRoleWithWebIdentity (unsigned; the web identity token is the proof). Returns temporary credentials with
// their expiration. Thread-safe.

#include <memory>
#include <optional>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "aws/query_client.h"

namespace pk::aws {

struct AssumeRoleRequest {
  std::string role_arn;
  std::string role_session_name;
  std::string external_id;              // optional
  std::optional<int> duration_seconds;  // optional: 900-43200
};

struct WebIdentityRequest {
  std::string role_arn;
  std::string role_session_name;
  std::string web_identity_token;  // secret: never logged
  std::optional<int> duration_seconds;
};

class StsClient {
 public:
  // `base` signs AssumeRole; null when only AssumeRoleWithWebIdentity is used.
  StsClient(ServiceEndpoint endpoint, std::shared_ptr<CredentialsProvider> base,
            std::shared_ptr<http::Http1Client> http, RetryPolicy retry = RetryPolicy(),
            const Clock& clock = SystemClock::instance());

  boost::asio::awaitable<Result<Credentials>> assume_role(AssumeRoleRequest request) const;
  boost::asio::awaitable<Result<Credentials>> assume_role_with_web_identity(WebIdentityRequest request) const;

 private:
  std::optional<QueryClient> signed_;
  QueryClient unsigned_;
};

// Reads <...Result><Credentials>{AccessKeyId, SecretAccessKey, SessionToken, Expiration} from an STS response.
Result<Credentials> parse_sts_credentials(const XmlElement& response, std::string_view action);

// "pulsar-kinesis-<epoch ms>": the session name when none is configured.
std::string default_role_session_name(const Clock& clock);

}  // namespace pk::aws
