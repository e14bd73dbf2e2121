#include "net/io_error.h"

#include <boost/asio/error.hpp>
#include <boost/asio/ssl/error.hpp>

#include <fmt/format.h>

namespace pk::net {

Error io_error(const boost::system::error_code& ec, std::string_view what) {
  namespace error = boost::asio::error;
  ErrorCode code = ErrorCode::kIo;
  if (ec == error::operation_aborted) {
    code = ErrorCode::kCancelled;
  } else if (ec == error::timed_out) {
    code = ErrorCode::kTimeout;
  } else if (ec == error::connection_refused || ec == error::host_unreachable || ec == error::network_unreachable ||
             ec == error::host_not_found_try_again) {
    code = ErrorCode::kUnavailable;
  } else if (ec == error::host_not_found || ec == error::service_not_found) {
    code = ErrorCode::kNotFound;
  }
  return make_error(code, fmt::format("{}: {}", what, ec.message()));
}

}  // namespace pk::net
