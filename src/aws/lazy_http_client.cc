#include "aws/lazy_http_client.h"

#include <boost/asio/this_coro.hpp>

namespace pk::aws {

boost::asio::awaitable<Result<std::shared_ptr<http::Http1Client>>> LazyHttpClient::client_for(const http::Url& url) {
  boost::asio::any_io_executor executor = executor_;
  auto current = co_await boost::asio::this_coro::executor;
  if (!executor) executor = current;
  std::lock_guard lock(mutex_);
  const std::string origin = url.origin();
  if (client_ && origin_ == origin) co_return client_;
  auto created = http::Http1Client::create(executor, url, options_);
  if (!created.ok()) co_return std::move(created).error();
  client_ = std::move(*created);
  origin_ = origin;
  co_return client_;
}

}  // namespace pk::aws
