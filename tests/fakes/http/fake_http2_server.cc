#include "fake_http2_server.h"

#include <nghttp2/nghttp2.h>

#include <algorithm>
#include <cctype>
#include <condition_variable>
#include <future>
#include <map>
#include <mutex>
#include <optional>
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

#include "net/byte_stream.h"
#include "net/signal.h"

namespace pk::testing {
namespace asio = boost::asio;
using asio::ip::tcp;
using pk::http::Header;

namespace {
constexpr auto kAsTuple = asio::as_tuple(asio::use_awaitable);

std::string_view view(const uint8_t* p, size_t n) {
  return {reinterpret_cast<const char*>(p), n};
}

nghttp2_nv nv(const std::string& name, const std::string& value) {
  return nghttp2_nv{reinterpret_cast<uint8_t*>(const_cast<char*>(name.data())),
                    reinterpret_cast<uint8_t*>(const_cast<char*>(value.data())), name.size(), value.size(),
                    NGHTTP2_NV_FLAG_NONE};
}

using StreamKey = std::pair<uint64_t, int32_t>;

}  // namespace

std::string H2Request::header(std::string_view name) const {
  for (const auto& h : headers) {
    if (pk::http::iequals(h.name, name)) return h.value;
  }
  return {};
}

H2Reply H2Reply::text(std::string body, int status) {
  H2Reply r;
  r.status = status;
  r.body = std::move(body);
  r.headers.push_back(Header{"content-type", "text/plain"});
  return r;
}
H2Reply& H2Reply::header(std::string name, std::string value) {
  headers.push_back(Header{std::move(name), std::move(value)});
  return *this;
}
H2Reply& H2Reply::after(std::chrono::milliseconds d) {
  delay = d;
  return *this;
}
H2Reply& H2Reply::keep_open() {
  end_stream = false;
  return *this;
}
H2Reply& H2Reply::reset_with(uint32_t error_code) {
  reset = error_code;
  return *this;
}

// Shared with the connection coroutines; observations under `mu`.
struct FakeHttp2Server::State {
  Options options;
  TestCertificates certs;
  uint16_t port = 0;

  mutable std::mutex mu;
  mutable std::condition_variable changed;
  std::function<H2Reply(const H2Request&)> handler;
  std::vector<H2Request> log;
  uint64_t accepted = 0;
  std::map<StreamKey, size_t> sent;
  std::map<StreamKey, uint32_t> resets;
  size_t pings_acked = 0;

  struct Connection;
  std::map<uint64_t, std::weak_ptr<Connection>> connections;  // loop only

  template <typename F>
  void update(F f) {
    {
      std::lock_guard lock(mu);
      f();
    }
    changed.notify_all();
  }
};

// One client connection: an nghttp2 server session over a ByteStream. Loop only.
struct FakeHttp2Server::State::Connection {
  struct Stream {
    H2Request request;
    std::string pending;  // response body not yet handed to nghttp2
    size_t offset = 0;
    bool end_after = true;
    bool deferred = false;
  };

  uint64_t id = 0;
  std::shared_ptr<State> state;
  std::unique_ptr<net::ByteStream> socket;
  nghttp2_session* session = nullptr;
  pk::net::Signal write_signal;
  std::map<int32_t, Stream> streams;
  bool dead = false;

  Connection(uint64_t i, std::shared_ptr<State> s, std::unique_ptr<net::ByteStream> sock)
      : id(i), state(std::move(s)), socket(std::move(sock)), write_signal(socket->get_executor()) {}
  ~Connection() {
    if (session != nullptr) nghttp2_session_del(session);
  }
  void wake() { write_signal.notify(); }
  void drop() {
    dead = true;
    socket->close();
    wake();
  }

  static Connection& self(void* p) { return *static_cast<Connection*>(p); }

  static int on_begin_headers(nghttp2_session*, const nghttp2_frame* frame, void* p) {
    if (frame->hd.type == NGHTTP2_HEADERS && frame->headers.cat == NGHTTP2_HCAT_REQUEST) {
      Stream& s = self(p).streams[frame->hd.stream_id];
      s.request.connection = self(p).id;
      s.request.stream = frame->hd.stream_id;
    }
    return 0;
  }

  static int on_header(nghttp2_session*, const nghttp2_frame* frame, const uint8_t* name, size_t namelen,
                       const uint8_t* value, size_t valuelen, uint8_t, void* p) {
    auto it = self(p).streams.find(frame->hd.stream_id);
    if (it == self(p).streams.end()) return 0;
    H2Request& r = it->second.request;
    const std::string n(view(name, namelen));
    std::string v(view(value, valuelen));
    if (n == ":method") {
      r.method = std::move(v);
    } else if (n == ":path") {
      r.path = std::move(v);
    } else if (n == ":authority") {
      r.authority = std::move(v);
    } else if (n == ":scheme") {
      r.scheme = std::move(v);
    } else {
      r.headers.push_back(Header{n, std::move(v)});
    }
    return 0;
  }

