#include "listener.h"

#include <fmt/format.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

namespace pk::bench {

namespace asio = boost::asio;
namespace beast = boost::beast;
using asio::ip::tcp;

namespace {

constexpr auto kListenerTuple = asio::as_tuple(asio::use_awaitable);
constexpr std::string_view kClientPreface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
constexpr size_t kMaxRequestBody = 16 << 20;

}  // namespace

Result<std::unique_ptr<Listener>> Listener::start(asio::any_io_executor executor, uint16_t port, KinesisApi& api,
                                                  EventStreamServer& events) {
  tcp::acceptor acceptor(executor);
  boost::system::error_code ec;
  const tcp::endpoint endpoint(asio::ip::make_address_v4("127.0.0.1"), port);
  if (!acceptor.open(endpoint.protocol(), ec) && !acceptor.set_option(tcp::acceptor::reuse_address(true), ec) &&
      !acceptor.bind(endpoint, ec) && !acceptor.listen(asio::socket_base::max_listen_connections, ec)) {
    auto listener = std::make_unique<Listener>(std::move(acceptor), api, events);
    asio::co_spawn(executor, listener->accept_loop(), asio::detached);
    return listener;
  }
  return make_error(ErrorCode::kUnavailable, fmt::format("cannot listen on 127.0.0.1:{}: {}", port, ec.message()));
}

Listener::Listener(tcp::acceptor acceptor, KinesisApi& api, EventStreamServer& events)
    : acceptor_(std::move(acceptor)), api_(api), events_(events) {}

void Listener::stop() {
  boost::system::error_code ignored;
  acceptor_.close(ignored);
}

asio::awaitable<void> Listener::accept_loop() {
  for (;;) {
    auto [ec, socket] = co_await acceptor_.async_accept(kListenerTuple);
    if (ec == asio::error::operation_aborted || !acceptor_.is_open()) co_return;
    if (ec) continue;
    boost::system::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    asio::co_spawn(acceptor_.get_executor(), sniff(std::move(socket)), asio::detached);
  }
}

// Reads until the bytes differ from the HTTP/2 client preface or hold all of it.
asio::awaitable<void> Listener::sniff(tcp::socket socket) {
  std::string first;
  char buffer[4096];
  for (;;) {
    const size_t common = std::min(first.size(), kClientPreface.size());
    if (first.compare(0, common, kClientPreface, 0, common) != 0) break;  // HTTP/1.1
    if (first.size() >= kClientPreface.size()) {
      events_.serve(std::move(socket), std::move(first));
      co_return;
    }
    auto [ec, n] = co_await socket.async_read_some(asio::buffer(buffer), kListenerTuple);
    if (ec) co_return;
    first.append(buffer, n);
  }
  auto serving = serve_http1(std::move(socket), std::move(first));
  co_await std::move(serving);
}

asio::awaitable<void> Listener::serve_http1(tcp::socket socket, std::string first_bytes) {
  beast::flat_buffer buffer;
  buffer.commit(asio::buffer_copy(buffer.prepare(first_bytes.size()), asio::buffer(first_bytes)));
  for (;;) {
    beast::http::request_parser<beast::http::string_body> parser;
    parser.body_limit(kMaxRequestBody);
    auto [ec, n] = co_await beast::http::async_read(socket, buffer, parser, kListenerTuple);
    if (ec) co_return;
    auto& in = parser.get();
    http::Request request;
    request.method = std::string(in.method_string());
    request.target = std::string(in.target());
    for (const auto& field : in)
      request.headers.push_back({std::string(field.name_string()), std::string(field.value())});
    request.body = std::move(in.body());
    http::Response answer = api_.handle(request);
    beast::http::response<beast::http::string_body> out{static_cast<beast::http::status>(answer.status), in.version()};
    for (const auto& h : answer.headers) out.set(h.name, h.value);
    out.body() = std::move(answer.body);
    out.keep_alive(in.keep_alive());
    out.prepare_payload();
    auto [write_error, written] = co_await beast::http::async_write(socket, out, kListenerTuple);
    if (write_error || !out.keep_alive()) co_return;
  }
}

}  // namespace pk::bench
