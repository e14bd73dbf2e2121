#include "http/http_server.h"

#include <charconv>
#include <future>
#include <list>

#include <fmt/format.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include "common/log.h"
#include "net/on_loop.h"
#include "net/signal.h"

namespace pk::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

struct HttpServer::State {
  State(asio::any_io_executor ex, ServerOptions opts, RequestHandler h)
      : executor(ex), acceptor(ex), options(opts), handler(std::move(h)), changed(ex) {}

  asio::any_io_executor executor;
  tcp::acceptor acceptor;
  ServerOptions options;
  RequestHandler handler;
  ServerStats stats;
  std::string address;                    // for logs
  std::list<beast::tcp_stream*> streams;  // the open connections, closed by stop()
  bool accepting = false;
  bool stopping = false;
  net::Signal changed;  // a connection or the accept loop ended (stop() waits on it)
};

namespace {

using State = HttpServer::State;

auto logger_http() {
  static auto log = logger("http");
  return log;
}

// Logs a coroutine that ended by an exception (a bug: our code reports errors as values).
void log_exception(std::exception_ptr e) {
  if (!e) return;
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& ex) {
    logger_http()->error("admin HTTP connection ended by an exception: {}", ex.what());
  } catch (...) {
    logger_http()->error("admin HTTP connection ended by an unknown exception");
  }
}

bool is_parse_error(const boost::system::error_code& ec) {
  return ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category() &&
         ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message;
}

int status_for_parse_error(const boost::system::error_code& ec) {
  if (ec == bhttp::error::header_limit) return 431;
  if (ec == bhttp::error::body_limit) return 413;
  return 400;
}

Response plain(int status, std::string body) {
  return Response{
      .status = status, .headers = {{"Content-Type", "text/plain; charset=utf-8"}}, .body = std::move(body)};
}

Request to_request(bhttp::request<bhttp::string_body>& in) {
  Request out;
  out.method = std::string(in.method_string());
  out.target = std::string(in.target());
  out.headers.reserve(static_cast<size_t>(std::distance(in.begin(), in.end())));
  for (const auto& field : in) out.headers.push_back({std::string(field.name_string()), std::string(field.value())});
  out.body = std::move(in.body());
  return out;
}

// Writes `response` (no body for HEAD, with the body's Content-Length; the body is moved out); false when the
// connection failed.
asio::awaitable<bool> write_response(beast::tcp_stream& stream, const State& state, Response& response, bool head,
                                     bool keep_alive) {
  bhttp::response<bhttp::string_body> out;
  out.version(11);
  out.result(static_cast<unsigned>(response.status));
  for (const Header& h : response.headers) out.insert(h.name, h.value);
  out.keep_alive(keep_alive);
  if (head) {
    out.content_length(response.body.size());
  } else {
    out.body() = std::move(response.body);
    out.prepare_payload();
  }
  stream.expires_after(state.options.write_timeout);
  auto [ec, n] = co_await bhttp::async_write(stream, out, asio::as_tuple(asio::use_awaitable));
  co_return !ec;
}

// A connection's entry in the server's list, removed however the connection ends (an exception included), so that
// stop() never waits for a connection that is gone.
class OpenConnection {
 public:
  OpenConnection(State& state, beast::tcp_stream& stream)
      : state_(state), entry_(state.streams.insert(state.streams.end(), &stream)) {}
  ~OpenConnection() {
    state_.streams.erase(entry_);
    state_.stats.open_connections.fetch_sub(1, std::memory_order_relaxed);
    state_.changed.notify();
  }
  OpenConnection(const OpenConnection&) = delete;
  OpenConnection& operator=(const OpenConnection&) = delete;

 private:
  State& state_;
  std::list<beast::tcp_stream*>::iterator entry_;
};

// Closes the listener and every connection (their pending reads and writes end with operation_aborted).
void close_all(State& state) {
  state.stopping = true;
  boost::system::error_code ignored;
  state.acceptor.close(ignored);
  for (beast::tcp_stream* stream : state.streams) stream->socket().close(ignored);
}

