#pragma once
// Pulsar frames: encoding simple and payload commands, and parsing one complete frame. Pure functions over bytes;
// thread-safe (no shared state). The incremental reader over a byte stream is FrameDecoder (frame_decoder.h).
//
// Wire layout (all integers big-endian):
//
//   simple:  [u32 totalSize][u32 commandSize][BaseCommand]
//   payload: [u32 totalSize][u32 commandSize][BaseCommand]
//            ([u16 0x0e02][u32 size][BrokerEntryMetadata])?      <- broker only, MESSAGE frames
//            ([u16 0x0e01][u32 crc32c])?                        <- optional on read, always written
//            [u32 metadataSize][MessageMetadata][payload ...]
//            `----------------- crc32c covers this ------------'
//
// totalSize counts every byte after itself.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "pulsar/proto/pulsar_wire.pb.h"

namespace pk::pulsar::proto {

inline constexpr uint16_t kChecksumMagic = 0x0e01;
inline constexpr uint16_t kBrokerEntryMetadataMagic = 0x0e02;

// The broker's default max_message_size (CONNECTED may announce another) and the room a frame may take beyond
// the message itself (command, metadata, framing), as the official clients allow.
inline constexpr size_t kDefaultMaxMessageSize = 5 * 1024 * 1024;
inline constexpr size_t kFrameOverhead = 10 * 1024;
inline constexpr size_t kDefaultMaxFrameSize = kDefaultMaxMessageSize + kFrameOverhead;

// One decoded frame.
struct Frame {
  pb::BaseCommand command;
  // Present when the broker put the 0x0e02 section in front of the checksum (MESSAGE frames, when enabled).
  std::optional<pb::BrokerEntryMetadata> broker_entry_metadata;
  // True for payload commands (SEND, MESSAGE): metadata and payload below are meaningful.
  bool has_payload = false;
  pb::MessageMetadata metadata;
  std::string payload;
  // Whether the frame carried the 0x0e01 checksum section, and whether it matched. A frame without a checksum
  // counts as valid. When the checksum does not match, the frame is still returned (its boundaries come from
  // totalSize, so the stream stays in sync) with checksum_valid = false; metadata and payload are then whatever
  // could be read (possibly empty) and must not be delivered: the client acks the entry with
  // validation_error = ChecksumMismatch.
  bool checksum_present = false;
  bool checksum_valid = true;
};

// Appends a simple command frame. `cmd` must have its required fields set (debug builds assert it).
void append_simple_command(std::string& out, const pb::BaseCommand& cmd);

// Appends a payload command frame (SEND, or MESSAGE in test brokers) with the CRC32C checksum. The payload is
// copied once, straight into `out`; command and metadata are serialized in place.
void append_payload_command(std::string& out, const pb::BaseCommand& cmd, const pb::MessageMetadata& metadata,
                            std::string_view payload);

// Size of the frame append_payload_command would write (for memory accounting before encoding).
size_t payload_command_size(const pb::BaseCommand& cmd, const pb::MessageMetadata& metadata, size_t payload_size);

// Parses one complete frame, `frame` being exactly [u32 totalSize] followed by totalSize bytes. Errors
// (kMalformedInput) name what was wrong and its offset within the frame.
Result<Frame> parse_frame(std::string_view frame);
// The same into an existing Frame, which is reset first: reusing one Frame keeps its protobuf sub-messages and
// string capacity, so a read loop allocates next to nothing per frame. On error `out` holds partial results.
Status parse_frame(std::string_view frame, Frame& out);

// Reads the big-endian u32 at `p` (which must have 4 readable bytes).
inline uint32_t load_be32(const char* p) {
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  return (uint32_t{u[0]} << 24) | (uint32_t{u[1]} << 16) | (uint32_t{u[2]} << 8) | uint32_t{u[3]};
}

}  // namespace pk::pulsar::proto
