#include "aws/aws_error.h"

#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "aws/json_reader.h"
#include "aws/xml_lite.h"

namespace pk::aws {
namespace {

constexpr size_t kMaxQuotedBody = 200;
constexpr size_t kMaxMessage = 1000;

template <size_t N>
bool one_of(std::string_view type, const std::array<std::string_view, N>& names) {
  return std::find(names.begin(), names.end(), type) != names.end();
}

constexpr std::array<std::string_view, 15> kThrottling = {
    "ProvisionedThroughputExceededException",
    "LimitExceededException",
    "ThrottlingException",
    "Throttling",
    "ThrottledException",
    "RequestThrottledException",
    "RequestThrottled",
    "TooManyRequestsException",
    "KMSThrottlingException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
    "TransactionInProgressException",
};

constexpr std::array<std::string_view, 9> kTransient = {
    "InternalFailure",
    "InternalFailureException",
    "InternalServerError",
    "InternalServerErrorException",
    "InternalError",
    "ServiceUnavailable",
    "ServiceUnavailableException",
    "RequestTimeout",
    "RequestTimeoutException",
};

constexpr std::array<std::string_view, 13> kUnauthenticated = {
    "UnrecognizedClientException",
    "InvalidSignatureException",
    "SignatureDoesNotMatch",
    "IncompleteSignature",
    "IncompleteSignatureException",
    "MissingAuthenticationToken",
    "MissingAuthenticationTokenException",
    "InvalidClientTokenId",
    "ExpiredToken",
    "ExpiredTokenException",
    "RequestExpired",
    "InvalidAccessKeyId",
    "AuthFailure",
};

constexpr std::array<std::string_view, 5> kPermissionDenied = {
    "AccessDeniedException", "AccessDenied", "UnauthorizedOperation", "AuthorizationError", "KMSAccessDeniedException",
};

constexpr std::array<std::string_view, 3> kConflict = {"ConditionalCheckFailedException",
                                                       "TransactionConflictException", "TransactionCanceledException"};

constexpr std::array<std::string_view, 3> kNotFound = {"ResourceNotFoundException", "KMSNotFoundException",
                                                       "NoSuchEntity"};

constexpr std::array<std::string_view, 12> kInvalidArgument = {
    "InvalidArgumentException",       "ValidationException",      "ValidationError",
    "SerializationException",         "InvalidParameterValue",    "InvalidParameterCombination",
    "InvalidParameterValueException", "MissingParameter",         "MalformedQueryString",
    "KMSDisabledException",           "KMSInvalidStateException", "KMSOptInRequired",
};

// At most `n` bytes of `s` for a message, control characters replaced so a binary body cannot garble a log line.
std::string clip(std::string_view s, size_t n) {
  std::string out(s.substr(0, n));
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 && c != ' ') c = c == '\n' || c == '\r' || c == '\t' ? ' ' : '?';
  }
  if (s.size() > n) out += fmt::format("... ({} bytes)", s.size());
  return out;
}

// The first of `names` present as a non-empty string.
std::string first_string(const json::FlatObject& obj, std::initializer_list<const char*> names) {
  for (const char* name : names) {
    auto v = obj.string(name);
    if (v.ok() && !v->empty()) return std::move(*v);
  }
  return {};
}

bool looks_like_xml(std::string_view body) {
  for (char c : body) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
    return c == '<';
  }
  return false;
}

}  // namespace

std::string_view sanitize_error_type(std::string_view type) {
  if (const size_t colon = type.find(':'); colon != std::string_view::npos) type = type.substr(0, colon);
  if (const size_t hash = type.rfind('#'); hash != std::string_view::npos) type = type.substr(hash + 1);
  while (!type.empty() && (type.front() == ' ' || type.front() == '\t')) type.remove_prefix(1);
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.remove_suffix(1);
  return type;
}

std::optional<AwsErrorInfo> parse_json_error(std::string_view body) {
  auto doc = json::FlatObject::parse(body, "error body");
  if (!doc.ok()) return std::nullopt;
  AwsErrorInfo info;
  info.type = std::string(sanitize_error_type(first_string(*doc, {"__type", "code", "Code"})));
  if (info.type.empty()) return std::nullopt;
  info.message = clip(first_string(*doc, {"message", "Message", "errorMessage"}), kMaxMessage);
  return info;
}

std::optional<AwsErrorInfo> parse_xml_error(std::string_view body) {
  auto doc = parse_xml(body, XmlLimits{32, 10000});
  if (!doc.ok()) return std::nullopt;
  const XmlElement* error = xml_find_first(*doc, "Error");
  if (error == nullptr) return std::nullopt;
  AwsErrorInfo info;
  info.type = std::string(sanitize_error_type(error->text_at({"Code"})));
  if (info.type.empty()) return std::nullopt;
  info.message = clip(error->text_at({"Message"}), kMaxMessage);
  return info;
}

