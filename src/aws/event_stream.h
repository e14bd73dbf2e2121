#pragma once
// The AWS event-stream framing (`application/vnd.amazon.eventstream`, used by SubscribeToShard): an incremental
// decoder that turns bytes, fed in pieces of any size, into messages (headers + payload), and an encoder (for
// tests and fakes). Pure code over bytes: no sockets, no coroutines.
//
// Frame (big-endian):
//   u32 total_length | u32 headers_length | u32 prelude_crc   (CRC32 of the first 8 bytes)
//   headers (headers_length bytes) | payload | u32 message_crc (CRC32 of everything before it)
// Header: u8 name_length | name | u8 type | value, by type: 0 true, 1 false, 2 int8, 3 int16, 4 int32, 5 int64,
// 6 bytes (u16 length), 7 string (u16 length), 8 timestamp (int64 ms since epoch), 9 uuid (16 bytes).
//
// Errors name the problem and the stream offset of the frame; after an error the decoder stays failed (a
// corrupted length makes every later boundary meaningless). Owned by one reader; not thread-safe.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/result.h"

namespace pk::aws {

struct EventStreamTimestamp {
  int64_t millis = 0;
  bool operator==(const EventStreamTimestamp&) const = default;
};
struct EventStreamUuid {
  std::array<uint8_t, 16> bytes{};
  bool operator==(const EventStreamUuid&) const = default;
};
// A byte array header value, kept apart from strings because the wire type differs.
struct EventStreamBytes {
  std::string bytes;
  bool operator==(const EventStreamBytes&) const = default;
};

using EventStreamValue = std::variant<bool, int8_t, int16_t, int32_t, int64_t, EventStreamBytes, std::string,
                                      EventStreamTimestamp, EventStreamUuid>;

struct EventStreamHeader {
  std::string name;
  EventStreamValue value;
  bool operator==(const EventStreamHeader&) const = default;
};

struct EventStreamMessage {
  std::vector<EventStreamHeader> headers;
  std::string payload;

  // The value of a string header (":message-type", ":event-type", ":exception-type", ...); empty if absent or
  // not a string.
  std::string_view header_string(std::string_view name) const;
  const EventStreamHeader* find_header(std::string_view name) const;
  bool operator==(const EventStreamMessage&) const = default;
};

struct EventStreamLimits {
  size_t max_message_size = 24 * 1024 * 1024;  // AWS: 16 MiB payload + 128 KiB headers; leave room
  size_t max_headers_size = 128 * 1024;
};

class EventStreamDecoder {
 public:
  static constexpr size_t kPreludeSize = 12;
  static constexpr size_t kMinMessageSize = 16;  // prelude + message CRC

  explicit EventStreamDecoder(EventStreamLimits limits = {}) : limits_(limits) {}

  // Appends bytes and decodes every complete message they finish into `out`. Returns an error (and stays
  // failed) on a bad frame; messages decoded before the bad frame are still appended.
  Status feed(std::string_view bytes, std::vector<EventStreamMessage>& out);

  // Bytes held for an incomplete message.
  size_t buffered() const { return buffer_.size(); }
  // Stream offset of the first byte not yet decoded (the start of the next frame).
  uint64_t offset() const { return stream_offset_; }
  bool failed() const { return failed_.has_value(); }

 private:
  EventStreamLimits limits_;
  std::string buffer_;          // the start of an incomplete frame
  uint64_t stream_offset_ = 0;  // stream offset of buffer_[0]
  std::optional<Error> failed_;
};

// Decodes exactly one whole frame (the bytes must hold one message and nothing else).
Result<EventStreamMessage> decode_event_stream_message(std::string_view frame, EventStreamLimits limits = {});

// Parses the headers block of a frame (exposed for tests and fuzzing). `frame_offset` only feeds error messages.
Result<std::vector<EventStreamHeader>> decode_event_stream_headers(std::string_view block, uint64_t frame_offset = 0);

// Encodes one message. Fails (kInvalidArgument) when a name is longer than 255 bytes or a string/bytes value
// longer than 65535 bytes.
Result<std::string> encode_event_stream_message(const EventStreamMessage& message);

}  // namespace pk::aws
