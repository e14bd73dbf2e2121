#include "aws/event_stream.h"

#include <cstring>

#include <fmt/format.h>

#include "common/crc32.h"

namespace pk::aws {
namespace {

enum HeaderType : uint8_t {
  kTrue = 0,
  kFalse = 1,
  kByte = 2,
  kInt16 = 3,
  kInt32 = 4,
  kInt64 = 5,
  kBytes = 6,
  kString = 7,
  kTimestamp = 8,
  kUuid = 9,
};

uint64_t read_be(const char* p, size_t n) {
  uint64_t v = 0;
  for (size_t i = 0; i < n; ++i) v = (v << 8) | static_cast<uint8_t>(p[i]);
  return v;
}

void write_be(std::string& out, uint64_t v, size_t n) {
  for (size_t i = n; i-- > 0;) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

Error frame_error(uint64_t offset, std::string what) {
  return make_error(ErrorCode::kMalformedInput, fmt::format("event-stream frame at offset {}: {}", offset, what));
}

// Outcome of looking at the start of `data`: an error, "need more bytes", or one message of `size` bytes.
struct Decoded {
  size_t size = 0;  // 0: incomplete
  EventStreamMessage message;
};

Result<Decoded> decode_one(std::string_view data, uint64_t offset, const EventStreamLimits& limits) {
  if (data.size() < EventStreamDecoder::kPreludeSize) return Decoded{};
  const uint32_t total = static_cast<uint32_t>(read_be(data.data(), 4));
  const uint32_t headers_len = static_cast<uint32_t>(read_be(data.data() + 4, 4));
  const uint32_t prelude_crc = static_cast<uint32_t>(read_be(data.data() + 8, 4));
  const uint32_t computed_prelude = crc32(data.data(), 8);
  if (computed_prelude != prelude_crc) {
    return frame_error(offset, fmt::format("prelude CRC mismatch (frame says {:#010x}, bytes give {:#010x})",
                                           prelude_crc, computed_prelude));
  }
  if (total < EventStreamDecoder::kMinMessageSize) {
    return frame_error(
        offset, fmt::format("total length {} is below the minimum of {}", total, EventStreamDecoder::kMinMessageSize));
  }
  if (total > limits.max_message_size) {
    return frame_error(offset,
                       fmt::format("total length {} exceeds the limit of {} bytes", total, limits.max_message_size));
  }
  if (headers_len > total - EventStreamDecoder::kMinMessageSize) {
    return frame_error(offset,
                       fmt::format("headers length {} does not fit in a frame of {} bytes", headers_len, total));
  }
  if (headers_len > limits.max_headers_size) {
    return frame_error(
        offset, fmt::format("headers length {} exceeds the limit of {} bytes", headers_len, limits.max_headers_size));
  }
  if (data.size() < total) return Decoded{};

  const uint32_t message_crc = static_cast<uint32_t>(read_be(data.data() + total - 4, 4));
  const uint32_t computed =
      crc32_extend(computed_prelude, data.data() + 8, total - 4 - 8);  // CRC of [0, 8) extended to total - 4
  if (computed != message_crc) {
    return frame_error(
        offset, fmt::format("message CRC mismatch (frame says {:#010x}, bytes give {:#010x})", message_crc, computed));
  }
  Decoded d;
  d.size = total;
  auto headers = decode_event_stream_headers(data.substr(EventStreamDecoder::kPreludeSize, headers_len), offset);
  if (!headers.ok()) return std::move(headers).error();
  d.message.headers = std::move(*headers);
  const size_t payload_start = EventStreamDecoder::kPreludeSize + headers_len;
  d.message.payload.assign(data.data() + payload_start, total - 4 - payload_start);
  return d;
}

}  // namespace

const EventStreamHeader* EventStreamMessage::find_header(std::string_view name) const {
  for (const auto& h : headers) {
    if (h.name == name) return &h;
  }
  return nullptr;
}

std::string_view EventStreamMessage::header_string(std::string_view name) const {
  const auto* h = find_header(name);
  if (h == nullptr) return {};
  const auto* s = std::get_if<std::string>(&h->value);
  return s != nullptr ? std::string_view(*s) : std::string_view{};
}

Result<std::vector<EventStreamHeader>> decode_event_stream_headers(std::string_view block, uint64_t frame_offset) {
  std::vector<EventStreamHeader> headers;
  headers.reserve(block.empty() ? 0 : 4);  // SubscribeToShard frames carry 3-4 headers: one allocation
  size_t pos = 0;
  auto fail = [&](size_t at, std::string what) {
    return frame_error(frame_offset, fmt::format("header {} (at byte {} of the frame): {}", headers.size(),
                                                 EventStreamDecoder::kPreludeSize + at, what));
  };
  while (pos < block.size()) {
    const size_t start = pos;
    const size_t name_len = static_cast<uint8_t>(block[pos++]);
    if (name_len == 0) return fail(start, "empty header name");
    if (block.size() - pos < name_len + 1) return fail(start, "name runs past the headers block");
    EventStreamHeader h;
    h.name.assign(block.data() + pos, name_len);
    pos += name_len;
    const uint8_t type = static_cast<uint8_t>(block[pos++]);
    auto need = [&](size_t n) { return block.size() - pos >= n; };
    switch (type) {
      case kTrue:
        h.value = true;
        break;
      case kFalse:
        h.value = false;
        break;
      case kByte:
        if (!need(1)) return fail(start, "byte value runs past the headers block");
        h.value = static_cast<int8_t>(block[pos]);
        pos += 1;
        break;
      case kInt16:
        if (!need(2)) return fail(start, "int16 value runs past the headers block");
        h.value = static_cast<int16_t>(read_be(block.data() + pos, 2));
        pos += 2;
        break;
      case kInt32:
        if (!need(4)) return fail(start, "int32 value runs past the headers block");
        h.value = static_cast<int32_t>(read_be(block.data() + pos, 4));
        pos += 4;
        break;
      case kInt64:
        if (!need(8)) return fail(start, "int64 value runs past the headers block");
        h.value = static_cast<int64_t>(read_be(block.data() + pos, 8));
        pos += 8;
        break;
      case kTimestamp:
        if (!need(8)) return fail(start, "timestamp value runs past the headers block");
        h.value = EventStreamTimestamp{static_cast<int64_t>(read_be(block.data() + pos, 8))};
        pos += 8;
        break;
      case kBytes:
      case kString: {
        if (!need(2)) return fail(start, "value length runs past the headers block");
        const size_t len = read_be(block.data() + pos, 2);
        pos += 2;
        if (!need(len)) return fail(start, fmt::format("value of {} bytes runs past the headers block", len));
        std::string v(block.data() + pos, len);
        pos += len;
        if (type == kString) {
          h.value = std::move(v);
        } else {
          h.value = EventStreamBytes{std::move(v)};
        }
        break;
      }
      case kUuid: {
        if (!need(16)) return fail(start, "uuid value runs past the headers block");
        EventStreamUuid u;
        std::memcpy(u.bytes.data(), block.data() + pos, 16);
        h.value = u;
        pos += 16;
        break;
      }
      default:
        return fail(start, fmt::format("unknown value type {}", type));
    }
    headers.push_back(std::move(h));
  }
  return headers;
}

Status EventStreamDecoder::feed(std::string_view bytes, std::vector<EventStreamMessage>& out) {
  if (failed_) return *failed_;
  // Whole frames that arrive in one piece are decoded straight from the caller's bytes; only a trailing partial
  // frame is copied.
  const bool direct = buffer_.empty();
  if (!direct) buffer_.append(bytes);
  const std::string_view data = direct ? bytes : std::string_view(buffer_);
  size_t pos = 0;
  while (pos < data.size()) {
    auto decoded = decode_one(data.substr(pos), stream_offset_, limits_);
    if (!decoded.ok()) {
      failed_ = decoded.error();
      buffer_.clear();
      return *failed_;
    }
    if (decoded->size == 0) break;
    out.push_back(std::move(decoded->message));
    pos += decoded->size;
    stream_offset_ += decoded->size;
  }
  if (direct) {
    buffer_.assign(data.substr(pos));
  } else {
    buffer_.erase(0, pos);
  }
  return ok_status();
}

Result<EventStreamMessage> decode_event_stream_message(std::string_view frame, EventStreamLimits limits) {
  auto decoded = decode_one(frame, 0, limits);
  if (!decoded.ok()) return std::move(decoded).error();
  if (decoded->size == 0) {
    return frame_error(0, fmt::format("truncated: {} bytes do not hold a whole frame", frame.size()));
  }
  if (decoded->size != frame.size()) {
    return frame_error(
        0, fmt::format("{} bytes follow the frame of {} bytes", frame.size() - decoded->size, decoded->size));
  }
  return std::move(decoded->message);
}

Result<std::string> encode_event_stream_message(const EventStreamMessage& message) {
  std::string headers;
  for (const auto& h : message.headers) {
    if (h.name.empty() || h.name.size() > 255) {
      return make_error(ErrorCode::kInvalidArgument,
                        fmt::format("event-stream header name must be 1-255 bytes, got {}", h.name.size()));
    }
    headers.push_back(static_cast<char>(h.name.size()));
    headers += h.name;
    Status st = ok_status();
    std::visit(
        [&](const auto& v) {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, bool>) {
            headers.push_back(static_cast<char>(v ? kTrue : kFalse));
          } else if constexpr (std::is_same_v<T, int8_t>) {
            headers.push_back(static_cast<char>(kByte));
            write_be(headers, static_cast<uint8_t>(v), 1);
          } else if constexpr (std::is_same_v<T, int16_t>) {
            headers.push_back(static_cast<char>(kInt16));
            write_be(headers, static_cast<uint16_t>(v), 2);
          } else if constexpr (std::is_same_v<T, int32_t>) {
            headers.push_back(static_cast<char>(kInt32));
            write_be(headers, static_cast<uint32_t>(v), 4);
          } else if constexpr (std::is_same_v<T, int64_t>) {
            headers.push_back(static_cast<char>(kInt64));
            write_be(headers, static_cast<uint64_t>(v), 8);
          } else if constexpr (std::is_same_v<T, EventStreamTimestamp>) {
            headers.push_back(static_cast<char>(kTimestamp));
            write_be(headers, static_cast<uint64_t>(v.millis), 8);
          } else if constexpr (std::is_same_v<T, EventStreamUuid>) {
            headers.push_back(static_cast<char>(kUuid));
            headers.append(reinterpret_cast<const char*>(v.bytes.data()), v.bytes.size());
          } else {
            const std::string& s = [&]() -> const std::string& {
              if constexpr (std::is_same_v<T, EventStreamBytes>) {
                return v.bytes;
              } else {
                return v;
              }
            }();
            if (s.size() > 0xffff) {
              st = make_error(ErrorCode::kInvalidArgument,
                              fmt::format("event-stream header {} value is {} bytes, above 65535", h.name, s.size()));
              return;
            }
            headers.push_back(static_cast<char>(std::is_same_v<T, EventStreamBytes> ? kBytes : kString));
            write_be(headers, s.size(), 2);
            headers += s;
          }
        },
        h.value);
    PK_TRY(st);
  }
  const uint64_t total = EventStreamDecoder::kMinMessageSize + headers.size() + message.payload.size();
  if (total > 0xffffffffu) return make_error(ErrorCode::kInvalidArgument, "event-stream message above 4 GiB");
  std::string out;
  out.reserve(total);
  write_be(out, total, 4);
  write_be(out, headers.size(), 4);
  write_be(out, crc32(out.data(), 8), 4);
  out += headers;
  out += message.payload;
  write_be(out, crc32(out.data(), out.size()), 4);
  return out;
}

}  // namespace pk::aws