  static int on_data_chunk(nghttp2_session*, uint8_t, int32_t stream_id, const uint8_t* data, size_t len, void* p) {
    auto it = self(p).streams.find(stream_id);
    if (it != self(p).streams.end()) it->second.request.body.append(view(data, len));
    return 0;
  }

  static int on_frame_recv(nghttp2_session*, const nghttp2_frame* frame, void* p) {
    Connection& c = self(p);
    switch (frame->hd.type) {
      case NGHTTP2_HEADERS:
      case NGHTTP2_DATA:
        if ((frame->hd.flags & NGHTTP2_FLAG_END_STREAM) != 0) c.on_request(frame->hd.stream_id);
        break;
      case NGHTTP2_RST_STREAM:
        c.state->update([&] { c.state->resets[{c.id, frame->hd.stream_id}] = frame->rst_stream.error_code; });
        break;
      case NGHTTP2_PING:
        if ((frame->hd.flags & NGHTTP2_FLAG_ACK) != 0) c.state->update([&] { ++c.state->pings_acked; });
        break;
      default:
        break;
    }
    return 0;
  }

  static int on_stream_close(nghttp2_session*, int32_t stream_id, uint32_t, void* p) {
    self(p).streams.erase(stream_id);
    return 0;
  }

  static ssize_t read_body(nghttp2_session*, int32_t stream_id, uint8_t* buf, size_t length, uint32_t* flags,
                           nghttp2_data_source*, void* p) {
    Connection& c = self(p);
    auto it = c.streams.find(stream_id);
    if (it == c.streams.end()) return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;
    Stream& s = it->second;
    const size_t n = std::min(length, s.pending.size() - s.offset);
    std::copy_n(s.pending.data() + s.offset, n, buf);
    s.offset += n;
    if (s.offset == s.pending.size()) {
      s.pending.clear();
      s.offset = 0;
    }
    if (n > 0) c.state->update([&] { c.state->sent[{c.id, stream_id}] += n; });
    if (s.pending.empty()) {
      if (s.end_after) {
        *flags |= NGHTTP2_DATA_FLAG_EOF;
      } else if (n == 0) {
        s.deferred = true;  // send_data() resumes it
        return NGHTTP2_ERR_DEFERRED;
      }
    }
    return static_cast<ssize_t>(n);
  }

  void on_request(int32_t stream_id) {
    auto it = streams.find(stream_id);
    if (it == streams.end()) return;
    const H2Request request = it->second.request;
    std::function<H2Reply(const H2Request&)> handler;
    state->update([&] {
      state->log.push_back(request);
      handler = state->handler;
    });
    H2Reply reply = handler ? handler(request) : H2Reply::text("no handler", 404);
    if (reply.delay.count() == 0) {
      respond(stream_id, reply);
      return;
    }
    auto keep = state->connections[id].lock();
    asio::co_spawn(socket->get_executor(), delayed(keep, stream_id, std::move(reply)), asio::detached);
  }

  static asio::awaitable<void> delayed(std::shared_ptr<Connection> c, int32_t stream_id, H2Reply reply) {
    asio::steady_timer timer(c->socket->get_executor(), reply.delay);
    co_await timer.async_wait(kAsTuple);
    c->respond(stream_id, reply);
  }

  void respond(int32_t stream_id, const H2Reply& reply) {
    auto it = streams.find(stream_id);
    if (dead || it == streams.end()) return;
    const std::string status = std::to_string(reply.status);
    std::vector<std::string> names;
    names.reserve(reply.headers.size());
    std::vector<nghttp2_nv> nva;
    const std::string status_name = ":status";
    nva.push_back(nv(status_name, status));
    for (const auto& h : reply.headers) {
      names.push_back(h.name);
      std::transform(names.back().begin(), names.back().end(), names.back().begin(), ::tolower);
      nva.push_back(nv(names.back(), h.value));
    }
    if (reply.reset) {
      nghttp2_submit_headers(session, NGHTTP2_FLAG_NONE, stream_id, nullptr, nva.data(), nva.size(), nullptr);
      nghttp2_submit_rst_stream(session, NGHTTP2_FLAG_NONE, stream_id, *reply.reset);
    } else if (reply.body.empty() && reply.end_stream) {
      nghttp2_submit_response(session, stream_id, nva.data(), nva.size(), nullptr);
    } else {
      it->second.pending = reply.body;
      it->second.end_after = reply.end_stream;
      nghttp2_data_provider body;
      body.source.ptr = nullptr;
      body.read_callback = &read_body;
      nghttp2_submit_response(session, stream_id, nva.data(), nva.size(), &body);
    }
    wake();
  }

