// Feeds arbitrary bytes to the event-stream decoder, whole and in pieces whose sizes come from the input, and
// checks that both ways agree and that every decoded message re-encodes to a frame that decodes to itself.
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "aws/event_stream.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const size_t step = 1 + data[0] % 64;
  const std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);
  const pk::aws::EventStreamLimits limits{1 << 20, 64 * 1024};

  std::vector<pk::aws::EventStreamMessage> whole;
  pk::aws::EventStreamDecoder a(limits);
  const bool whole_ok = a.feed(bytes, whole).ok();

  std::vector<pk::aws::EventStreamMessage> pieces;
  pk::aws::EventStreamDecoder b(limits);
  bool pieces_ok = true;
  for (size_t pos = 0; pos < bytes.size() && pieces_ok; pos += step) {
    pieces_ok = b.feed(bytes.substr(pos, step), pieces).ok();
  }
  if (whole_ok != pieces_ok || whole != pieces) std::abort();

  for (const auto& m : whole) {
    auto encoded = pk::aws::encode_event_stream_message(m);
    if (!encoded.ok()) std::abort();  // whatever decodes must be encodable
    auto again = pk::aws::decode_event_stream_message(*encoded, limits);
    if (!again.ok() || !(*again == m)) std::abort();
  }
  (void)pk::aws::decode_event_stream_message(bytes, limits);
  (void)pk::aws::decode_event_stream_headers(bytes);
  return 0;
}
