#pragma once
// AWS Signature Version 4: signs an http::Request in place, either with an Authorization header (the normal
// case) or in the query string (presigning). The time comes from an injected Clock so that tests can pin it.
// Derived signing keys are cached per (secret, day, region, service): a signature then costs one SHA-256 of
// the body, one of the canonical request and one HMAC.
// Thread-safe: one signer may be shared by every client and loop (the key cache has its own lock).
// Never logs; the secret key is used only to derive keys.

#include <chrono>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "aws/credentials.h"
#include "aws/sha256.h"
#include "common/clock.h"
#include "common/result.h"
#include "http/types.h"

namespace pk::aws {

struct SigningConfig {
  std::string region;               // "us-east-1"
  std::string service;              // signing name: "kinesis", "dynamodb", "sts", "monitoring"
  bool normalize_path = true;       // remove dot segments and empty segments (all services but S3)
  bool sign_body = false;           // add and sign x-amz-content-sha256 (S3-style)
  bool omit_session_token = false;  // add x-amz-security-token after signing instead of signing it
};

// The intermediate values, returned so that tests can check each step against the AWS suite.
struct SignatureParts {
  std::string canonical_request;
  std::string string_to_sign;
  std::string signature;  // lowercase hex
};

class Sigv4Signer {
 public:
  explicit Sigv4Signer(const Clock& clock = SystemClock::instance()) : clock_(clock) {}

  // Header signing. The request must carry a Host header (the endpoint's authority). Adds X-Amz-Date,
  // X-Amz-Security-Token (temporary credentials), X-Amz-Content-Sha256 (sign_body) and Authorization,
  // replacing earlier values, so a request may be signed again before a retry.
  Result<SignatureParts> sign(http::Request& request, const Credentials& credentials,
                              const SigningConfig& config) const;
  // The same with the payload hash (lowercase hex SHA-256 of the body) computed by the caller.
  Result<SignatureParts> sign_with_payload_hash(http::Request& request, const Credentials& credentials,
                                                const SigningConfig& config, std::string_view payload_hash) const;

  // Query signing: appends X-Amz-Algorithm, -Credential, -Date, -Expires, -SignedHeaders, [-Security-Token] and
  // -Signature to the request target. The headers are signed but not changed.
  Result<SignatureParts> presign(http::Request& request, const Credentials& credentials, const SigningConfig& config,
                                 std::chrono::seconds expires) const;

  // The signing key for one day/region/service, from the cache or derived (HMAC chain from "AWS4" + secret).
  Digest signing_key(std::string_view secret, std::string_view date, std::string_view region,
                     std::string_view service) const;

 private:
  struct CachedKey {
    std::string secret;
    std::string scope;  // date/region/service
    Digest key;
  };
  static constexpr size_t kMaxCachedKeys = 16;

  const Clock& clock_;
  mutable std::mutex mutex_;
  mutable std::vector<CachedKey> keys_;  // guarded by mutex_; small: most processes use one or two
  mutable size_t next_victim_ = 0;       // guarded by mutex_
};

// "20150830T123600Z" (ISO 8601 basic, UTC) of a time point.
std::string amz_date(std::chrono::system_clock::time_point t);

}  // namespace pk::aws
