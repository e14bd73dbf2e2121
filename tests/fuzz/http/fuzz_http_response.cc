// Feeds untrusted bytes to the HTTP/1.1 response decoder (Beast's parser through our code path), whole and in
// pieces, and checks that the split does not change the outcome (accepted or not; the response itself; the kind
// of error). The first byte picks the piece size and whether the request was a HEAD.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "http/http1_codec.h"

namespace {

pk::Result<pk::http::Response> decode_in_pieces(std::string_view bytes, size_t piece, size_t max_body, bool head) {
  pk::http::ResponseDecoder decoder(max_body, head);
  for (size_t at = 0; at < bytes.size() && !decoder.done(); at += piece) {
    PK_TRY(decoder.feed(bytes.substr(at, piece)));
  }
  PK_TRY(decoder.finish());
  return decoder.take();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const size_t piece = 1 + data[0] % 32;
  const bool head = (data[0] & 0x80) != 0;
  const size_t max_body = 4096;
  const std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);

  auto whole = pk::http::decode_response(bytes, max_body, head);
  auto split = decode_in_pieces(bytes, piece, max_body, head);
  if (whole.ok() != split.ok()) std::abort();
  if (whole.ok()) {
    if (whole->status != split->status || whole->body != split->body ||
        whole->headers.size() != split->headers.size()) {
      std::abort();
    }
    if (whole->status < 200 || whole->status > 999 || whole->status < 100 || whole->body.size() > max_body)
      std::abort();
  } else if (whole.error().code != split.error().code) {
    // Beast checks a start line as soon as it is whole on the first call, but once it has asked for more it
    // waits for the whole header: bytes that are both malformed and cut short may be reported either way.
    const auto truncated_or_malformed = [](pk::ErrorCode c) {
      return c == pk::ErrorCode::kIo || c == pk::ErrorCode::kMalformedInput;
    };
    if (!truncated_or_malformed(whole.error().code) || !truncated_or_malformed(split.error().code)) std::abort();
  }
  return 0;
}
