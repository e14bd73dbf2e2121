#pragma once
// HTTP/1.1 on the wire, as pure functions over bytes (no sockets): the request head we send and the decoder for
// the (untrusted) response bytes we read. The decoder wraps Beast's parser so that it can be fed in pieces as
// they arrive, tested one byte at a time and fuzzed (tests/fuzz/http/).

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "common/result.h"
#include "http/types.h"

namespace pk::http {

// Request line, `Host: <authority>` (unless the request carries its own Host), the request's headers and
// `Content-Length` (when absent and the request has a body or is a POST/PUT/PATCH), then the empty line.
// The body is not included: the connection writes it after the head without copying it.
// Errors (kInvalidArgument) name the bad method, target or header - never a header's value.
Result<std::string> encode_request_head(const Request& request, std::string_view authority);

// Decodes one response. Feed the bytes as they arrive; interim 1xx responses are skipped. Not thread-safe; one
// decoder per response.
class ResponseDecoder {
 public:
  static constexpr size_t kMaxHeaderBytes = 64 * 1024;

  // `head_request`: the response to a HEAD request has no body whatever its headers say.
  explicit ResponseDecoder(size_t max_body_bytes, bool head_request = false);
  ~ResponseDecoder();
  ResponseDecoder(const ResponseDecoder&) = delete;
  ResponseDecoder& operator=(const ResponseDecoder&) = delete;

  // Consumes `bytes`. kMalformedInput for bytes that are not HTTP/1.x or a header/body past the limits,
  // kUnsupported for 101 Switching Protocols. Bytes after the end of the response are counted in leftover().
  Status feed(std::string_view bytes);
  // The peer closed the connection: completes a response whose body runs to the end of the stream, or
  // reports (kIo) that the response was cut short.
  Status finish();

  bool done() const { return done_; }
  // Once done: whether the connection may carry another request (HTTP/1.1 keep-alive, no `Connection: close`,
  // body not delimited by the end of the stream, nothing unexpected after the response).
  bool keep_alive() const;
  size_t bytes_received() const { return received_; }
  size_t leftover() const { return leftover_; }
  // Once done: the response (moves the body out).
  Response take();

 private:
  struct Impl;
  Result<size_t> consume(std::string_view data);

  std::unique_ptr<Impl> impl_;
  std::string pending_;  // bytes the parser has not taken yet (a header split across reads)
  size_t received_ = 0;
  size_t leftover_ = 0;
  bool done_ = false;
  bool reusable_ = false;  // what the response's version and Connection header allow
};

// The whole response in one buffer (tests, fuzzing): feed + finish.
Result<Response> decode_response(std::string_view bytes, size_t max_body_bytes = 64 << 20, bool head_request = false);

}  // namespace pk::http
