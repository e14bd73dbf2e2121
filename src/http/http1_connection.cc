#include "http/http1_connection.h"

#include <array>

#include <boost/asio/buffer.hpp>

#include "http/http1_codec.h"

namespace pk::http {
namespace asio = boost::asio;

namespace {
constexpr size_t kHttp1ReadBufferBytes = 64 * 1024;

// ByteStream's wording for an orderly end of stream (EOF, or TLS without close_notify), as opposed to a reset.
bool is_end_of_stream(const Error& e) {
  return e.message.ends_with("connection closed by peer");
}
}  // namespace

Http1Connection::Http1Connection(std::unique_ptr<net::ByteStream> stream, uint64_t id)
    : stream_(std::move(stream)), buffer_(kHttp1ReadBufferBytes), id_(id) {}

asio::awaitable<Result<std::unique_ptr<Http1Connection>>> Http1Connection::open(
    Url origin, net::TlsContextPtr tls, std::chrono::milliseconds connect_timeout, uint64_t id) {
  auto connecting = net::ByteStream::connect(net::Endpoint{origin.host, origin.port}, std::move(tls), connect_timeout);
  auto stream = co_await std::move(connecting);
  if (!stream.ok()) {
    Error e = std::move(stream).error();
    // An endpoint we cannot resolve or reach is "unavailable" to callers, whatever the socket layer called it.
    if (e.code == ErrorCode::kNotFound) e.code = ErrorCode::kUnavailable;
    co_return e.with_context(origin.origin());
  }
  co_return std::make_unique<Http1Connection>(std::move(stream).value(), id);
}

asio::awaitable<Result<Response>> Http1Connection::round_trip(std::string_view head, std::string_view body,
                                                              bool head_request, size_t max_body_bytes) {
  reusable_ = false;  // until a whole response has been read
  response_bytes_ = 0;
  ++requests_;
  const std::array<asio::const_buffer, 2> out = {asio::buffer(head), asio::buffer(body)};
  PK_CO_TRY(co_await stream_->write_all(std::span<const asio::const_buffer>(out)));

  ResponseDecoder decoder(max_body_bytes, head_request);
  while (!decoder.done()) {
    auto n = co_await stream_->read_some(asio::buffer(buffer_));
    if (!n.ok()) {
      response_bytes_ = decoder.bytes_received();
      if (decoder.bytes_received() > 0 && is_end_of_stream(n.error())) {
        PK_CO_TRY(decoder.finish());  // a body delimited by the end of the stream, or a truncated response
        break;
      }
      co_return std::move(n).error();
    }
    auto fed = decoder.feed(std::string_view(buffer_.data(), *n));
    response_bytes_ = decoder.bytes_received();
    if (!fed.ok()) co_return fed.error().with_context("response from " + stream_->endpoint().to_string());
  }
  reusable_ = decoder.keep_alive();
  if (!reusable_) close();
  co_return decoder.take();
}

void Http1Connection::close() {
  reusable_ = false;
  stream_->close();
}

}  // namespace pk::http
