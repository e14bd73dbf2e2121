#include "fake_http_server.h"

#include <algorithm>
#include <condition_variable>
#include <future>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>
#include <thread>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/string_body.hpp>

namespace pk::testing {
namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using asio::ip::tcp;
using pk::http::Header;
using pk::http::iequals;

namespace {
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

Reply with_type(std::string body, int code, std::string type) {
  Reply r;
  r.status_code = code;
  r.body = std::move(body);
  r.headers.push_back(Header{"Content-Type", std::move(type)});
  return r;
}

}  // namespace

// ---- RecordedRequest / Reply ---------------------------------------------------------------------------------

std::string RecordedRequest::header(std::string_view name) const {
  for (const auto& h : headers) {
    if (iequals(h.name, name)) return h.value;
  }
  return {};
}

bool RecordedRequest::has_header(std::string_view name) const {
  return std::any_of(headers.begin(), headers.end(), [&](const Header& h) { return iequals(h.name, name); });
}

Reply Reply::status(int code, std::string body) {
  Reply r;
  r.status_code = code;
  r.body = std::move(body);
  return r;
}
Reply Reply::json(std::string body, int code) {
  return with_type(std::move(body), code, "application/json");
}
Reply Reply::text(std::string body, int code) {
  return with_type(std::move(body), code, "text/plain");
}
Reply Reply::xml(std::string body, int code) {
  return with_type(std::move(body), code, "text/xml");
}
Reply Reply::close_without_answer() {
  Reply r;
  r.kind = Kind::kCloseWithoutAnswer;
  return r;
}
Reply Reply::close_mid_response(std::string body) {
  Reply r;
  r.kind = Kind::kCloseMidResponse;
  r.body = std::move(body);
  return r;
}
Reply Reply::reset_mid_response(std::string body) {
  Reply r;
  r.kind = Kind::kResetMidResponse;
  r.body = std::move(body);
  return r;
}
Reply& Reply::header(std::string name, std::string value) {
  headers.push_back(Header{std::move(name), std::move(value)});
  return *this;
}
Reply& Reply::after(std::chrono::milliseconds d) {
  delay = d;
  return *this;
}
Reply& Reply::chunked(size_t piece_bytes) {
  chunk_size = std::max<size_t>(1, piece_bytes);
  return *this;
}
Reply& Reply::close_connection() {
  close = true;
  return *this;
}

// ---- shared state ----------------------------------------------------------------------------------------------

struct FakeHttpServer::Route::State {
  std::string method;
  std::string path;
  mutable std::mutex mu;
  std::vector<Handler> steps;
  size_t next = 0;
  size_t hits = 0;

  bool matches(const RecordedRequest& r) const {
    if (method != "*" && method != r.method) return false;
    return path.find('?') != std::string::npos ? path == r.target : path == r.path;
  }
  // The handler for the next request (copied out so that it runs without the lock).
  Handler take_step() {
    std::lock_guard lock(mu);
    ++hits;
    if (steps.empty()) return [](const RecordedRequest&) { return Reply::status(500, "fake route has no reply"); };
    Handler h = steps[std::min(next, steps.size() - 1)];
    if (next < steps.size()) ++next;
    return h;
  }
};

FakeHttpServer::Route& FakeHttpServer::Route::then_return(Reply reply) {
  return then_handle([reply = std::move(reply)](const RecordedRequest&) { return reply; });
}

FakeHttpServer::Route& FakeHttpServer::Route::then_handle(Handler handler) {
  std::lock_guard lock(state_->mu);
  state_->steps.push_back(std::move(handler));
  return *this;
}

size_t FakeHttpServer::Route::hits() const {
  std::lock_guard lock(state_->mu);
  return state_->hits;
}

// Everything the connection coroutines share with the test thread. Held by shared_ptr from each coroutine, so
// it outlives them however the loop is torn down. No Asio objects in here.
struct FakeHttpServer::State {
  Options options;
  TestCertificates certs;
  uint16_t port = 0;

