#pragma once
// Errors as values across module boundaries: Result<T> holds either a T or an Error.
// An Error carries a code (what kind of failure, which decides retry vs fail) and a message that names the
// culprit (the field, the frame, the peer). Messages never contain secrets.

#include <cassert>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace pk {

enum class ErrorCode {
  kInvalidArgument,    // caller gave a bad value (config, API misuse)
  kMalformedInput,     // bytes from the network or a file could not be decoded
  kIo,                 // socket / file error
  kTimeout,            // an operation did not finish in time
  kCancelled,          // stopped by its owner (shutdown)
  kNotFound,           // the thing asked for does not exist
  kUnauthenticated,    // credentials missing or rejected
  kPermissionDenied,   // authenticated but not allowed
  kUnavailable,        // peer temporarily unable to serve; retry later
  kThrottled,          // peer asked us to slow down; retry with backoff
  kConflict,           // a conditional write lost a race
  kResourceExhausted,  // a local bound (queue, memory) is full
  kUnsupported,        // feature or version not supported
  kInternal,           // a bug or an invariant broke
};

std::string_view to_string(ErrorCode code);

// Whether an error of this kind may succeed when tried again later.
bool is_retryable(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;
  // The peer's own name for the error when a caller may act on it: an AWS `__type` without its prefix
  // ("ExpiredIteratorException"), a Pulsar ServerError name ("TopicNotFound"). Empty otherwise.
  std::string type;

  bool retryable() const { return is_retryable(code); }
  // "<code>: <message>"
  std::string to_string() const;
  // Returns a copy whose message is prefixed with context ("while reading frame: ...").
  Error with_context(std::string_view context) const;
};

inline Error make_error(ErrorCode code, std::string message, std::string type = {}) {
  return Error{code, std::move(message), std::move(type)};
}

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}      // NOLINT: implicit by design
  Result(Error error) : state_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    assert(ok());
    return std::get<0>(state_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(state_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(state_));
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const& {
    assert(!ok());
    return std::get<1>(state_);
  }
  Error&& error() && {
    assert(!ok());
    return std::get<1>(std::move(state_));
  }

 private:
  std::variant<T, Error> state_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const& {
    assert(!ok_);
    return error_;
  }
  Error&& error() && {
    assert(!ok_);
    return std::move(error_);
  }

 private:
  Error error_;
  bool ok_ = true;
};

using Status = Result<void>;

inline Status ok_status() {
  return Status{};
}

}  // namespace pk

// Propagates an error out of the enclosing function returning a Result/Status.
#define PK_TRY(expr)                                                    \
  do {                                                                  \
    auto&& pk_try_result_ = (expr);                                     \
    if (!pk_try_result_.ok()) return std::move(pk_try_result_).error(); \
  } while (0)

#define PK_CONCAT_INNER(a, b) a##b
#define PK_CONCAT(a, b) PK_CONCAT_INNER(a, b)
// PK_ASSIGN_OR_RETURN(auto x, expr): binds the value or propagates the error.
#define PK_ASSIGN_OR_RETURN(lhs, expr) PK_ASSIGN_OR_RETURN_IMPL(PK_CONCAT(pk_result_, __LINE__), lhs, expr)
#define PK_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                             \
  if (!tmp.ok()) return std::move(tmp).error();  \
  lhs = std::move(tmp).value()

// The same two for coroutines (co_return instead of return). The result is held by value: GCC 12 mishandles
// references bound to temporaries produced by co_await.
#define PK_CO_TRY(expr)                                                    \
  do {                                                                     \
    auto pk_try_result_ = (expr);                                          \
    if (!pk_try_result_.ok()) co_return std::move(pk_try_result_).error(); \
  } while (0)
#define PK_CO_ASSIGN_OR_RETURN(lhs, expr) PK_CO_ASSIGN_OR_RETURN_IMPL(PK_CONCAT(pk_result_, __LINE__), lhs, expr)
#define PK_CO_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                \
  if (!tmp.ok()) co_return std::move(tmp).error();  \
  lhs = std::move(tmp).value()
