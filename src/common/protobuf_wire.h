#pragma once
// The protobuf wire format, read and written by hand where the generated classes cost too much (the KPL aggregate
// writer and reader, the batch message metadata of Pulsar): wire types, varint writing, and a bounds-checked reader of
// varints, tags, length-delimited values and skipped unknown fields (groups included), with the generated parser's
// limits. Header-only, no state beyond the position; returns false on bad input and leaves the wording of errors to the
// caller.

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace pk::protobuf {

enum WireType : uint8_t {
  kVarint = 0,
  kFixed64 = 1,
  kLengthDelimited = 2,
  kStartGroup = 3,
  kEndGroup = 4,
  kFixed32 = 5
};

constexpr uint8_t tag(uint32_t field, WireType type) {
  return static_cast<uint8_t>((field << 3) | type);
}

// The number of bytes of the varint encoding of `v` (1 to 10).
constexpr size_t varint_size(uint64_t v) {
  size_t n = 1;
  while (v >= 0x80) {
    v >>= 7;
    ++n;
  }
  return n;
}

// Writes the varint encoding of `v` at `out` (room for varint_size(v) bytes); returns the byte after it.
inline char* write_varint(char* out, uint64_t v) {
  while (v >= 0x80) {
    *out++ = static_cast<char>(static_cast<uint8_t>(v) | 0x80);
    v >>= 7;
  }
  *out++ = static_cast<char>(v);
  return out;
}

// Protobuf's own nesting limit, for unknown groups.
constexpr int kMaxGroupDepth = 100;

// Reads protobuf wire values from [pos, end). Every read checks the bounds and returns false on bad input.
class WireReader {
 public:
  explicit WireReader(std::string_view bytes)
      : begin_(bytes.data()), pos_(bytes.data()), end_(bytes.data() + bytes.size()) {}

  bool at_end() const { return pos_ == end_; }
  // How far the reader got, in bytes from the start (for error messages).
  size_t offset() const { return static_cast<size_t>(pos_ - begin_); }

  bool varint(uint64_t& value) {
    if (pos_ != end_ && static_cast<uint8_t>(*pos_) < 0x80) {
      value = static_cast<uint8_t>(*pos_++);
      return true;
    }
    uint64_t v = 0;
    for (int i = 0; i < 10; ++i) {  // at most 10 bytes; bits past 64 are dropped, as protobuf does
      if (pos_ == end_) return false;
      const auto byte = static_cast<uint8_t>(*pos_++);
      v |= static_cast<uint64_t>(byte & 0x7F) << (7 * i);
      if (byte < 0x80) {
        value = v;
        return true;
      }
    }
    return false;
  }

  // A tag: field number 1 .. 2^29-1 and a wire type. As protobuf reads it: at most 5 bytes, the bits past 32
  // dropped, field number 0 refused.
  bool tag(uint64_t& value) {
    uint32_t v = 0;
    for (int i = 0; i < 5; ++i) {
      if (pos_ == end_) return false;
      const auto byte = static_cast<uint8_t>(*pos_++);
      v |= static_cast<uint32_t>(byte & 0x7F) << (7 * i);
      if (byte < 0x80) {
        value = v;
        return (v >> 3) != 0;
      }
    }
    return false;
  }

  bool delimited(std::string_view& value) {
    uint64_t size = 0;
    if (!varint(size) || size > static_cast<uint64_t>(end_ - pos_)) return false;
    value = std::string_view(pos_, size);
    pos_ += size;
    return true;
  }

  // Skips the value of a field this reader does not know.
  bool skip(uint64_t tag_value, int depth = 0) {
    uint64_t ignored = 0;
    std::string_view ignored_bytes;
    switch (tag_value & 7) {
      case kVarint:
        return varint(ignored);
      case kFixed64:
        return advance(8);
      case kLengthDelimited:
        return delimited(ignored_bytes);
      case kFixed32:
        return advance(4);
      case kStartGroup: {
        if (depth >= kMaxGroupDepth) return false;
        const uint64_t end_tag = (tag_value & ~uint64_t{7}) | kEndGroup;
        for (;;) {
          uint64_t inner = 0;
          if (!tag(inner)) return false;
          if (inner == end_tag) return true;
          if (!skip(inner, depth + 1)) return false;
        }
      }
      default:  // an end-group without its start, or wire types 6 and 7
        return false;
    }
  }

 private:
  bool advance(size_t n) {
    if (static_cast<size_t>(end_ - pos_) < n) return false;
    pos_ += n;
    return true;
  }

  const char* begin_;
  const char* pos_;
  const char* end_;
};

}  // namespace pk::protobuf
