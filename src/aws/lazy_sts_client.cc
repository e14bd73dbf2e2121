#include "aws/lazy_sts_client.h"

#include <boost/asio/this_coro.hpp>

namespace pk::aws {

boost::asio::awaitable<Result<const StsClient*>> LazyStsClient::get() {
  boost::asio::any_io_executor executor = context_.executor;
  auto current = co_await boost::asio::this_coro::executor;
  if (!executor) executor = current;
  std::lock_guard lock(mutex_);
  if (sts_) co_return sts_.get();
  auto endpoint = context_.sts_endpoint();
  if (!endpoint.ok()) co_return std::move(endpoint).error();
  auto http = http::Http1Client::create(executor, endpoint->url, context_.http);
  if (!http.ok()) co_return std::move(http).error();
  sts_ = std::make_unique<StsClient>(std::move(*endpoint), base_, std::move(*http), RetryPolicy(context_.retry),
                                     *context_.clock);
  co_return sts_.get();
}

}  // namespace pk::aws
