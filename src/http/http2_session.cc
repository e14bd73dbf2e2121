#include "http/http2_session.h"

#include <nghttp2/nghttp2.h>

#include <algorithm>
#include <charconv>

#include <boost/asio/buffer.hpp>

#include <fmt/format.h>

#include "common/log.h"
#include "net/scope_exit.h"

namespace pk::http {
namespace asio = boost::asio;

namespace {
constexpr size_t kHttp2ReadBufferBytes = 64 * 1024;
constexpr size_t kWriteBatchBytes = 64 * 1024;

std::string_view as_view(const uint8_t* p, size_t n) {
  return {reinterpret_cast<const char*>(p), n};
}

nghttp2_nv make_nv(std::string_view name, std::string_view value) {
  // nghttp2 copies names and values during submit; the pointers need only live until then.
  return nghttp2_nv{reinterpret_cast<uint8_t*>(const_cast<char*>(name.data())),
                    reinterpret_cast<uint8_t*>(const_cast<char*>(value.data())), name.size(), value.size(),
                    NGHTTP2_NV_FLAG_NONE};
}

// Hop-by-hop headers have no place in HTTP/2 (RFC 9113 8.2.2); Host becomes :authority.
bool is_connection_specific(std::string_view lower_name) {
  return lower_name == "connection" || lower_name == "keep-alive" || lower_name == "proxy-connection" ||
         lower_name == "transfer-encoding" || lower_name == "upgrade" || lower_name == "host" || lower_name == "te";
}

std::string lowercase(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; });
  return out;
}

}  // namespace

// ---- nghttp2 callbacks -------------------------------------------------------------------------------------------

struct Http2Session::Callbacks {
  static Http2Session& self(void* user_data) { return *static_cast<Http2Session*>(user_data); }

  static int on_header(nghttp2_session*, const nghttp2_frame* frame, const uint8_t* name, size_t namelen,
                       const uint8_t* value, size_t valuelen, uint8_t, void* user_data) {
    if (frame->hd.type != NGHTTP2_HEADERS) return 0;
    auto stream = self(user_data).find(frame->hd.stream_id);
    if (!stream) return 0;
    const std::string_view n = as_view(name, namelen);
    const std::string_view v = as_view(value, valuelen);
    if (stream->headers_done) {
      stream->trailers.push_back(Header{std::string(n), std::string(v)});
    } else if (n == ":status") {
      int status = 0;
      std::from_chars(v.data(), v.data() + v.size(), status);  // nghttp2 has checked it is three digits
      stream->pending_status = status;
    } else if (!n.starts_with(':')) {
      stream->headers.push_back(Header{std::string(n), std::string(v)});
    }
    return 0;
  }

  static int on_frame_recv(nghttp2_session*, const nghttp2_frame* frame, void* user_data) {
    Http2Session& s = self(user_data);
    switch (frame->hd.type) {
      case NGHTTP2_HEADERS: {
        auto stream = s.find(frame->hd.stream_id);
        if (!stream) break;
        if (!stream->headers_done) {
          if (stream->pending_status >= 200) {
            stream->status = stream->pending_status;
            stream->headers_done = true;
          } else {
            stream->headers.clear();  // an interim (1xx) response: the final one follows
          }
        }
        if ((frame->hd.flags & NGHTTP2_FLAG_END_STREAM) != 0) stream->ended = true;
        stream->signal.notify();
        break;
      }
      case NGHTTP2_DATA:
        if ((frame->hd.flags & NGHTTP2_FLAG_END_STREAM) != 0) {
          if (auto stream = s.find(frame->hd.stream_id)) {
            stream->ended = true;
            stream->signal.notify();
          }
        }
        break;
      case NGHTTP2_SETTINGS:
        if ((frame->hd.flags & NGHTTP2_FLAG_ACK) == 0 && !s.settings_received_) {
          s.settings_received_ = true;
          s.settings_signal_.notify();
        }
        break;
      case NGHTTP2_PING:
        if ((frame->hd.flags & NGHTTP2_FLAG_ACK) != 0 && !s.ping_waiters_.empty()) {
          PingWaiter* waiter = s.ping_waiters_.front();
          s.ping_waiters_.pop_front();
          waiter->acked = true;
          waiter->signal.notify();
        }
        break;
      case NGHTTP2_GOAWAY:
        // Streams above last_stream_id are closed by nghttp2 with REFUSED_STREAM; the others may finish.
        s.goaway_received_ = true;
        s.goaway_error_ = frame->goaway.error_code;
        logger("http")->debug("{}: server sent GOAWAY ({}), last stream {}", s.origin_text_,
                              nghttp2_http2_strerror(frame->goaway.error_code), frame->goaway.last_stream_id);
        break;
      default:
        break;
    }
    return 0;
  }

