#include "pulsar/client/server_error.h"

#include <array>
#include <string>

#include <fmt/format.h>

namespace pk::pulsar {
namespace {

struct Entry {
  std::string_view name;
  ErrorCode code;
};

constexpr std::array<Entry, 26> kErrors{{
    {"UnknownError", ErrorCode::kUnavailable},
    {"MetadataError", ErrorCode::kUnavailable},
    {"PersistenceError", ErrorCode::kUnavailable},
    {"AuthenticationError", ErrorCode::kUnauthenticated},
    {"AuthorizationError", ErrorCode::kPermissionDenied},
    {"ConsumerBusy", ErrorCode::kConflict},
    {"ServiceNotReady", ErrorCode::kUnavailable},
    {"ProducerBlockedQuotaExceededError", ErrorCode::kThrottled},
    {"ProducerBlockedQuotaExceededException", ErrorCode::kResourceExhausted},
    {"ChecksumError", ErrorCode::kMalformedInput},
    {"UnsupportedVersionError", ErrorCode::kUnsupported},
    {"TopicNotFound", ErrorCode::kNotFound},
    {"SubscriptionNotFound", ErrorCode::kNotFound},
    {"ConsumerNotFound", ErrorCode::kNotFound},
    {"TooManyRequests", ErrorCode::kThrottled},
    {"TopicTerminatedError", ErrorCode::kConflict},
    {"ProducerBusy", ErrorCode::kConflict},
    {"InvalidTopicName", ErrorCode::kInvalidArgument},
    {"IncompatibleSchema", ErrorCode::kInvalidArgument},
    {"ConsumerAssignError", ErrorCode::kConflict},
    {"TransactionCoordinatorNotFound", ErrorCode::kUnavailable},
    {"InvalidTxnStatus", ErrorCode::kConflict},
    {"NotAllowedError", ErrorCode::kPermissionDenied},
    {"TransactionConflict", ErrorCode::kConflict},
    {"TransactionNotFound", ErrorCode::kNotFound},
    {"ProducerFenced", ErrorCode::kConflict},
}};

}  // namespace

std::string_view server_error_name(int code) {
  if (code >= 0 && static_cast<size_t>(code) < kErrors.size()) return kErrors[static_cast<size_t>(code)].name;
  return "ServerError";
}

ErrorCode server_error_code(int code) {
  if (code >= 0 && static_cast<size_t>(code) < kErrors.size()) return kErrors[static_cast<size_t>(code)].code;
  return ErrorCode::kUnavailable;  // a newer broker's error: retry rather than give up
}

Error server_error(int code, std::string_view broker_message, std::string_view context) {
  const bool known = code >= 0 && static_cast<size_t>(code) < kErrors.size();
  std::string type = known ? std::string(server_error_name(code)) : fmt::format("ServerError({})", code);
  std::string message = broker_message.empty() ? fmt::format("{}: broker error {}", context, type)
                                               : fmt::format("{}: broker error {}: {}", context, type, broker_message);
  return make_error(server_error_code(code), std::move(message), std::move(type));
}

}  // namespace pk::pulsar
