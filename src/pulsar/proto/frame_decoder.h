#pragma once
// FrameDecoder: turns the bytes of one Pulsar connection, arriving in chunks of any size, into frames.
// Owned by the connection that reads the socket and touched only from that connection's loop (not thread-safe).
//
//   decoder.feed(bytes);                      // or: auto buf = decoder.prepare(n); read into buf; commit(k)
//   while (true) {
//     auto frame = decoder.next();            // Result<std::optional<Frame>>
//     if (!frame.ok()) -> close the connection (the decoder stays failed)
//     if (!*frame) break;                     // need more bytes
//     handle(**frame);
//   }
//
// A frame larger than max_frame_size() is refused as soon as its 4-byte size arrives, so a peer cannot make us
// buffer more than that. Errors name what was wrong and the offset in the stream.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "common/result.h"
#include "pulsar/proto/frame.h"

namespace pk::pulsar::proto {

class FrameDecoder {
 public:
  // `max_frame_size` bounds a whole frame, its 4-byte size field included.
  explicit FrameDecoder(size_t max_frame_size = kDefaultMaxFrameSize);

  // The client sets this from CONNECTED's max_message_size + kFrameOverhead.
  void set_max_frame_size(size_t max_frame_size);
  size_t max_frame_size() const { return max_frame_size_; }

  // Copies `bytes` into the internal buffer.
  void feed(std::string_view bytes);
  // Zero-copy feeding: prepare(n) returns room for n bytes at the end of the buffer (valid until the next call
  // on the decoder); commit(k) makes the first k <= n of them part of the stream.
  std::span<char> prepare(size_t n);
  void commit(size_t n);

  // The next complete frame, std::nullopt when more bytes are needed, or the error that ended the stream (and
  // every later call returns the same error).
  Result<std::optional<Frame>> next();
  // The same into a Frame the caller keeps across calls (the fast path for a read loop: protobuf objects and
  // buffers are reused): true when `frame` now holds the next frame, false when more bytes are needed.
  Result<bool> next(Frame& frame);

  bool failed() const { return error_.has_value(); }
  // Bytes received but not yet returned as frames.
  size_t buffered() const { return end_ - begin_; }
  // Stream offset of the first buffered byte (bytes consumed so far).
  uint64_t stream_offset() const { return stream_offset_; }

 private:
  Error fail(Error error);

  size_t max_frame_size_;
  std::string buffer_;  // bytes [begin_, end_) are buffered; the rest is spare room
  size_t begin_ = 0;
  size_t end_ = 0;
  uint64_t stream_offset_ = 0;
  std::optional<Error> error_;
};

}  // namespace pk::pulsar::proto