std::string_view to_string(RetryClass c) {
  switch (c) {
    case RetryClass::kThrottling:
      return "throttling";
    case RetryClass::kTransient:
      return "transient";
    case RetryClass::kRetryAfterDelay:
      return "retry after delay";
    case RetryClass::kExpiredIterator:
      return "expired iterator";
    case RetryClass::kExpiredNextToken:
      return "expired next token";
    case RetryClass::kFatal:
      return "fatal";
  }
  return "fatal";
}

RetryClass classify_aws_error(int http_status, std::string_view type) {
  if (!type.empty()) {
    if (one_of(type, kThrottling)) return RetryClass::kThrottling;
    if (one_of(type, kTransient)) return RetryClass::kTransient;
    if (type == "ResourceInUseException") return RetryClass::kRetryAfterDelay;
    if (type == "ExpiredIteratorException") return RetryClass::kExpiredIterator;
    if (type == "ExpiredNextTokenException") return RetryClass::kExpiredNextToken;
  }
  if (http_status == 0) return RetryClass::kTransient;  // no response at all
  if (http_status == 429) return RetryClass::kThrottling;
  if (http_status == 500 || http_status == 502 || http_status == 503 || http_status == 504) {
    return RetryClass::kTransient;
  }
  return RetryClass::kFatal;
}

RetryClass classify_error(const Error& error) {
  if (!error.type.empty()) {
    const RetryClass by_type = classify_aws_error(-1, error.type);
    if (by_type != RetryClass::kFatal) return by_type;
  }
  switch (error.code) {
    case ErrorCode::kThrottled:
      return RetryClass::kThrottling;
    case ErrorCode::kUnavailable:
    case ErrorCode::kIo:
    case ErrorCode::kTimeout:
      return RetryClass::kTransient;
    default:
      return RetryClass::kFatal;
  }
}

ErrorCode error_code_for(int http_status, std::string_view type) {
  if (!type.empty()) {
    if (one_of(type, kThrottling)) return ErrorCode::kThrottled;
    if (one_of(type, kTransient)) return ErrorCode::kUnavailable;
    if (type == "ResourceInUseException") return ErrorCode::kUnavailable;
    if (type == "ExpiredIteratorException" || type == "ExpiredNextTokenException") {
      return ErrorCode::kInvalidArgument;
    }
    if (one_of(type, kUnauthenticated)) return ErrorCode::kUnauthenticated;
    if (one_of(type, kPermissionDenied)) return ErrorCode::kPermissionDenied;
    if (one_of(type, kConflict)) return ErrorCode::kConflict;
    if (one_of(type, kNotFound)) return ErrorCode::kNotFound;
    if (one_of(type, kInvalidArgument)) return ErrorCode::kInvalidArgument;
  }
  switch (http_status) {
    case 0:
      return ErrorCode::kIo;
    case 400:
    case 413:
    case 414:
    case 422:
      return ErrorCode::kInvalidArgument;
    case 401:
      return ErrorCode::kUnauthenticated;
    case 403:
      return ErrorCode::kPermissionDenied;
    case 404:
      return ErrorCode::kNotFound;
    case 409:
    case 412:
      return ErrorCode::kConflict;
    case 429:
      return ErrorCode::kThrottled;
    case 501:
      return ErrorCode::kUnsupported;
    default:
      break;
  }
  if (http_status >= 500) return ErrorCode::kUnavailable;
  if (http_status >= 400) return ErrorCode::kInvalidArgument;
  return ErrorCode::kInternal;  // a non-error status handed to the error path
}

Error aws_error_from_response(int http_status, std::string_view body, std::string_view what,
                              std::string_view error_type_header) {
  std::optional<AwsErrorInfo> info = looks_like_xml(body) ? parse_xml_error(body) : parse_json_error(body);
  if (!error_type_header.empty()) {
    const std::string_view header_type = sanitize_error_type(error_type_header);
    if (!header_type.empty()) {
      if (!info) info = AwsErrorInfo{};
      info->type = std::string(header_type);
    }
  }
  if (info) {
    const ErrorCode code = error_code_for(http_status, info->type);
    std::string message = info->message.empty()
                              ? fmt::format("{}: {} (HTTP {})", what, info->type, http_status)
                              : fmt::format("{}: {}: {} (HTTP {})", what, info->type, info->message, http_status);
    return make_error(code, std::move(message), info->type);
  }
  const ErrorCode code = error_code_for(http_status, {});
  if (body.empty()) return make_error(code, fmt::format("{}: HTTP {} with an empty body", what, http_status));
  return make_error(code, fmt::format("{}: HTTP {}: {}", what, http_status, clip(body, kMaxQuotedBody)));
}

}  // namespace pk::aws