  static int on_data_chunk(nghttp2_session* session, uint8_t, int32_t stream_id, const uint8_t* data, size_t len,
                           void* user_data) {
    auto stream = self(user_data).find(stream_id);
    if (!stream || stream->cancelled) {
      nghttp2_session_consume(session, stream_id, len);  // nobody will read it: give the window back now
      return 0;
    }
    stream->data.emplace_back(reinterpret_cast<const char*>(data), len);
    stream->buffered += len;
    stream->signal.notify();
    return 0;
  }

  static int on_stream_close(nghttp2_session*, int32_t stream_id, uint32_t error_code, void* user_data) {
    Http2Session& s = self(user_data);
    auto it = s.streams_.find(stream_id);
    if (it == s.streams_.end()) return 0;
    auto stream = it->second;
    s.streams_.erase(it);
    stream->closed = true;
    if (!stream->ended && !stream->error) {
      if (stream->cancelled) {
        stream->error = make_error(ErrorCode::kCancelled, stream->what + ": cancelled");
      } else if (error_code == NGHTTP2_REFUSED_STREAM) {
        // The server did not process it (GOAWAY or a stream limit): safe to send again on another connection.
        stream->error = make_error(ErrorCode::kUnavailable, stream->what + ": refused by the server (REFUSED_STREAM)");
      } else {
        stream->error = make_error(ErrorCode::kIo, fmt::format("{}: reset by the server ({})", stream->what,
                                                               nghttp2_http2_strerror(error_code)));
      }
    }
    stream->signal.notify();
    return 0;
  }

  static ssize_t read_body(nghttp2_session*, int32_t, uint8_t* buf, size_t length, uint32_t* data_flags,
                           nghttp2_data_source* source, void*) {
    auto* stream = static_cast<Http2StreamState*>(source->ptr);
    const size_t n = std::min(length, stream->request_body.size() - stream->body_sent);
    std::copy_n(stream->request_body.data() + stream->body_sent, n, buf);
    stream->body_sent += n;
    if (stream->body_sent == stream->request_body.size()) *data_flags |= NGHTTP2_DATA_FLAG_EOF;
    return static_cast<ssize_t>(n);
  }

  static int on_error(nghttp2_session*, int, const char* msg, size_t len, void* user_data) {
    self(user_data).nghttp2_error_.assign(msg, len);
    return 0;
  }
};

// ---- lifecycle ---------------------------------------------------------------------------------------------------

Http2Session::Http2Session(std::unique_ptr<net::ByteStream> stream, Url origin, const ClientOptions&)
    : executor_(stream->get_executor()),
      stream_(std::move(stream)),
      origin_(std::move(origin)),
      origin_text_(origin_.origin()),
      write_signal_(executor_),
      settings_signal_(executor_),
      tasks_(executor_) {}

Http2Session::~Http2Session() {
  if (session_ != nullptr) nghttp2_session_del(session_);
}