  mutable std::mutex mu;
  mutable std::condition_variable changed;
  std::vector<std::shared_ptr<Route::State>> routes;
  std::vector<RecordedRequest> log;
  uint64_t accepted = 0;
  size_t open = 0;
  size_t in_flight = 0;
  size_t peak = 0;

  // Loop only: the connections, to close the idle ones on request.
  struct Connection {
    tcp::socket* socket;
    bool busy = false;
    bool close_when_answered = false;
  };
  std::map<uint64_t, Connection> connections;
  std::set<uint64_t> open_ids;  // under mu: the connections whose coroutines still run

  Handler route_for(const RecordedRequest& r) {
    std::shared_ptr<Route::State> found;
    {
      std::lock_guard lock(mu);
      for (auto it = routes.rbegin(); it != routes.rend(); ++it) {
        if ((*it)->matches(r)) {
          found = *it;
          break;
        }
      }
    }
    if (!found) {
      return [](const RecordedRequest& req) {
        return Reply::text("fake server: no route for " + req.method + " " + req.target, 404);
      };
    }
    return found->take_step();
  }
};

// ---- serving ---------------------------------------------------------------------------------------------------

namespace {

std::string response_head(const Reply& reply, bool chunked, bool close) {
  std::string head = "HTTP/1.1 " + std::to_string(reply.status_code) + " ";
  const auto reason = bhttp::obsolete_reason(static_cast<bhttp::status>(reply.status_code));
  head.append(reason.data(), reason.size());
  head += "\r\n";
  for (const auto& h : reply.headers) head += h.name + ": " + h.value + "\r\n";
  if (chunked) {
    head += "Transfer-Encoding: chunked\r\n";
  } else {
    head += "Content-Length: " + std::to_string(reply.body.size()) + "\r\n";
  }
  if (close) head += "Connection: close\r\n";
  head += "\r\n";
  return head;
}

template <typename Stream>
asio::awaitable<bool> write(Stream& stream, std::string_view bytes) {
  auto [ec, n] = co_await asio::async_write(stream, asio::buffer(bytes.data(), bytes.size()), kTuple);
  (void)n;
  co_return !ec;
}

// Answers one request; returns false when the connection must end.
template <typename Stream>
asio::awaitable<bool> answer(Stream& stream, const Reply& reply, bool head_request, bool client_keep_alive) {
  auto& socket = stream.lowest_layer();
  boost::system::error_code ignored;
  if (reply.delay.count() > 0) {
    asio::steady_timer timer(socket.get_executor(), reply.delay);
    co_await timer.async_wait(kTuple);
  }
  switch (reply.kind) {
    case Reply::Kind::kCloseWithoutAnswer:
      socket.shutdown(tcp::socket::shutdown_both, ignored);
      socket.close(ignored);
      co_return false;
    case Reply::Kind::kCloseMidResponse:
    case Reply::Kind::kResetMidResponse: {
      std::string partial = response_head(reply, false, false);
      partial += reply.body.substr(0, reply.body.size() / 2);
      co_await write(stream, partial);
      if (reply.kind == Reply::Kind::kResetMidResponse) {
        socket.set_option(asio::socket_base::linger(true, 0), ignored);  // close() then sends RST
      } else {
        socket.shutdown(tcp::socket::shutdown_both, ignored);
      }
      socket.close(ignored);
      co_return false;
    }
    case Reply::Kind::kRespond:
      break;
  }
  const bool close = reply.close || !client_keep_alive;
  const bool chunked = reply.chunk_size > 0 && !head_request;
  const std::string head = response_head(reply, chunked, close);
  bool ok = true;
  if (head_request) {
    ok = co_await write(stream, head);
  } else if (!chunked) {
    std::string all = head + reply.body;
    ok = co_await write(stream, all);
  } else {
    ok = co_await write(stream, head);
    for (size_t at = 0; ok && at < reply.body.size(); at += reply.chunk_size) {
      const std::string_view piece = std::string_view(reply.body).substr(at, reply.chunk_size);
      char size_line[32];
      const int len = std::snprintf(size_line, sizeof size_line, "%zx\r\n", piece.size());
      std::string chunk(size_line, static_cast<size_t>(len));
      chunk.append(piece);
      chunk += "\r\n";
      ok = co_await write(stream, chunk);
    }
    if (ok) ok = co_await write(stream, "0\r\n\r\n");
  }
  if (!ok || close) {
    socket.shutdown(tcp::socket::shutdown_both, ignored);
    socket.close(ignored);
    co_return false;
  }
  co_return true;
}

template <typename Stream>
asio::awaitable<void> serve_requests(std::shared_ptr<FakeHttpServer::State> state, Stream& stream, uint64_t id) {
  boost::beast::flat_buffer buffer;
  for (;;) {
    bhttp::request_parser<bhttp::string_body> parser;
    parser.body_limit(std::uint64_t{1} << 32);
    parser.header_limit(1 << 20);
    auto [ec, n] = co_await bhttp::async_read(stream, buffer, parser, kTuple);
    (void)n;
    if (ec) co_return;  // the client closed, or we closed an idle connection
    state->connections[id].busy = true;

    auto message = parser.release();
    RecordedRequest request;
    request.method = std::string(message.method_string());
    request.target = std::string(message.target());
    request.path = request.target.substr(0, request.target.find('?'));
    for (const auto& f : message)
      request.headers.push_back(Header{std::string(f.name_string()), std::string(f.value())});
    if (state->options.record_bodies) request.body = std::move(message.body());
    request.connection = id;
    const bool keep_alive = message.keep_alive();
    const bool head_request = request.method == "HEAD";
    Handler handler = state->route_for(request);
    Reply reply = handler(request);
    {
      std::lock_guard lock(state->mu);
      state->log.push_back(std::move(request));
      ++state->in_flight;
      state->peak = std::max(state->peak, state->in_flight);
    }
    state->changed.notify_all();
    const bool more = co_await answer(stream, reply, head_request, keep_alive);
    {
      std::lock_guard lock(state->mu);
      --state->in_flight;
    }
    if (!more) co_return;
    auto& self = state->connections[id];
    if (self.close_when_answered) {
      boost::system::error_code ignored;
      self.socket->shutdown(tcp::socket::shutdown_both, ignored);
      self.socket->close(ignored);
      co_return;
    }
    self.busy = false;
  }
}

asio::awaitable<void> serve_connection(std::shared_ptr<FakeHttpServer::State> state, tcp::socket socket,
                                       asio::ssl::context* tls, uint64_t id) {
  // Registered for close_idle_connections(); the guard unregisters however the coroutine ends.
  struct Registration {
    FakeHttpServer::State* state;
    uint64_t id;
    ~Registration() {
      state->connections.erase(id);
      {
        std::lock_guard lock(state->mu);
        --state->open;
        state->open_ids.erase(id);
      }
      state->changed.notify_all();
    }
  } registration{state.get(), id};

  if (tls == nullptr) {
    state->connections[id] = FakeHttpServer::State::Connection{&socket};
    auto serving = serve_requests(state, socket, id);
    co_await std::move(serving);
    co_return;
  }
  asio::ssl::stream<tcp::socket> stream(std::move(socket), *tls);
  state->connections[id] = FakeHttpServer::State::Connection{&stream.next_layer()};
  auto [ec] = co_await stream.async_handshake(asio::ssl::stream_base::server, kTuple);
  if (ec) co_return;
  auto serving = serve_requests(state, stream, id);
  co_await std::move(serving);
}

asio::awaitable<void> accept_loop(std::shared_ptr<FakeHttpServer::State> state, tcp::acceptor* acceptor,
                                  asio::ssl::context* tls) {
  for (;;) {
    auto [ec, socket] = co_await acceptor->async_accept(kTuple);
    if (ec) co_return;
    boost::system::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);  // chunked replies go out in small writes
    uint64_t id = 0;
    {
      std::lock_guard lock(state->mu);
      id = ++state->accepted;
      ++state->open;
      state->open_ids.insert(id);
    }
    state->changed.notify_all();
    asio::co_spawn(acceptor->get_executor(), serve_connection(state, std::move(socket), tls, id), asio::detached);
  }
}

}  // namespace

