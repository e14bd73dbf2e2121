#pragma once
// One HTTP/2 request/response exchange, from the moment the response headers arrived: its status and headers,
// then the body as it arrives. See http2_connection.h for the whole picture.
//
// Owned by the caller (unique_ptr). Keeps its connection alive. Destroying it before the end of the body
// cancels it (RST_STREAM). read() may be awaited from any executor; one read at a time.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "common/result.h"
#include "http/types.h"

namespace pk::http {

class Http2Connection;
struct Http2StreamState;

class Http2Stream {
 public:
  int status() const;
  const std::vector<Header>& headers() const;
  // First value of a response header (case-insensitive); empty if absent.
  std::string_view header(std::string_view name) const;
  // Trailers, once the body has ended (empty if the server sent none). Read after read() returned nullopt.
  const std::vector<Header>& trailers() const;
  int32_t id() const;

  // The body bytes received since the last read (waits if none): nullopt once the body has ended. Errors:
  // kIo (reset by the server, connection lost), kUnavailable (REFUSED_STREAM, GOAWAY), kCancelled (cancel()).
  // The bytes returned are given back to the server's flow-control window: reading is what lets it send more.
  boost::asio::awaitable<Result<std::optional<std::string>>> read();
  // Reads the rest of the body into one string (for ordinary request/response calls). Fails past `max_bytes`.
  boost::asio::awaitable<Result<std::string>> read_all(size_t max_bytes = 64 << 20);

  // Sends RST_STREAM(CANCEL) (unless the stream already ended) and drops what is buffered; a pending or later
  // read() returns kCancelled. May be called from any thread.
  void cancel();

  Http2Stream(std::shared_ptr<Http2Connection> connection, std::shared_ptr<Http2StreamState> state);
  ~Http2Stream();
  Http2Stream(const Http2Stream&) = delete;
  Http2Stream& operator=(const Http2Stream&) = delete;

 private:
  static boost::asio::awaitable<Result<std::optional<std::string>>> read_on_loop(
      std::shared_ptr<Http2Connection> connection, std::shared_ptr<Http2StreamState> state);

  std::shared_ptr<Http2Connection> connection_;
  std::shared_ptr<Http2StreamState> state_;
};

}  // namespace pk::http
