#include "pulsar/proto/frame_decoder.h"

#include <fmt/format.h>

#include <algorithm>
#include <cassert>
#include <cstring>
#include <limits>

namespace pk::pulsar::proto {
namespace {

// protobuf parses at most 2 GiB at once; a frame never gets near that, but a setting could.
constexpr size_t kMaxSupportedFrameSize = std::numeric_limits<int32_t>::max();
// An idle decoder keeps at most this much spare buffer (after a large frame it gives the memory back).
constexpr size_t kKeptBufferSize = 256 * 1024;

}  // namespace

FrameDecoder::FrameDecoder(size_t max_frame_size) {
  set_max_frame_size(max_frame_size);
}

void FrameDecoder::set_max_frame_size(size_t max_frame_size) {
  max_frame_size_ = std::clamp<size_t>(max_frame_size, 8, kMaxSupportedFrameSize);
}

std::span<char> FrameDecoder::prepare(size_t n) {
  if (buffer_.size() - end_ < n) {
    // Move the partial frame to the front before growing.
    if (begin_ > 0) {
      std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
      end_ -= begin_;
      begin_ = 0;
    }
    if (buffer_.size() - end_ < n) buffer_.resize(end_ + n);
  }
  return {buffer_.data() + end_, n};
}

void FrameDecoder::commit(size_t n) {
  assert(n <= buffer_.size() - end_);
  end_ += n;
}

void FrameDecoder::feed(std::string_view bytes) {
  if (bytes.empty()) return;
  std::span<char> room = prepare(bytes.size());
  std::memcpy(room.data(), bytes.data(), bytes.size());
  commit(bytes.size());
}

Error FrameDecoder::fail(Error error) {
  error_ = std::move(error);
  return *error_;
}

Result<bool> FrameDecoder::next(Frame& frame) {
  if (error_) return *error_;
  const size_t available = end_ - begin_;
  if (available < 4) return false;
  const uint64_t total_size = load_be32(buffer_.data() + begin_);
  if (total_size + 4 > max_frame_size_) {
    return fail(make_error(ErrorCode::kMalformedInput,
                           fmt::format("frame at stream offset {} declares totalSize {}: more than the maximum "
                                       "frame size of {} bytes",
                                       stream_offset_, total_size, max_frame_size_)));
  }
  if (total_size < 4) {
    return fail(make_error(ErrorCode::kMalformedInput,
                           fmt::format("frame at stream offset {} declares totalSize {}: too small to hold its "
                                       "4-byte commandSize",
                                       stream_offset_, total_size)));
  }
  if (available < total_size + 4) return false;

  const std::string_view bytes(buffer_.data() + begin_, total_size + 4);
  const Status parsed = parse_frame(bytes, frame);
  if (!parsed.ok()) {
    return fail(parsed.error().with_context(fmt::format("frame at stream offset {}", stream_offset_)));
  }
  begin_ += bytes.size();
  stream_offset_ += bytes.size();
  if (begin_ == end_) {
    begin_ = end_ = 0;
    if (buffer_.size() > kKeptBufferSize) std::string().swap(buffer_);
  }
  return true;
}

Result<std::optional<Frame>> FrameDecoder::next() {
  std::optional<Frame> frame(std::in_place);
  PK_ASSIGN_OR_RETURN(const bool got, next(*frame));
  if (!got) frame.reset();
  return frame;
}

}  // namespace pk::pulsar::proto