// ---- FakeHttpServer --------------------------------------------------------------------------------------------

FakeHttpServer::FakeHttpServer() : FakeHttpServer(Options{}) {}

FakeHttpServer::FakeHttpServer(Options options) : state_(std::make_shared<State>()) {
  state_->options = std::move(options);
  loop_ = std::make_unique<ServerLoop>(state_->options.tls, state_->options.certificate_names, "http/1.1");
  state_->certs = loop_->certificates();
  state_->port = loop_->port();
  asio::co_spawn(loop_->io(), accept_loop(state_, &loop_->acceptor(), loop_->tls()), asio::detached);
  loop_->start();
}

FakeHttpServer::~FakeHttpServer() {
  loop_->stop([this] {
    boost::system::error_code ignored;
    for (auto& [id, c] : state_->connections) c.socket->close(ignored);
  });
}

uint16_t FakeHttpServer::port() const {
  return state_->port;
}

std::string FakeHttpServer::url() const {
  return (state_->options.tls ? "https://127.0.0.1:" : "http://127.0.0.1:") + std::to_string(state_->port);
}

const TestCertificates& FakeHttpServer::certificates() const {
  if (!state_->options.tls) throw std::logic_error("FakeHttpServer: certificates() of a plain server");
  return state_->certs;
}