Result<std::shared_ptr<Http2Session>> Http2Session::create(std::unique_ptr<net::ByteStream> stream, Url origin,
                                                           const ClientOptions& options) {
  auto self = std::make_shared<Http2Session>(std::move(stream), std::move(origin), options);
  nghttp2_session_callbacks* callbacks = nullptr;
  nghttp2_option* option = nullptr;
  if (nghttp2_session_callbacks_new(&callbacks) != 0 || nghttp2_option_new(&option) != 0) {
    if (callbacks != nullptr) nghttp2_session_callbacks_del(callbacks);
    return make_error(ErrorCode::kResourceExhausted, "HTTP/2: out of memory");
  }
  nghttp2_session_callbacks_set_on_header_callback(callbacks, &Callbacks::on_header);
  nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks, &Callbacks::on_frame_recv);
  nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks, &Callbacks::on_data_chunk);
  nghttp2_session_callbacks_set_on_stream_close_callback(callbacks, &Callbacks::on_stream_close);
  nghttp2_session_callbacks_set_error_callback2(callbacks, &Callbacks::on_error);
  nghttp2_option_set_no_auto_window_update(option, 1);  // we give the window back as the reader consumes
  const int rv = nghttp2_session_client_new2(&self->session_, callbacks, self.get(), option);
  nghttp2_session_callbacks_del(callbacks);
  nghttp2_option_del(option);
  if (rv != 0) return make_error(ErrorCode::kInternal, fmt::format("HTTP/2 session: {}", nghttp2_strerror(rv)));

  const nghttp2_settings_entry settings[] = {
      {NGHTTP2_SETTINGS_ENABLE_PUSH, 0},
      {NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS, 100},
      {NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, std::min<uint32_t>(options.http2_stream_window, (1u << 31) - 1)},
  };
  int s = nghttp2_submit_settings(self->session_, NGHTTP2_FLAG_NONE, settings, std::size(settings));
  if (s == 0 && options.http2_connection_window > NGHTTP2_INITIAL_CONNECTION_WINDOW_SIZE) {
    s = nghttp2_session_set_local_window_size(
        self->session_, NGHTTP2_FLAG_NONE, 0,
        static_cast<int32_t>(std::min<uint32_t>(options.http2_connection_window, (1u << 31) - 1)));
  }
  if (s != 0) return make_error(ErrorCode::kInternal, fmt::format("HTTP/2 settings: {}", nghttp2_strerror(s)));
  return self;
}

void Http2Session::start(const std::shared_ptr<Http2Session>& self) {
  self->tasks_.spawn(read_loop(self));
  self->tasks_.spawn(write_loop(self));
}

asio::awaitable<void> Http2Session::shutdown(std::chrono::milliseconds grace) {
  close();
  const bool ended = co_await tasks_.join_until(std::chrono::steady_clock::now() + grace);
  if (ended) co_return;
  // The GOAWAY did not get out in time (a peer that stopped reading): close the socket under the loops.
  fail(make_error(ErrorCode::kCancelled, "HTTP/2 connection to " + origin_text_ + " closed by the client"));
  tasks_.cancel_all();
  co_await tasks_.join();
}

asio::awaitable<Status> Http2Session::handshake() {
  while (!settings_received_) {
    if (dead_) co_return failure_.value_or(make_error(ErrorCode::kIo, origin_text_ + ": HTTP/2 connection closed"));
    co_await settings_signal_.wait();
  }
  co_return ok_status();
}

std::string Http2Session::unusable_reason() const {
  if (dead_) return failure_ ? failure_->message : "HTTP/2 connection to " + origin_text_ + " is closed";
  if (goaway_received_) {
    return fmt::format("HTTP/2 connection to {}: server sent GOAWAY ({}); open a new connection", origin_text_,
                       nghttp2_http2_strerror(goaway_error_));
  }
  if (closing_) return "HTTP/2 connection to " + origin_text_ + " is closing";
  return {};
}

std::shared_ptr<Http2StreamState> Http2Session::find(int32_t id) const {
  const auto it = streams_.find(id);
  return it == streams_.end() ? nullptr : it->second;
}

// ---- requests ----------------------------------------------------------------------------------------------------

