#include "aws/environment_credentials_provider.h"

#include "aws/env_var.h"

#include <cstdlib>

namespace pk::aws {
namespace {}  // namespace

Result<Credentials> EnvironmentCredentialsProvider::read() {
  Credentials c;
  c.access_key_id = env_var("AWS_ACCESS_KEY_ID");
  c.secret_access_key = env_var("AWS_SECRET_ACCESS_KEY");
  c.session_token = env_var("AWS_SESSION_TOKEN");
  if (c.access_key_id.empty() && c.secret_access_key.empty()) {
    return make_error(ErrorCode::kUnauthenticated, "environment: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY not set");
  }
  if (c.access_key_id.empty()) {
    return make_error(ErrorCode::kUnauthenticated,
                      "environment: AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not");
  }
  if (c.secret_access_key.empty()) {
    return make_error(ErrorCode::kUnauthenticated,
                      "environment: AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not");
  }
  return c;
}

boost::asio::awaitable<Result<Credentials>> EnvironmentCredentialsProvider::get() {
  co_return read();
}

}  // namespace pk::aws