// Serves one connection until the client closes it, a request says close, an error or stop().
asio::awaitable<void> serve(std::shared_ptr<State> state, tcp::socket socket) {
  beast::tcp_stream stream(std::move(socket));
  const OpenConnection open(*state, stream);
  beast::flat_buffer buffer;
  bool first = true;
  while (!state->stopping) {
    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(static_cast<uint32_t>(state->options.max_header_bytes));
    parser.body_limit(state->options.max_body_bytes);
    stream.expires_after(first ? state->options.read_timeout : state->options.idle_timeout);
    auto [ec, n] = co_await bhttp::async_read(stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
    if (ec) {
      if (is_parse_error(ec) && !state->stopping) {
        state->stats.requests.fetch_add(1, std::memory_order_relaxed);
        logger_http()->debug("admin HTTP: refused a request: {}", ec.message());
        Response refusal = plain(status_for_parse_error(ec), ec.message() + "\n");
        co_await write_response(stream, *state, refusal, false, false);
      }
      break;
    }
    first = false;
    bhttp::request<bhttp::string_body> message = parser.release();
    const bool head = message.method() == bhttp::verb::head;
    const bool keep_alive = message.keep_alive();
    Request request = to_request(message);
    const bool origin_form = request.target.starts_with('/');
    Response response =
        origin_form ? state->handler(request) : plain(400, "the request target must be a path (origin-form)\n");
    state->stats.requests.fetch_add(1, std::memory_order_relaxed);
    logger_http()->debug("admin HTTP: {} {} -> {}", request.method, target_for_log(request.target), response.status);
    const bool keep = keep_alive && origin_form && !state->stopping;
    const bool written = co_await write_response(stream, *state, response, head, keep);
    if (!written || !keep) break;
  }
  boost::system::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  stream.close();
}

// Tells a client over the connection limit so, and closes. The answer is tiny and the socket new: the write does not
// block.
void refuse(tcp::socket socket) {
  static constexpr std::string_view kBusy =
      "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nContent-Length: 21\r\nConnection: close\r\n\r\n"
      "too many connections\n";
  boost::system::error_code ignored;
  asio::write(socket, asio::buffer(kBusy), ignored);
  socket.shutdown(tcp::socket::shutdown_send, ignored);
  socket.close(ignored);
}

asio::awaitable<void> accept_loop(std::shared_ptr<State> state) {
  while (!state->stopping) {
    auto [ec, socket] = co_await state->acceptor.async_accept(asio::as_tuple(asio::use_awaitable));
    if (state->stopping) break;
    if (ec) {
      if (ec == asio::error::operation_aborted) break;
      // Out of file descriptors and the like: say so, and do not spin.
      logger_http()->warn("admin HTTP {}: accept failed: {}", state->address, ec.message());
      asio::steady_timer pause(state->executor, std::chrono::milliseconds(100));
      co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
      continue;
    }
    if (state->stats.open_connections.load() >= state->options.max_connections) {
      state->stats.connections_refused.fetch_add(1, std::memory_order_relaxed);
      refuse(std::move(socket));
      continue;
    }
    state->stats.connections_accepted.fetch_add(1, std::memory_order_relaxed);
    state->stats.open_connections.fetch_add(1, std::memory_order_relaxed);
    asio::co_spawn(state->executor, serve(state, std::move(socket)), log_exception);
  }
  state->accepting = false;
  state->changed.notify();
}

// On the server's loop: closes the listener and every connection, then waits until all have ended.
asio::awaitable<Status> stop_on_loop(std::shared_ptr<State> state) {
  if (!state->stopping) close_all(*state);
  while (state->accepting || !state->streams.empty()) co_await state->changed.wait();
  co_return ok_status();
}

Result<tcp::endpoint> endpoint_of(const ListenAddress& address) {
  boost::system::error_code ec;
  const auto ip = asio::ip::make_address(address.host, ec);
  if (ec) {
    return make_error(ErrorCode::kInvalidArgument,
                      fmt::format("listen address '{}': '{}' is not an IP address", address.to_string(), address.host));
  }
  return tcp::endpoint(ip, address.port);
}

}  // namespace

// ---- ListenAddress

