#include "common/result.h"

namespace pk {

std::string_view to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return "invalid argument";
    case ErrorCode::kMalformedInput:
      return "malformed input";
    case ErrorCode::kIo:
      return "i/o error";
    case ErrorCode::kTimeout:
      return "timeout";
    case ErrorCode::kCancelled:
      return "cancelled";
    case ErrorCode::kNotFound:
      return "not found";
    case ErrorCode::kUnauthenticated:
      return "unauthenticated";
    case ErrorCode::kPermissionDenied:
      return "permission denied";
    case ErrorCode::kUnavailable:
      return "unavailable";
    case ErrorCode::kThrottled:
      return "throttled";
    case ErrorCode::kConflict:
      return "conflict";
    case ErrorCode::kResourceExhausted:
      return "resource exhausted";
    case ErrorCode::kUnsupported:
      return "unsupported";
    case ErrorCode::kInternal:
      return "internal error";
  }
  return "unknown error";
}

bool is_retryable(ErrorCode code) {
  switch (code) {
    case ErrorCode::kIo:
    case ErrorCode::kTimeout:
    case ErrorCode::kUnavailable:
    case ErrorCode::kThrottled:
    case ErrorCode::kResourceExhausted:
      return true;
    default:
      return false;
  }
}

std::string Error::to_string() const {
  std::string out(pk::to_string(code));
  if (!message.empty()) {
    out += ": ";
    out += message;
  }
  return out;
}

Error Error::with_context(std::string_view context) const {
  std::string m(context);
  m += ": ";
  m += message;
  return Error{code, std::move(m), type};
}

}  // namespace pk
