#include "aws/sts_client.h"

#include <fmt/format.h>

#include "aws/credentials_json.h"

namespace pk::aws {
namespace {

constexpr const char* kVersion = "2011-06-15";

Status check_request(std::string_view action, const std::string& role_arn, const std::string& session,
                     std::optional<int> duration) {
  if (role_arn.empty()) return make_error(ErrorCode::kInvalidArgument, fmt::format("STS {}: roleArn is empty", action));
  if (session.empty()) {
    return make_error(ErrorCode::kInvalidArgument, fmt::format("STS {}: roleSessionName is empty", action));
  }
  if (duration && (*duration < 900 || *duration > 43200)) {
    return make_error(ErrorCode::kInvalidArgument,
                      fmt::format("STS {}: durationSeconds {} is outside 900-43200", action, *duration));
  }
  return ok_status();
}

}  // namespace

std::string default_role_session_name(const Clock& clock) {
  return fmt::format("pulsar-kinesis-{}", clock.now_millis());
}

Result<Credentials> parse_sts_credentials(const XmlElement& response, std::string_view action) {
  const std::string response_name = fmt::format("{}Response", action);
  const std::string result_name = fmt::format("{}Result", action);
  const XmlElement* creds = nullptr;
  if (const XmlElement* r = response.child(response_name); r != nullptr) {
    if (const XmlElement* res = r->child(result_name); res != nullptr) creds = res->child("Credentials");
  }
  if (creds == nullptr) {
    return make_error(ErrorCode::kMalformedInput,
                      fmt::format("STS {}: response has no {}/{}/Credentials", action, response_name, result_name));
  }
  Credentials c;
  c.access_key_id = std::string(creds->text_at({"AccessKeyId"}));
  c.secret_access_key = std::string(creds->text_at({"SecretAccessKey"}));
  c.session_token = std::string(creds->text_at({"SessionToken"}));
  for (const auto& [name, value] : {std::pair<const char*, const std::string*>{"AccessKeyId", &c.access_key_id},
                                    {"SecretAccessKey", &c.secret_access_key},
                                    {"SessionToken", &c.session_token}}) {
    if (value->empty()) {
      return make_error(ErrorCode::kMalformedInput, fmt::format("STS {}: Credentials/{} is missing", action, name));
    }
  }
  const std::string_view expiration = creds->text_at({"Expiration"});
  if (!expiration.empty()) {
    auto t = parse_iso8601(expiration);
    if (!t.ok()) return t.error().with_context(fmt::format("STS {}: Credentials/Expiration", action));
    c.expiration = *t;
  }
  return c;
}

StsClient::StsClient(ServiceEndpoint endpoint, std::shared_ptr<CredentialsProvider> base,
                     std::shared_ptr<http::Http1Client> http, RetryPolicy retry, const Clock& clock)
    : unsigned_(endpoint, kVersion, "STS", nullptr, http, retry, clock) {
  if (base) signed_.emplace(std::move(endpoint), kVersion, "STS", std::move(base), std::move(http), retry, clock);
}

boost::asio::awaitable<Result<Credentials>> StsClient::assume_role(AssumeRoleRequest request) const {
  PK_CO_TRY(check_request("AssumeRole", request.role_arn, request.role_session_name, request.duration_seconds));
  if (!signed_) co_return make_error(ErrorCode::kInternal, "STS AssumeRole: no base credentials to sign with");
  QueryParams params = {{"RoleArn", request.role_arn}, {"RoleSessionName", request.role_session_name}};
  if (request.duration_seconds) params.emplace_back("DurationSeconds", std::to_string(*request.duration_seconds));
  if (!request.external_id.empty()) params.emplace_back("ExternalId", request.external_id);
  auto calling = signed_->call("AssumeRole", std::move(params));
  auto doc = co_await std::move(calling);
  if (!doc.ok()) co_return std::move(doc).error();
  co_return parse_sts_credentials(*doc, "AssumeRole");
}

boost::asio::awaitable<Result<Credentials>> StsClient::assume_role_with_web_identity(WebIdentityRequest request) const {
  PK_CO_TRY(check_request("AssumeRoleWithWebIdentity", request.role_arn, request.role_session_name,
                          request.duration_seconds));
  if (request.web_identity_token.empty()) {
    co_return make_error(ErrorCode::kUnauthenticated, "STS AssumeRoleWithWebIdentity: the web identity token is empty");
  }
  QueryParams params = {{"RoleArn", request.role_arn},
                        {"RoleSessionName", request.role_session_name},
                        {"WebIdentityToken", request.web_identity_token}};
  if (request.duration_seconds) params.emplace_back("DurationSeconds", std::to_string(*request.duration_seconds));
  auto calling = unsigned_.call("AssumeRoleWithWebIdentity", std::move(params));
  auto doc = co_await std::move(calling);
  if (!doc.ok()) co_return std::move(doc).error();
  co_return parse_sts_credentials(*doc, "AssumeRoleWithWebIdentity");
}

}  // namespace pk::aws
