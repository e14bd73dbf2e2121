#include "http/http2_connection.h"

#include <boost/asio/dispatch.hpp>

#include <fmt/format.h>

#include "http/http2_session.h"
#include "net/byte_stream.h"
#include "net/on_loop.h"
#include "net/scope_exit.h"
#include "net/timeout.h"

namespace pk::http {
namespace asio = boost::asio;

namespace {

asio::awaitable<Status> wait_for_headers(std::shared_ptr<Http2StreamState> stream) {
  while (!stream->headers_done) {
    if (stream->error) co_return *stream->error;
    if (stream->closed || stream->ended) {
      co_return make_error(ErrorCode::kIo, stream->what + ": closed before the response headers");
    }
    co_await stream->signal.wait();
  }
  co_return ok_status();
}

asio::awaitable<Status> ping_on_loop(std::shared_ptr<Http2Session> session) {
  co_return co_await session->ping();
}

asio::awaitable<void> shutdown_on_loop(std::shared_ptr<Http2Session> session, std::chrono::milliseconds grace) {
  co_await session->shutdown(grace);
}

}  // namespace

asio::awaitable<Result<std::shared_ptr<Http2Connection>>> Http2Connection::connect(Url origin, ClientOptions options) {
  const std::string origin_text = origin.origin();
  net::TlsContextPtr tls;
  if (origin.is_tls()) {
    net::TlsOptions tls_options = options.tls;
    tls_options.alpn = {"h2"};
    auto made = net::make_tls_context(tls_options);
    if (!made.ok()) co_return std::move(made).error();
    tls = std::move(made).value();
  }
  auto connecting = net::ByteStream::connect(net::Endpoint{origin.host, origin.port}, tls, options.connect_timeout);
  auto stream = co_await std::move(connecting);
  if (!stream.ok()) {
    Error e = std::move(stream).error();
    if (e.code == ErrorCode::kNotFound) e.code = ErrorCode::kUnavailable;
    co_return e.with_context(origin_text);
  }
  if (origin.is_tls() && (*stream)->alpn_protocol() != "h2") {
    co_return make_error(ErrorCode::kUnsupported,
                         fmt::format("{}: the server did not agree to HTTP/2 (ALPN selected '{}')", origin_text,
                                     (*stream)->alpn_protocol()));
  }
  PK_CO_ASSIGN_OR_RETURN(auto session, Http2Session::create(std::move(stream).value(), origin, options));
  Http2Session::start(session);
  // Until the connection is handed out, a failure or a cancellation of ours must not leave the loops running.
  net::ScopeExit abort_unless_kept([&session] {
    session->abort(make_error(ErrorCode::kCancelled, session->origin_text() + ": HTTP/2 connect abandoned"));
  });
  auto handshaking = session->handshake();
  auto bounded =
      net::with_timeout(std::move(handshaking), options.connect_timeout, "HTTP/2 handshake with " + origin_text);
  PK_CO_TRY(co_await std::move(bounded));
  abort_unless_kept.dismiss();
  co_return std::make_shared<Http2Connection>(std::move(session), std::move(origin), std::move(options));
}

Http2Connection::Http2Connection(std::shared_ptr<Http2Session> session, Url origin, ClientOptions options)
    : session_(std::move(session)), origin_(std::move(origin)), options_(std::move(options)) {}

Http2Connection::~Http2Connection() {
  // Our reference goes to the loop with the close: the last holder may let go on any thread, and the session (its
  // task group, its nghttp2 state) must be torn down on its own loop, never under a task finishing there.
  const auto executor = session_->executor();
  asio::dispatch(executor, [session = std::move(session_)] { session->close(); });
}

asio::any_io_executor Http2Connection::executor() const {
  return session_->executor();
}

bool Http2Connection::usable() const {
  return session_->usable();
}

size_t Http2Connection::open_streams() const {
  return session_->open_streams();
}

void Http2Connection::close() {
  asio::dispatch(session_->executor(), [session = session_] { session->close(); });
}

asio::awaitable<void> Http2Connection::shutdown() {
  auto stopping = shutdown_on_loop(session_, options_.request_timeout);
  auto hop = net::on_loop(session_->executor(), std::move(stopping));
  co_await std::move(hop);
}

asio::awaitable<Result<std::unique_ptr<Http2Stream>>> Http2Connection::open(const Request& request) {
  auto opening = open_on_loop(shared_from_this(), &request);
  auto hop = net::on_loop(session_->executor(), std::move(opening));
  co_return co_await std::move(hop);
}

asio::awaitable<Result<std::unique_ptr<Http2Stream>>> Http2Connection::open_on_loop(
    std::shared_ptr<Http2Connection> self, const Request* request) {
  PK_CO_ASSIGN_OR_RETURN(auto state, self->session_->submit(*request));
  auto stream = std::make_unique<Http2Stream>(self, state);  // cancels the stream if we give up below
  auto waiting = wait_for_headers(state);
  auto bounded = net::with_timeout(std::move(waiting), self->options_.request_timeout,
                                   state->what + ": waiting for the response headers");
  PK_CO_TRY(co_await std::move(bounded));
  co_return stream;
}

asio::awaitable<Status> Http2Connection::ping() {
  auto pinging = ping_on_loop(session_);
  auto bounded = net::with_timeout(std::move(pinging), options_.request_timeout, "HTTP/2 PING to " + origin_.origin());
  auto hop = net::on_loop(session_->executor(), std::move(bounded));
  co_return co_await std::move(hop);
}

}  // namespace pk::http