Result<std::shared_ptr<Http2StreamState>> Http2Session::submit(const Request& request) {
  const std::string what = request.method + " " + origin_text_ + target_for_log(request.target);
  if (!usable()) return make_error(ErrorCode::kUnavailable, unusable_reason()).with_context(what);
  if (!is_valid_header_name(request.method)) {
    return make_error(ErrorCode::kInvalidArgument, fmt::format("HTTP method '{}' is not a token", request.method));
  }
  if (request.target.empty() || !is_valid_header_value(request.target) ||
      request.target.find(' ') != std::string::npos) {
    return make_error(ErrorCode::kInvalidArgument,
                      fmt::format("HTTP request target '{}' is invalid", target_for_log(request.target)));
  }

  const std::string authority =
      request.header("host").empty() ? origin_.authority() : std::string(request.header("host"));
  std::vector<std::string> names;  // lower-cased copies, alive until submit returns
  names.reserve(request.headers.size());
  std::vector<nghttp2_nv> nva;
  nva.reserve(request.headers.size() + 5);
  nva.push_back(make_nv(":method", request.method));
  nva.push_back(make_nv(":scheme", origin_.scheme));
  nva.push_back(make_nv(":authority", authority));
  nva.push_back(make_nv(":path", request.target));
  bool has_length = false;
  for (const auto& h : request.headers) {
    if (!is_valid_header_name(h.name)) {
      return make_error(ErrorCode::kInvalidArgument, fmt::format("HTTP header name '{}' is not a token", h.name));
    }
    if (!is_valid_header_value(h.value)) {
      return make_error(ErrorCode::kInvalidArgument,
                        fmt::format("HTTP header '{}' has a control character (CR, LF, ...) in its value", h.name));
    }
    names.push_back(lowercase(h.name));
    if (is_connection_specific(names.back())) continue;
    has_length = has_length || names.back() == "content-length";
    nva.push_back(make_nv(names.back(), h.value));
  }
  const std::string length = std::to_string(request.body.size());
  const bool body_method = request.method == "POST" || request.method == "PUT" || request.method == "PATCH";
  if (!has_length && (!request.body.empty() || body_method)) nva.push_back(make_nv("content-length", length));

  auto stream = std::make_shared<Http2StreamState>(executor_);
  stream->request_body = request.body;
  nghttp2_data_provider body;
  body.source.ptr = stream.get();
  body.read_callback = &Callbacks::read_body;
  const int32_t id = nghttp2_submit_request(session_, nullptr, nva.data(), nva.size(),
                                            request.body.empty() ? nullptr : &body, stream.get());
  if (id < 0) {
    return make_error(ErrorCode::kUnavailable,
                      fmt::format("{}: cannot open an HTTP/2 stream: {}", what, nghttp2_strerror(id)));
  }
  stream->id = id;
  stream->what = fmt::format("{} (HTTP/2 stream {})", what, id);
  streams_[id] = stream;
  static const auto log = logger("http");
  if (log->should_log(spdlog::level::trace)) {
    log->trace("{} headers: {} body: {} bytes", stream->what, headers_for_log(request.headers), request.body.size());
  }
  wake_writer();
  return stream;
}

void Http2Session::consume(Http2StreamState& stream, size_t n) {
  if (dead_ || n == 0) return;
  nghttp2_session_consume(session_, stream.id, n);
  wake_writer();
}

void Http2Session::cancel(Http2StreamState& stream) {
  if (stream.buffered > 0) {
    consume(stream, stream.buffered);
    stream.data.clear();
    stream.buffered = 0;
  }
  if (stream.closed || stream.cancelled) return;
  stream.cancelled = true;
  if (!stream.error && !stream.ended) stream.error = make_error(ErrorCode::kCancelled, stream.what + ": cancelled");
  if (!dead_) {
    nghttp2_submit_rst_stream(session_, NGHTTP2_FLAG_NONE, stream.id, NGHTTP2_CANCEL);
    wake_writer();
  }
  stream.signal.notify();
}

asio::awaitable<Status> Http2Session::ping() {
  if (!usable()) co_return make_error(ErrorCode::kUnavailable, unusable_reason());
  PingWaiter waiter{net::Signal(executor_), false};
  const int rv = nghttp2_submit_ping(session_, NGHTTP2_FLAG_NONE, nullptr);
  if (rv != 0) co_return make_error(ErrorCode::kInternal, fmt::format("HTTP/2 PING: {}", nghttp2_strerror(rv)));
  ping_waiters_.push_back(&waiter);
  net::ScopeExit unlist([this, &waiter] { std::erase(ping_waiters_, &waiter); });
  wake_writer();
  while (!waiter.acked && !dead_) co_await waiter.signal.wait();
  if (!waiter.acked) co_return make_error(ErrorCode::kIo, unusable_reason());
  co_return ok_status();
}

