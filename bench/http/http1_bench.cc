// Http1Client over keep-alive HTTP/1.1 against a minimal in-process server on 127.0.0.1: requests/s and CPU per
// request, for 1 KiB and 1 MiB request bodies (PutRecords-like) and response bodies (GetRecords-like).
//
// Figures: `CPU` is the client thread's CPU per request (the benchmark's own CPU time: the
// client runs on this thread); `proc_cpu_us/req` adds the server thread (getrusage); `req/s` is wall-clock.
// The server is deliberately lean (finds the header end and Content-Length, skips the body, writes a prebuilt
// answer) so that the figures are mostly the client's.

#include <sys/resource.h>

#include <algorithm>
#include <string>
#include <thread>

#include <benchmark/benchmark.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include "http/http1_client.h"

namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

// Answers every request on a connection with the same prebuilt response.
class LeanServer {
 public:
  explicit LeanServer(size_t response_body_bytes)
      : acceptor_(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
    response_ = "HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.1\r\nContent-Length: " +
                std::to_string(response_body_bytes) + "\r\n\r\n" + std::string(response_body_bytes, 'r');
    asio::co_spawn(io_, accept(), asio::detached);
    thread_ = std::thread([this] { io_.run(); });
  }
  ~LeanServer() {
    asio::post(io_, [this] { io_.stop(); });
    thread_.join();
  }
  uint16_t port() const { return acceptor_.local_endpoint().port(); }

 private:
  asio::awaitable<void> accept() {
    for (;;) {
      auto [ec, socket] = co_await acceptor_.async_accept(kTuple);
      if (ec) co_return;
      socket.set_option(tcp::no_delay(true));
      asio::co_spawn(io_, serve(std::move(socket)), asio::detached);
    }
  }

  static size_t content_length(std::string_view head) {
    std::string lower(head);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](char c) { return static_cast<char>(std::tolower(c)); });
    const auto at = lower.find("\r\ncontent-length:");
    if (at == std::string::npos) return 0;
    return std::stoul(lower.substr(at + 17, lower.find('\r', at + 2) - at - 17));
  }

  asio::awaitable<void> serve(tcp::socket socket) {
    std::string buffer;
    std::vector<char> chunk(256 * 1024);
    for (;;) {
      size_t end = std::string::npos;
      while ((end = buffer.find("\r\n\r\n")) == std::string::npos) {
        auto [ec, n] = co_await socket.async_read_some(asio::buffer(chunk), kTuple);
        if (ec) co_return;
        buffer.append(chunk.data(), n);
      }
      size_t body_left = content_length(std::string_view(buffer).substr(0, end + 2));
      const size_t have = std::min(body_left, buffer.size() - end - 4);
      buffer.erase(0, end + 4 + have);
      body_left -= have;
      while (body_left > 0) {
        auto [ec, n] = co_await socket.async_read_some(asio::buffer(chunk), kTuple);
        if (ec) co_return;
        const size_t used = std::min(body_left, n);
        body_left -= used;
        buffer.append(chunk.data() + used, n - used);
      }
      auto [wec, written] = co_await asio::async_write(socket, asio::buffer(response_), kTuple);
      (void)written;
      if (wec) co_return;
    }
  }

  asio::io_context io_{1};
  tcp::acceptor acceptor_;
  std::string response_;
  std::thread thread_;
};

double process_cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

asio::awaitable<void> one_request(pk::http::Http1Client& client, const pk::http::Request& request, bool& ok) {
  auto sending = client.send(request);
  auto response = co_await std::move(sending);
  ok = response.ok() && response->status == 200;
}

void run_exchange(benchmark::State& state, size_t request_bytes, size_t response_bytes) {
  LeanServer server(response_bytes);
  asio::io_context io{1};
  auto origin = pk::http::Url::parse("http://127.0.0.1:" + std::to_string(server.port()));
  pk::http::ClientOptions options;
  options.request_timeout = std::chrono::seconds(30);
  auto client = pk::http::Http1Client::create(io.get_executor(), *origin, options);
  if (!client.ok()) {
    state.SkipWithError(client.error().to_string().c_str());
    return;
  }
  pk::http::Request request;
  request.method = "POST";
  request.target = "/";
  request.headers = {{"Content-Type", "application/x-amz-json-1.1"}, {"X-Amz-Target", "Kinesis_20131202.PutRecords"}};
  request.body.assign(request_bytes, 'q');

  const double cpu_start = process_cpu_seconds();
  const auto wall_start = std::chrono::steady_clock::now();
  for (auto _ : state) {
    bool ok = false;
    asio::co_spawn(io, one_request(**client, request, ok), asio::detached);
    io.restart();
    io.run();
    if (!ok) {
      state.SkipWithError("request failed");
      break;
    }
  }
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  const double iterations = static_cast<double>(state.iterations());
  state.counters["req/s"] = iterations / wall;
  state.counters["proc_cpu_us/req"] = benchmark::Counter((process_cpu_seconds() - cpu_start) / iterations * 1e6);
  state.counters["connections"] = static_cast<double>((*client)->stats().opened);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(request_bytes + response_bytes));
}

// Request body of range(0) bytes, small answer (PutRecords-like).
void BM_Http1KeepAliveRequestBody(benchmark::State& state) {
  run_exchange(state, static_cast<size_t>(state.range(0)), 2);
}
BENCHMARK(BM_Http1KeepAliveRequestBody)->Arg(1024)->Arg(1 << 20)->Unit(benchmark::kMicrosecond);

// Small request, response body of range(0) bytes (GetRecords-like).
void BM_Http1KeepAliveResponseBody(benchmark::State& state) {
  run_exchange(state, 64, static_cast<size_t>(state.range(0)));
}
BENCHMARK(BM_Http1KeepAliveResponseBody)->Arg(1024)->Arg(1 << 20)->Unit(benchmark::kMicrosecond);

}  // namespace