std::string ListenAddress::to_string() const {
  if (host.find(':') != std::string::npos) return fmt::format("[{}]:{}", host, port);
  return fmt::format("{}:{}", host, port);
}

Result<ListenAddress> ListenAddress::parse(std::string_view text) {
  auto bad = [&](std::string_view why) {
    return make_error(
        ErrorCode::kInvalidArgument,
        fmt::format("listen address '{}': {} (expected host:port, e.g. 127.0.0.1:9100 or [::1]:9100)", text, why));
  };
  std::string_view host;
  std::string_view port_text;
  if (text.starts_with('[')) {
    const size_t close = text.find(']');
    if (close == std::string_view::npos || text.substr(close + 1, 1) != ":")
      return bad("an IPv6 host needs [host]:port");
    host = text.substr(1, close - 1);
    port_text = text.substr(close + 2);
  } else {
    const size_t colon = text.rfind(':');
    if (colon == std::string_view::npos) return bad("no port");
    host = text.substr(0, colon);
    port_text = text.substr(colon + 1);
    if (host.find(':') != std::string_view::npos) return bad("put an IPv6 host in brackets");
  }
  if (host.empty()) return bad("no host");
  unsigned port = 0;
  const auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (port_text.empty() || ec != std::errc() || end != port_text.data() + port_text.size() || port > 65535) {
    return bad("the port must be a number from 0 to 65535");
  }
  ListenAddress out{.host = host == "localhost" ? "127.0.0.1" : std::string(host), .port = static_cast<uint16_t>(port)};
  boost::system::error_code parse_error;
  asio::ip::make_address(out.host, parse_error);
  if (parse_error) return bad("the host must be an IP address or localhost");
  return out;
}

// ---- HttpServer

std::string_view target_path(std::string_view target) {
  return target.substr(0, target.find('?'));
}

HttpServer::HttpServer(std::shared_ptr<State> state, ListenAddress address)
    : state_(std::move(state)), address_(std::move(address)) {}

Result<std::shared_ptr<HttpServer>> HttpServer::start(asio::any_io_executor executor, const ListenAddress& address,
                                                      ServerOptions options, RequestHandler handler) {
  PK_ASSIGN_OR_RETURN(const tcp::endpoint endpoint, endpoint_of(address));
  auto state = std::make_shared<State>(executor, options, std::move(handler));
  state->address = address.to_string();
  boost::system::error_code ec;
  auto failed = [&](std::string_view step) {
    return make_error(ErrorCode::kUnavailable,
                      fmt::format("cannot listen on {}: {} ({})", address.to_string(), ec.message(), step));
  };
  state->acceptor.open(endpoint.protocol(), ec);
  if (ec) return failed("socket");
  state->acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (ec) return failed("SO_REUSEADDR");
  state->acceptor.bind(endpoint, ec);
  if (ec) return failed("bind");
  state->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return failed("listen");
  ListenAddress bound = address;
  bound.port = state->acceptor.local_endpoint(ec).port();
  state->address = bound.to_string();
  state->accepting = true;
  asio::co_spawn(executor, accept_loop(state), log_exception);
  logger_http()->info("admin HTTP endpoint listening on http://{}/", state->address);
  return std::make_shared<HttpServer>(std::move(state), std::move(bound));
}

HttpServer::~HttpServer() {
  // Not stopped by its owner: close everything on the loop without waiting (the coroutines hold the state).
  asio::post(state_->executor, [state = state_] {
    if (!state->stopping) close_all(*state);
  });
}

const ServerStats& HttpServer::stats() const {
  return state_->stats;
}

asio::awaitable<void> HttpServer::stop() {
  auto stopping = net::on_loop(state_->executor, stop_on_loop(state_));
  Status done = co_await std::move(stopping);
  (void)done;
}

void HttpServer::stop_blocking() {
  std::promise<void> stopped;
  asio::co_spawn(state_->executor, stop_on_loop(state_), [&](std::exception_ptr e, Status) {
    log_exception(e);
    stopped.set_value();
  });
  stopped.get_future().wait();
}

}  // namespace pk::http
