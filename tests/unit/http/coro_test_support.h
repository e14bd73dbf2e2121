#pragma once
// Requests for the HTTP tests (coroutines run with support/async_test.h).

#include <string>

#include <boost/asio/awaitable.hpp>

#include "common/result.h"
#include "http/http1_client.h"
#include "support/async_test.h"

namespace pk::http::testing {

namespace asio = boost::asio;

// One request, awaited: the two-statement form the GCC 12 rules ask for.
inline asio::awaitable<Result<Response>> send(Http1Client& client, const Request& request) {
  auto sending = client.send(request);
  co_return co_await std::move(sending);
}

inline Request get(std::string target) {
  Request r;
  r.method = "GET";
  r.target = std::move(target);
  return r;
}

inline Request post(std::string target, std::string body) {
  Request r;
  r.method = "POST";
  r.target = std::move(target);
  r.body = std::move(body);
  return r;
}

}  // namespace pk::http::testing
