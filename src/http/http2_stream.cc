#include "http/http2_stream.h"

#include <boost/asio/dispatch.hpp>

#include <fmt/format.h>

#include "http/http2_connection.h"
#include "http/http2_session.h"
#include "net/on_loop.h"

namespace pk::http {
namespace asio = boost::asio;

Http2Stream::Http2Stream(std::shared_ptr<Http2Connection> connection, std::shared_ptr<Http2StreamState> state)
    : connection_(std::move(connection)), state_(std::move(state)) {}

Http2Stream::~Http2Stream() {
  // Not read to the end: tell the server to stop and give back the window of what is still buffered (a no-op
  // for a stream that has ended and been read).
  cancel();
}

int Http2Stream::status() const {
  return state_->status;
}

const std::vector<Header>& Http2Stream::headers() const {
  return state_->headers;
}

std::string_view Http2Stream::header(std::string_view name) const {
  for (const auto& h : state_->headers) {
    if (iequals(h.name, name)) return h.value;
  }
  return {};
}

const std::vector<Header>& Http2Stream::trailers() const {
  return state_->trailers;
}

int32_t Http2Stream::id() const {
  return state_->id;
}

void Http2Stream::cancel() {
  asio::dispatch(connection_->executor(),
                 [connection = connection_, state = state_] { connection->session_->cancel(*state); });
}

asio::awaitable<Result<std::optional<std::string>>> Http2Stream::read() {
  auto reading = read_on_loop(connection_, state_);
  auto hop = net::on_loop(connection_->executor(), std::move(reading));
  co_return co_await std::move(hop);
}

asio::awaitable<Result<std::optional<std::string>>> Http2Stream::read_on_loop(
    std::shared_ptr<Http2Connection> connection, std::shared_ptr<Http2StreamState> state) {
  for (;;) {
    if (state->buffered > 0) {
      std::string out;
      if (state->data.size() == 1) {
        out = std::move(state->data.front());
      } else {
        out.reserve(state->buffered);
        for (const auto& piece : state->data) out += piece;
      }
      state->data.clear();
      const size_t n = state->buffered;
      state->buffered = 0;
      connection->session_->consume(*state, n);  // only now may the server send more
      co_return std::optional<std::string>(std::move(out));
    }
    if (state->error) co_return *state->error;
    if (state->ended || state->closed) co_return std::optional<std::string>();
    co_await state->signal.wait();
  }
}

asio::awaitable<Result<std::string>> Http2Stream::read_all(size_t max_bytes) {
  std::string body;
  for (;;) {
    auto reading = read();
    auto piece = co_await std::move(reading);
    if (!piece.ok()) co_return std::move(piece).error();
    if (!piece->has_value()) co_return body;
    if (body.size() + (*piece)->size() > max_bytes) {
      cancel();
      co_return make_error(ErrorCode::kMalformedInput,
                           fmt::format("{}: response body exceeds the limit of {} bytes", state_->what, max_bytes));
    }
    body += **piece;
  }
}

}  // namespace pk::http
