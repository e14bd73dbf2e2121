#pragma once
// Client authentication for CONNECT and AUTH_CHALLENGE. `none` sends nothing; `token` sends a JWT read from one
// source each time credentials are asked for (so a rotated token file or env var is picked up by the next
// AUTH_CHALLENGE refresh):
//   token:<jwt>        the token itself
//   file:<path>        a file holding the token (file:///abs/path and file:/abs/path both work); trimmed
//   env:<NAME>         an environment variable holding the token
//   <jwt>              a bare token (what the Java client also accepts)
// Shared by every connection of a client (immutable after creation; thread-safe). Token values never appear in
// errors or logs: errors name the source (file path, variable name) only.

#include <memory>
#include <string>
#include <string_view>

#include "common/result.h"

namespace pk::pulsar {

class Authentication {
 public:
  virtual ~Authentication() = default;
  // The auth_method_name sent in CONNECT ("token"); empty means no authentication.
  virtual std::string_view method() const = 0;
  // Fresh credentials for CONNECT / AUTH_RESPONSE. May read a small file (blocking, a few microseconds).
  virtual Result<std::string> auth_data() const = 0;
};

using AuthenticationPtr = std::shared_ptr<const Authentication>;

// No credentials (anonymous).
AuthenticationPtr make_no_auth();
// A token from one of the sources above. Fails (kInvalidArgument) on an empty or unreadable source so that a bad
// config is caught at start-up.
Result<AuthenticationPtr> make_token_auth(std::string_view params);
// pulsar-admin style: plugin class name (or short name "token") + its parameter string. An empty plugin means
// no authentication. Accepts org.apache.pulsar.client.impl.auth.AuthenticationToken and "token".
Result<AuthenticationPtr> make_authentication(std::string_view plugin, std::string_view params);

}  // namespace pk::pulsar
