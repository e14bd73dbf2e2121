#include "http/http1_client.h"

#include <boost/asio/post.hpp>

#include "common/log.h"
#include "http/http1_codec.h"
#include "net/on_loop.h"
#include "net/timeout.h"

namespace pk::http {
namespace asio = boost::asio;

struct Http1Client::Exchange {
  Url origin;
  std::string origin_text;
  std::string authority;
  ClientOptions options;
  net::TlsContextPtr tls;
  std::shared_ptr<Http1Pool> pool;
};

namespace {

// Failures that mean "the connection was dead", as opposed to a slow or misbehaving server.
bool is_connection_failure(const Error& e) {
  return e.code == ErrorCode::kIo || e.code == ErrorCode::kUnavailable;
}

}  // namespace

Result<std::shared_ptr<Http1Client>> Http1Client::create(asio::any_io_executor executor, Url origin,
                                                         ClientOptions options) {
  net::TlsContextPtr tls;
  if (origin.is_tls()) {
    net::TlsOptions tls_options = options.tls;
    tls_options.alpn = {"http/1.1"};
    PK_ASSIGN_OR_RETURN(tls, net::make_tls_context(tls_options));
  }
  return std::make_shared<Http1Client>(std::move(executor), std::move(origin), std::move(options), std::move(tls));
}

Http1Client::Http1Client(asio::any_io_executor executor, Url origin, ClientOptions options, net::TlsContextPtr tls)
    : executor_(std::move(executor)), origin_(std::move(origin)), options_(std::move(options)) {
  auto x = std::make_shared<Exchange>();
  x->origin = origin_;
  x->origin_text = origin_.origin();
  x->authority = origin_.authority();
  x->options = options_;
  x->tls = std::move(tls);
  x->pool = Http1Pool::create(executor_, origin_, options_);
  shared_ = std::move(x);
}

Http1Client::~Http1Client() {
  // The pool belongs to the loop: shut it down there. Requests in flight hold it until they finish.
  asio::post(executor_, [pool = shared_->pool] { pool->shutdown(); });
}

PoolStats Http1Client::stats() const {
  return shared_->pool->stats();
}

asio::awaitable<Result<Response>> Http1Client::send(const Request& request) {
  // Copy what we need before the first suspension: the caller may drop the client while we run.
  auto exchanging = exchange(shared_, &request);
  auto hop = net::on_loop(executor_, std::move(exchanging));
  co_return co_await std::move(hop);
}

asio::awaitable<Result<Response>> Http1Client::exchange(std::shared_ptr<const Exchange> x, const Request* request) {
  std::string what = request->method + " " + x->origin_text + target_for_log(request->target);
  auto head = encode_request_head(*request, x->authority);
  if (!head.ok()) co_return std::move(head).error().with_context(what);

  static const auto log = logger("http");
  if (log->should_log(spdlog::level::trace)) {
    log->trace("{} headers: {} body: {} bytes", what, headers_for_log(request->headers), request->body.size());
  }
  const auto start = std::chrono::steady_clock::now();
  auto trying = attempt(x, request, &head.value());
  auto guarded = net::with_timeout(std::move(trying), x->options.request_timeout, what);
  auto result = co_await std::move(guarded);
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
  if (!result.ok()) {
    Error e = std::move(result).error();
    if (e.code != ErrorCode::kTimeout) e = e.with_context(what);
    log->debug("{} failed after {} ms: {}", what, ms, e.to_string());
    co_return e;
  }
  log->debug("{} -> {} ({} body bytes) in {} ms", what, result->status, result->body.size(), ms);
  co_return result;
}

asio::awaitable<Result<Response>> Http1Client::attempt(std::shared_ptr<const Exchange> x, const Request* request,
                                                       const std::string* head) {
  auto acquiring = Http1Pool::acquire(x->pool);
  PK_CO_ASSIGN_OR_RETURN(Http1Lease lease, co_await std::move(acquiring));
  const bool head_request = request->method == "HEAD";
  for (int round = 0;; ++round) {
    if (lease.connection() == nullptr) {
      auto opening =
          Http1Connection::open(x->origin, x->tls, x->options.connect_timeout, x->pool->next_connection_id());
      auto opened = co_await std::move(opening);
      if (!opened.ok()) co_return std::move(opened).error();
      lease.set(std::move(opened).value());
    }
    Http1Connection* connection = lease.connection();
    auto trip = connection->round_trip(*head, request->body, head_request, x->options.max_response_bytes);
    auto response = co_await std::move(trip);
    if (response.ok()) co_return response;  // the lease gives a reusable connection back to the pool
    if (round == 0 && lease.reused() && connection->response_bytes() == 0 && is_connection_failure(response.error())) {
      logger("http")->debug("{}{}: kept-alive connection #{} was dead ({}); retrying on a fresh one", x->origin_text,
                            target_for_log(request->target), connection->id(), response.error().message);
      lease.discard();
      continue;
    }
    co_return response;  // the lease closes the failed connection
  }
}

}  // namespace pk::http
