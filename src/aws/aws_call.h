#pragma once
// One AWS request/response exchange, shared by the JSON-protocol and query-protocol clients:
//   credentials (unless unsigned) -> Host + SigV4 -> Http1Client::send -> 2xx: the response
//                                                                   -> else: Error from the AWS error body
// with retries per the RetryPolicy (throttling and transient errors, backoff with jitter, retry budget) and one
// extra attempt with fresh credentials when the service says they expired.
//
// Holds no per-call state: thread-safe, may be shared by callers on any loop (the HTTP client hops to its own
// loop). Owned by the client that uses it (JsonClient, QueryClient).

#include <memory>
#include <string>
#include <string_view>

#include <boost/asio/awaitable.hpp>

#include "aws/credentials.h"
#include "aws/endpoints.h"
#include "aws/retry_policy.h"
#include "aws/sigv4_signer.h"
#include "common/clock.h"
#include "common/result.h"
#include "http/http1_client.h"
#include "http/types.h"

namespace pk::aws {

class AwsCall {
 public:
  // `credentials` null: requests go unsigned (STS AssumeRoleWithWebIdentity).
  AwsCall(ServiceEndpoint endpoint, std::shared_ptr<CredentialsProvider> credentials,
          std::shared_ptr<http::Http1Client> http, RetryPolicy retry, const Clock& clock);

  // Sends `request` (its target includes the endpoint's path; Host is set here) and returns a 2xx response, or
  // the error (`what` names the call in messages: "Kinesis PutRecords"). Retries per the policy.
  boost::asio::awaitable<Result<http::Response>> send(http::Request request, std::string what) const;

  // Adds Host and signs (with the current credentials) without sending.
  boost::asio::awaitable<Result<http::Request>> sign(http::Request request) const;

  const ServiceEndpoint& endpoint() const { return endpoint_; }
  const RetryPolicy& retry_policy() const { return retry_; }
  const std::shared_ptr<CredentialsProvider>& credentials() const { return credentials_; }

 private:
  // Host, payload hash, signature: the request as it goes on the wire.
  Status prepare(http::Request& request, const Credentials* credentials, const std::string& payload_hash) const;

  ServiceEndpoint endpoint_;
  std::shared_ptr<CredentialsProvider> credentials_;
  std::shared_ptr<http::Http1Client> http_;
  RetryPolicy retry_;
  Sigv4Signer signer_;
  SigningConfig signing_;
};

// Whether an error means the credentials expired (worth one retry with fresh ones).
bool is_expired_credentials_error(const Error& error);

}  // namespace pk::aws
