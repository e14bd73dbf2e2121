#include "aws/sigv4_signer.h"

#include <ctime>

#include <fmt/format.h>

#include "aws/sigv4_canonical.h"

namespace pk::aws {
namespace {

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";

Status check_inputs(const http::Request& request, const Credentials& credentials, const SigningConfig& config) {
  if (credentials.access_key_id.empty()) {
    return make_error(ErrorCode::kUnauthenticated, "cannot sign: the credentials have no access key id");
  }
  if (credentials.secret_access_key.empty()) {
    return make_error(
        ErrorCode::kUnauthenticated,
        fmt::format("cannot sign: the credentials of access key {} have no secret key", credentials.access_key_id));
  }
  if (config.region.empty() || config.service.empty()) {
    return make_error(ErrorCode::kInvalidArgument, "cannot sign: the signing region and service must be set");
  }
  if (find_header(request.headers, "host").empty()) {
    return make_error(ErrorCode::kInvalidArgument, "cannot sign: the request has no Host header");
  }
  return ok_status();
}

struct SplitTarget {
  std::string_view path;
  std::string_view query;
};
SplitTarget split_target(std::string_view target) {
  const size_t q = target.find('?');
  if (q == std::string_view::npos) return {target, {}};
  return {target.substr(0, q), target.substr(q + 1)};
}

std::string build_canonical_request(std::string_view method, std::string_view path, const std::string& query,
                                    const CanonicalHeaders& headers, std::string_view payload_hash, bool normalize) {
  std::string out;
  out.reserve(method.size() + path.size() + query.size() + headers.lines.size() + headers.signed_headers.size() +
              payload_hash.size() + 16);
  out += method;
  out.push_back('\n');
  out += canonical_uri(path, normalize);
  out.push_back('\n');
  out += query;
  out.push_back('\n');
  out += headers.lines;
  out.push_back('\n');
  out += headers.signed_headers;
  out.push_back('\n');
  out += payload_hash;
  return out;
}

}  // namespace

std::string amz_date(std::chrono::system_clock::time_point t) {
  const std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  return fmt::format("{:04}{:02}{:02}T{:02}{:02}{:02}Z", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                     tm.tm_min, tm.tm_sec);
}

Digest Sigv4Signer::signing_key(std::string_view secret, std::string_view date, std::string_view region,
                                std::string_view service) const {
  const std::string scope = fmt::format("{}/{}/{}", date, region, service);
  {
    std::lock_guard lock(mutex_);
    for (const auto& k : keys_) {
      if (k.scope == scope && k.secret == secret) return k.key;
    }
  }
  std::string seed = "AWS4";
  seed += secret;
  const Digest k_date = hmac_sha256(seed, date);
  const Digest k_region = hmac_sha256(k_date, region);
  const Digest k_service = hmac_sha256(k_region, service);
  const Digest key = hmac_sha256(k_service, "aws4_request");
  std::lock_guard lock(mutex_);
  if (keys_.size() < kMaxCachedKeys) {
    keys_.push_back(CachedKey{std::string(secret), scope, key});
  } else {
    keys_[next_victim_] = CachedKey{std::string(secret), scope, key};
    next_victim_ = (next_victim_ + 1) % kMaxCachedKeys;
  }
  return key;
}

Result<SignatureParts> Sigv4Signer::sign(http::Request& request, const Credentials& credentials,
                                         const SigningConfig& config) const {
  return sign_with_payload_hash(request, credentials, config, sha256_hex(request.body));
}

Result<SignatureParts> Sigv4Signer::sign_with_payload_hash(http::Request& request, const Credentials& credentials,
                                                           const SigningConfig& config,
                                                           std::string_view payload_hash) const {
  PK_TRY(check_inputs(request, credentials, config));
  const std::string date_time = amz_date(clock_.now());
  const std::string_view date = std::string_view(date_time).substr(0, 8);

  for (std::string_view name : {"authorization", "x-amz-date", "x-amz-security-token", "x-amz-content-sha256"}) {
    remove_header(request.headers, name);
  }
  request.headers.push_back(http::Header{"X-Amz-Date", date_time});
  if (!credentials.session_token.empty() && !config.omit_session_token) {
    request.headers.push_back(http::Header{"X-Amz-Security-Token", credentials.session_token});
  }
  if (config.sign_body) request.headers.push_back(http::Header{"x-amz-content-sha256", std::string(payload_hash)});

  const auto [path, raw_query] = split_target(request.target);
  const CanonicalHeaders headers = canonical_headers(request.headers);
  SignatureParts parts;
  parts.canonical_request = build_canonical_request(request.method, path, canonical_query(raw_query), headers,
                                                    payload_hash, config.normalize_path);
  const std::string scope = fmt::format("{}/{}/{}/aws4_request", date, config.region, config.service);
  parts.string_to_sign =
      fmt::format("{}\n{}\n{}\n{}", kAlgorithm, date_time, scope, sha256_hex(parts.canonical_request));
  const Digest key = signing_key(credentials.secret_access_key, date, config.region, config.service);
  parts.signature = hex_encode(hmac_sha256(key, parts.string_to_sign));

  if (!credentials.session_token.empty() && config.omit_session_token) {
    request.headers.push_back(http::Header{"X-Amz-Security-Token", credentials.session_token});
  }
  request.headers.push_back(http::Header{
      "Authorization", fmt::format("{} Credential={}/{}, SignedHeaders={}, Signature={}", kAlgorithm,
                                   credentials.access_key_id, scope, headers.signed_headers, parts.signature)});
  return parts;
}

Result<SignatureParts> Sigv4Signer::presign(http::Request& request, const Credentials& credentials,
                                            const SigningConfig& config, std::chrono::seconds expires) const {
  PK_TRY(check_inputs(request, credentials, config));
  const std::string date_time = amz_date(clock_.now());
  const std::string_view date = std::string_view(date_time).substr(0, 8);
  const std::string scope = fmt::format("{}/{}/{}/aws4_request", date, config.region, config.service);
  const CanonicalHeaders headers = canonical_headers(request.headers);

  std::vector<std::pair<std::string, std::string>> added = {
      {"X-Amz-Algorithm", std::string(kAlgorithm)},
      {"X-Amz-Credential", fmt::format("{}/{}", credentials.access_key_id, scope)},
      {"X-Amz-Date", date_time},
      {"X-Amz-Expires", std::to_string(expires.count())},
      {"X-Amz-SignedHeaders", headers.signed_headers},
  };
  const bool token = !credentials.session_token.empty();
  if (token && !config.omit_session_token) added.emplace_back("X-Amz-Security-Token", credentials.session_token);

  const auto [path, raw_query] = split_target(request.target);
  SignatureParts parts;
  parts.canonical_request = build_canonical_request(request.method, path, canonical_query(raw_query, added), headers,
                                                    sha256_hex(request.body), config.normalize_path);
  parts.string_to_sign =
      fmt::format("{}\n{}\n{}\n{}", kAlgorithm, date_time, scope, sha256_hex(parts.canonical_request));
  const Digest key = signing_key(credentials.secret_access_key, date, config.region, config.service);
  parts.signature = hex_encode(hmac_sha256(key, parts.string_to_sign));

  if (token && config.omit_session_token) added.emplace_back("X-Amz-Security-Token", credentials.session_token);
  added.emplace_back("X-Amz-Signature", parts.signature);
  std::string target(request.target);
  char sep = raw_query.empty() ? '?' : '&';
  if (!target.empty() && (target.back() == '?' || target.back() == '&')) sep = '\0';
  for (const auto& [k, v] : added) {
    if (sep != '\0') target.push_back(sep);
    sep = '&';
    uri_encode_append(k, false, target);
    target.push_back('=');
    uri_encode_append(v, false, target);
  }
  request.target = std::move(target);
  return parts;
}

}  // namespace pk::aws
