#pragma once
// The engine under Http2Connection: an nghttp2 client session driven by our own I/O over a net::ByteStream.
//
//   read_loop:  ByteStream::read_some -> nghttp2_session_mem_recv -> callbacks fill the stream states
//   write_loop: nghttp2_session_mem_send (frames, request bodies) -> ByteStream::write_all, woken by a Signal
//               whenever something was submitted (request, RST_STREAM, WINDOW_UPDATE, PING, GOAWAY)
//
// Flow control is manual (no automatic WINDOW_UPDATE): received DATA is given back to the server only through
// consume(), which the stream calls as its reader takes the bytes. A slow reader therefore stops the server
// once the stream window (ClientOptions::http2_stream_window) is full.
// The two loops run in the session's TaskGroup and hold a shared_ptr to it; they end once the connection is dead
// (failed, or closed and the GOAWAY written), and shutdown() waits for that.
// Shared (shared_ptr) by the connection handle and the two loops; lives on one loop and is touched only there.

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "common/result.h"
#include "http/types.h"
#include "net/byte_stream.h"
#include "net/signal.h"
#include "net/task_group.h"

struct nghttp2_session;

namespace pk::http {

// One request/response exchange. Filled by the session's callbacks, read by Http2Stream; loop-only.
struct Http2StreamState {
  explicit Http2StreamState(const boost::asio::any_io_executor& executor) : signal(executor) {}

  int32_t id = 0;
  std::string what;  // "POST https://host/ (HTTP/2 stream 3)" for errors and logs
  std::string request_body;
  size_t body_sent = 0;

  int pending_status = 0;  // :status of the header block being received
  int status = 0;
  std::vector<Header> headers;
  std::vector<Header> trailers;
  bool headers_done = false;  // a final (non-1xx) response header block arrived

  std::deque<std::string> data;  // DATA received and not yet read
  size_t buffered = 0;
  bool ended = false;      // END_STREAM received: no more data after what is buffered
  bool closed = false;     // nghttp2 closed the stream
  bool cancelled = false;  // we sent RST_STREAM
  std::optional<Error> error;
  net::Signal signal;  // wakes the one coroutine waiting for headers or data
};

class Http2Session {
 public:
  // Takes a connected stream (TLS with ALPN h2, or plain for h2c prior knowledge) and queues the client preface
  // and SETTINGS. start() launches the loops.
  static Result<std::shared_ptr<Http2Session>> create(std::unique_ptr<net::ByteStream> stream, Url origin,
                                                      const ClientOptions& options);
  ~Http2Session();
  Http2Session(const Http2Session&) = delete;
  Http2Session& operator=(const Http2Session&) = delete;

  static void start(const std::shared_ptr<Http2Session>& self);
  // Waits for the server's first SETTINGS frame: proof that it speaks HTTP/2.
  boost::asio::awaitable<Status> handshake();

  // Submits HEADERS (and DATA for the body). The response arrives in the returned state.
  Result<std::shared_ptr<Http2StreamState>> submit(const Request& request);
  // Gives `n` read bytes of a stream back to the server's flow-control windows.
  void consume(Http2StreamState& stream, size_t n);
  // RST_STREAM(CANCEL) unless the stream is already closed; buffered data is dropped (and given back).
  void cancel(Http2StreamState& stream);
  // Sends a PING and waits for its ACK (the caller bounds the wait).
  boost::asio::awaitable<Status> ping();
  // GOAWAY(NO_ERROR) and close once it is written; streams still open fail with kCancelled.
  void close();
  // Closes the socket now; streams still open fail with `error`.
  void abort(Error error) { fail(std::move(error)); }
  // close(), then waits until both loops have ended: at most `grace` for the GOAWAY to be written, then the
  // socket is closed (abort) and the loops are interrupted. On the session's loop.
  boost::asio::awaitable<void> shutdown(std::chrono::milliseconds grace);
  // The loops still running (tests).
  size_t running_tasks() const { return tasks_.size(); }

  bool usable() const { return !dead_ && !goaway_received_ && !closing_; }
  bool goaway_received() const { return goaway_received_; }
  size_t open_streams() const { return streams_.size(); }
  const std::string& origin_text() const { return origin_text_; }
  boost::asio::any_io_executor executor() const { return executor_; }
  // Why the connection cannot take new streams (for errors); empty while usable.
  std::string unusable_reason() const;

  Http2Session(std::unique_ptr<net::ByteStream> stream, Url origin, const ClientOptions& options);

 private:
  struct Callbacks;
  friend struct Callbacks;

  static boost::asio::awaitable<void> read_loop(std::shared_ptr<Http2Session> self);
  static boost::asio::awaitable<void> write_loop(std::shared_ptr<Http2Session> self);
  std::shared_ptr<Http2StreamState> find(int32_t id) const;
  // The connection is gone: every stream that has not ended fails with `error`.
  void fail(Error error);
  void wake_writer() { write_signal_.notify(); }

  boost::asio::any_io_executor executor_;
  std::unique_ptr<net::ByteStream> stream_;
  Url origin_;
  std::string origin_text_;
  nghttp2_session* session_ = nullptr;
  std::map<int32_t, std::shared_ptr<Http2StreamState>> streams_;
  net::Signal write_signal_;
  net::Signal settings_signal_;
  bool settings_received_ = false;
  struct PingWaiter {
    net::Signal signal;
    bool acked = false;
  };
  std::deque<PingWaiter*> ping_waiters_;  // oldest first; each ACK wakes one
  bool goaway_received_ = false;
  uint32_t goaway_error_ = 0;
  bool closing_ = false;  // close() called: GOAWAY queued
  bool dead_ = false;     // socket closed or failed
  std::optional<Error> failure_;
  std::string nghttp2_error_;  // the library's last error message, for protocol failures
  net::TaskGroup tasks_;       // read_loop and write_loop
};

}  // namespace pk::http