FakeHttpServer::Route& FakeHttpServer::when(std::string method, std::string path) {
  auto route_state = std::make_shared<Route::State>();
  route_state->method = std::move(method);
  route_state->path = std::move(path);
  std::lock_guard lock(state_->mu);
  state_->routes.push_back(route_state);
  routes_.push_back(std::unique_ptr<Route>(new Route(std::move(route_state))));
  return *routes_.back();
}

void FakeHttpServer::clear_routes() {
  std::lock_guard lock(state_->mu);
  state_->routes.clear();  // Route references handed out stay valid (routes_) but no longer match
}

std::vector<RecordedRequest> FakeHttpServer::requests() const {
  std::lock_guard lock(state_->mu);
  return state_->log;
}

size_t FakeHttpServer::request_count() const {
  std::lock_guard lock(state_->mu);
  return state_->log.size();
}

void FakeHttpServer::clear_requests() {
  std::lock_guard lock(state_->mu);
  state_->log.clear();
}

bool FakeHttpServer::wait_for_requests(size_t n, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(state_->mu);
  return state_->changed.wait_for(lock, timeout, [&] { return state_->log.size() >= n; });
}

size_t FakeHttpServer::connections_accepted() const {
  std::lock_guard lock(state_->mu);
  return state_->accepted;
}

size_t FakeHttpServer::open_connections() const {
  std::lock_guard lock(state_->mu);
  return state_->open;
}

size_t FakeHttpServer::max_concurrent_requests() const {
  std::lock_guard lock(state_->mu);
  return state_->peak;
}

void FakeHttpServer::close_idle_connections() {
  std::vector<uint64_t> ids;
  loop_->run_and_wait([&] {
    boost::system::error_code ignored;
    for (auto& [id, c] : state_->connections) {
      ids.push_back(id);
      if (c.busy) {
        c.close_when_answered = true;  // answering a request that came in just now: close right after it
      } else {
        c.socket->shutdown(tcp::socket::shutdown_both, ignored);
        c.socket->close(ignored);
      }
    }
  });
  // Wait until their coroutines have ended, so that open_connections() is settled when we return.
  std::unique_lock lock(state_->mu);
  state_->changed.wait_for(lock, std::chrono::seconds(10), [&] {
    return std::none_of(ids.begin(), ids.end(), [&](uint64_t id) { return state_->open_ids.count(id) > 0; });
  });
}

}  // namespace pk::testing
