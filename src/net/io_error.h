#pragma once
// Maps Asio / OpenSSL error codes to our Error, with the peer named in the message.

#include <string_view>

#include <boost/system/error_code.hpp>

#include "common/result.h"

namespace pk::net {

// `what` names the operation and the peer, e.g. "connect 127.0.0.1:6650".
Error io_error(const boost::system::error_code& ec, std::string_view what);

}  // namespace pk::net