void Http2Session::close() {
  if (closing_ || dead_) return;
  closing_ = true;
  nghttp2_session_terminate_session(session_, NGHTTP2_NO_ERROR);
  for (auto& [id, stream] : streams_) {
    if (!stream->ended && !stream->error) {
      stream->error = make_error(ErrorCode::kCancelled, stream->what + ": connection closed by the client");
      stream->signal.notify();
    }
  }
  wake_writer();
}

void Http2Session::fail(Error error) {
  if (dead_) return;
  dead_ = true;
  failure_ = error;
  stream_->close();
  for (auto& [id, stream] : streams_) {
    stream->closed = true;
    if (!stream->ended && !stream->error) stream->error = error.with_context(stream->what);
    stream->signal.notify();
  }
  streams_.clear();
  for (PingWaiter* waiter : ping_waiters_) waiter->signal.notify();
  settings_signal_.notify();
  write_signal_.notify();
}

// ---- I/O loops ---------------------------------------------------------------------------------------------------

asio::awaitable<void> Http2Session::read_loop(std::shared_ptr<Http2Session> self) {
  std::vector<uint8_t> buffer(kHttp2ReadBufferBytes);
  while (!self->dead_) {
    auto n = co_await self->stream_->read_some(asio::buffer(buffer));
    if (self->dead_) break;
    if (!n.ok()) {
      Error e = std::move(n).error();
      if (e.code == ErrorCode::kCancelled) e.code = ErrorCode::kIo;
      self->fail(e.with_context("HTTP/2 connection to " + self->origin_text_));
      break;
    }
    const ssize_t rv = nghttp2_session_mem_recv(self->session_, buffer.data(), *n);
    if (rv < 0) {
      self->fail(make_error(
          ErrorCode::kMalformedInput,
          fmt::format("HTTP/2 connection to {}: {}", self->origin_text_,
                      self->nghttp2_error_.empty() ? nghttp2_strerror(static_cast<int>(rv)) : self->nghttp2_error_)));
      break;
    }
    self->wake_writer();
  }
}

asio::awaitable<void> Http2Session::write_loop(std::shared_ptr<Http2Session> self) {
  std::string out;
  while (!self->dead_) {
    out.clear();
    while (out.size() < kWriteBatchBytes) {
      const uint8_t* data = nullptr;
      const ssize_t n = nghttp2_session_mem_send(self->session_, &data);
      if (n < 0) {
        self->fail(make_error(ErrorCode::kInternal, fmt::format("HTTP/2 connection to {}: {}", self->origin_text_,
                                                                nghttp2_strerror(static_cast<int>(n)))));
        co_return;
      }
      if (n == 0) break;
      out.append(reinterpret_cast<const char*>(data), static_cast<size_t>(n));
    }
    if (!out.empty()) {
      auto written = co_await self->stream_->write_all(asio::buffer(out));
      if (!written.ok() && !self->dead_) {
        self->fail(std::move(written).error().with_context("HTTP/2 connection to " + self->origin_text_));
      }
      continue;
    }
    if (nghttp2_session_want_read(self->session_) == 0 && nghttp2_session_want_write(self->session_) == 0) {
      // Both sides are done (GOAWAY exchanged, or a protocol error we answered with GOAWAY).
      std::string why = self->closing_                 ? "closed by the client"
                        : self->nghttp2_error_.empty() ? std::string("ended by the server")
                                                       : "protocol error: " + self->nghttp2_error_;
      const ErrorCode code = self->closing_                 ? ErrorCode::kCancelled
                             : self->nghttp2_error_.empty() ? ErrorCode::kUnavailable
                                                            : ErrorCode::kMalformedInput;
      self->fail(make_error(code, fmt::format("HTTP/2 connection to {} {}", self->origin_text_, why)));
      co_return;
    }
    co_await self->write_signal_.wait();
  }
}

}  // namespace pk::http
