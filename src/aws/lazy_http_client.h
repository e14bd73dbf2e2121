#pragma once
// An Http1Client made on first use (providers are built before any loop runs; their HTTP clients are not), on
// the given executor or else on the executor of the coroutine that first needs it; that loop must outlive this.
// Re-made when asked for another origin. Thread-safe.

#include <memory>
#include <mutex>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "common/result.h"
#include "http/http1_client.h"
#include "http/types.h"

namespace pk::aws {

class LazyHttpClient {
 public:
  LazyHttpClient(http::ClientOptions options, boost::asio::any_io_executor executor)
      : options_(std::move(options)), executor_(std::move(executor)) {}

  boost::asio::awaitable<Result<std::shared_ptr<http::Http1Client>>> client_for(const http::Url& url);

 private:
  http::ClientOptions options_;
  boost::asio::any_io_executor executor_;  // empty: the first caller's
  std::mutex mutex_;
  std::shared_ptr<http::Http1Client> client_;  // guarded by mutex_
  std::string origin_;                         // guarded by mutex_
};

}  // namespace pk::aws