  static asio::awaitable<void> read_loop(std::shared_ptr<Connection> c) {
    std::vector<uint8_t> buffer(64 * 1024);
    while (!c->dead) {
      auto n = co_await c->socket->read_some(asio::buffer(buffer));
      if (!n.ok() || nghttp2_session_mem_recv(c->session, buffer.data(), *n) < 0) break;
      c->wake();
    }
    c->drop();
  }

  static asio::awaitable<void> write_loop(std::shared_ptr<Connection> c) {
    std::string out;
    while (!c->dead) {
      out.clear();
      for (;;) {
        const uint8_t* data = nullptr;
        const ssize_t n = nghttp2_session_mem_send(c->session, &data);
        if (n <= 0) break;
        out.append(reinterpret_cast<const char*>(data), static_cast<size_t>(n));
      }
      if (!out.empty()) {
        auto written = co_await c->socket->write_all(asio::buffer(out));
        if (!written.ok()) break;
        continue;
      }
      if (nghttp2_session_want_read(c->session) == 0 && nghttp2_session_want_write(c->session) == 0) break;
      co_await c->write_signal.wait();
    }
    c->drop();
  }
};

// ---- server ------------------------------------------------------------------------------------------------------

namespace {

using Connection = FakeHttp2Server::State::Connection;

std::shared_ptr<Connection> make_connection(std::shared_ptr<FakeHttp2Server::State> state, uint64_t id,
                                            std::unique_ptr<net::ByteStream> socket) {
  auto c = std::make_shared<Connection>(id, state, std::move(socket));
  nghttp2_session_callbacks* cb = nullptr;
  nghttp2_session_callbacks_new(&cb);
  nghttp2_session_callbacks_set_on_begin_headers_callback(cb, &Connection::on_begin_headers);
  nghttp2_session_callbacks_set_on_header_callback(cb, &Connection::on_header);
  nghttp2_session_callbacks_set_on_data_chunk_recv_callback(cb, &Connection::on_data_chunk);
  nghttp2_session_callbacks_set_on_frame_recv_callback(cb, &Connection::on_frame_recv);
  nghttp2_session_callbacks_set_on_stream_close_callback(cb, &Connection::on_stream_close);
  nghttp2_session_server_new(&c->session, cb, c.get());
  nghttp2_session_callbacks_del(cb);
  const nghttp2_settings_entry settings[] = {
      {NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS, state->options.max_concurrent_streams}};
  nghttp2_submit_settings(c->session, NGHTTP2_FLAG_NONE, settings, std::size(settings));
  state->connections[id] = c;
  return c;
}

asio::awaitable<void> serve(std::shared_ptr<FakeHttp2Server::State> state, tcp::socket socket, asio::ssl::context* tls,
                            uint64_t id) {
  std::unique_ptr<net::ByteStream> stream;
  const net::Endpoint peer{"client", 0};
  if (tls == nullptr) {
    stream = std::make_unique<net::ByteStream>(peer, std::move(socket));
  } else {
    auto tls_stream = std::make_unique<net::ByteStream::TlsSocket>(std::move(socket), *tls);
    auto [ec] = co_await tls_stream->async_handshake(asio::ssl::stream_base::server, kAsTuple);
    if (ec) co_return;
    stream = std::make_unique<net::ByteStream>(peer, std::move(tls_stream));
  }
  auto c = make_connection(state, id, std::move(stream));
  c->wake();
  asio::co_spawn(c->socket->get_executor(), Connection::write_loop(c), asio::detached);
  auto reading = Connection::read_loop(c);
  co_await std::move(reading);
}

asio::awaitable<void> accept_loop(std::shared_ptr<FakeHttp2Server::State> state, tcp::acceptor* acceptor,
                                  asio::ssl::context* tls) {
  for (;;) {
    auto [ec, socket] = co_await acceptor->async_accept(kAsTuple);
    if (ec) co_return;
    boost::system::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    uint64_t id = 0;
    state->update([&] { id = ++state->accepted; });
    asio::co_spawn(acceptor->get_executor(), serve(state, std::move(socket), tls, id), asio::detached);
  }
}

}  // namespace

FakeHttp2Server::FakeHttp2Server() : FakeHttp2Server(Options{}) {}

FakeHttp2Server::FakeHttp2Server(Options options) : state_(std::make_shared<State>()) {
  state_->options = options;
  loop_ = std::make_unique<ServerLoop>(options.tls, std::vector<std::string>{"localhost", "127.0.0.1"},
                                       options.offer_h2 ? "h2" : "http/1.1");
  state_->certs = loop_->certificates();
  state_->port = loop_->port();
  asio::co_spawn(loop_->io(), accept_loop(state_, &loop_->acceptor(), loop_->tls()), asio::detached);
  loop_->start();
}

FakeHttp2Server::~FakeHttp2Server() {
  loop_->stop([this] {
    for (auto& [id, weak] : state_->connections) {
      if (auto c = weak.lock()) c->drop();
    }
  });
}

void FakeHttp2Server::run_on_loop(const std::function<void()>& fn) {
  loop_->run_and_wait(fn);
}

uint16_t FakeHttp2Server::port() const {
  return state_->port;
}

std::string FakeHttp2Server::url() const {
  return (state_->options.tls ? "https://127.0.0.1:" : "http://127.0.0.1:") + std::to_string(state_->port);
}

std::string FakeHttp2Server::ca_file() const {
  return state_->certs.ca_file;
}

void FakeHttp2Server::handle(std::function<H2Reply(const H2Request&)> handler) {
  std::lock_guard lock(state_->mu);
  state_->handler = std::move(handler);
}

std::vector<H2Request> FakeHttp2Server::requests() const {
  std::lock_guard lock(state_->mu);
  return state_->log;
}

bool FakeHttp2Server::wait_for_requests(size_t n, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(state_->mu);
  return state_->changed.wait_for(lock, timeout, [&] { return state_->log.size() >= n; });
}

size_t FakeHttp2Server::connections_accepted() const {
  std::lock_guard lock(state_->mu);
  return state_->accepted;
}

size_t FakeHttp2Server::bytes_sent(int32_t stream, uint64_t connection) const {
  std::lock_guard lock(state_->mu);
  const auto it = state_->sent.find({connection, stream});
  return it == state_->sent.end() ? 0 : it->second;
}

bool FakeHttp2Server::wait_for_bytes_sent(int32_t stream, size_t n, std::chrono::milliseconds timeout,
                                          uint64_t connection) const {
  std::unique_lock lock(state_->mu);
  return state_->changed.wait_for(lock, timeout, [&] {
    const auto it = state_->sent.find({connection, stream});
    return it != state_->sent.end() && it->second >= n;
  });
}

std::optional<uint32_t> FakeHttp2Server::reset_received(int32_t stream, uint64_t connection) const {
  std::lock_guard lock(state_->mu);
  const auto it = state_->resets.find({connection, stream});
  if (it == state_->resets.end()) return std::nullopt;
  return it->second;
}

bool FakeHttp2Server::wait_for_reset(int32_t stream, std::chrono::milliseconds timeout, uint64_t connection) const {
  std::unique_lock lock(state_->mu);
  return state_->changed.wait_for(lock, timeout, [&] { return state_->resets.count({connection, stream}) > 0; });
}

void FakeHttp2Server::send_data(int32_t stream, std::string data, bool end, uint64_t connection) {
  run_on_loop([&] {
    auto c = state_->connections[connection].lock();
    if (!c) return;
    auto it = c->streams.find(stream);
    if (it == c->streams.end()) return;
    it->second.pending.append(data);
    it->second.end_after = end;
    if (it->second.deferred) {
      it->second.deferred = false;
      nghttp2_session_resume_data(c->session, stream);
    }
    c->wake();
  });
}

void FakeHttp2Server::goaway(uint32_t error_code) {
  run_on_loop([&] {
    for (auto& [id, weak] : state_->connections) {
      if (auto c = weak.lock()) {
        nghttp2_submit_goaway(c->session, NGHTTP2_FLAG_NONE, nghttp2_session_get_last_proc_stream_id(c->session),
                              error_code, nullptr, 0);
        c->wake();
      }
    }
  });
}

void FakeHttp2Server::ping() {
  run_on_loop([&] {
    for (auto& [id, weak] : state_->connections) {
      if (auto c = weak.lock()) {
        nghttp2_submit_ping(c->session, NGHTTP2_FLAG_NONE, nullptr);
        c->wake();
      }
    }
  });
}

size_t FakeHttp2Server::pings_acked() const {
  std::lock_guard lock(state_->mu);
  return state_->pings_acked;
}

bool FakeHttp2Server::wait_for_ping_acks(size_t n, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(state_->mu);
  return state_->changed.wait_for(lock, timeout, [&] { return state_->pings_acked >= n; });
}

void FakeHttp2Server::drop_connections() {
  run_on_loop([&] {
    for (auto& [id, weak] : state_->connections) {
      if (auto c = weak.lock()) c->drop();
    }
  });
}

}  // namespace pk::testing
