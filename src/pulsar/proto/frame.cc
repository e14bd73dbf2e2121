#include "pulsar/proto/frame.h"

#include <fmt/format.h>

#include <cassert>
#include <cstring>
#include <limits>

#include "common/crc32c.h"

namespace pk::pulsar::proto {
namespace {

// Bytes between the end of the command and the start of the metadata in a payload frame we write:
// magic, checksum, metadataSize.
constexpr size_t kChecksumSectionSize = 2 + 4;

void store_be32(char* p, uint32_t v) {
  p[0] = static_cast<char>(v >> 24);
  p[1] = static_cast<char>(v >> 16);
  p[2] = static_cast<char>(v >> 8);
  p[3] = static_cast<char>(v);
}

void store_be16(char* p, uint16_t v) {
  p[0] = static_cast<char>(v >> 8);
  p[1] = static_cast<char>(v);
}

uint16_t load_be16(const char* p) {
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  return static_cast<uint16_t>((u[0] << 8) | u[1]);
}

uint8_t* as_bytes(char* p) {
  return reinterpret_cast<uint8_t*>(p);
}

Error malformed(size_t offset, std::string_view what) {
  return make_error(ErrorCode::kMalformedInput, fmt::format("{} (at frame offset {})", what, offset));
}

// Parses `bytes` into `message`, naming the part (`what`) and its offset on failure. Missing required fields are
// reported by name (field names only: no values, so nothing secret can leak).
Status parse_message(google::protobuf::MessageLite& message, std::string_view bytes, std::string_view what,
                     size_t offset) {
  if (!message.ParsePartialFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return malformed(offset, fmt::format("{} of {} bytes is not a valid protobuf message", what, bytes.size()));
  }
  if (!message.IsInitialized()) {
    return malformed(offset, fmt::format("{} lacks required fields: {}", what, message.InitializationErrorString()));
  }
  return ok_status();
}

// Each sub-command's field number equals its type; a command whose sub-command we declare must carry it (the
// official clients and broker check the same), so callers can rely on e.g. command.send() being real. A switch
// rather than reflection: this runs for every frame (a unit test checks it against the descriptor).
bool has_sub_command(const pb::BaseCommand& command) {
  switch (command.type()) {
    case pb::BaseCommand::CONNECT:
      return command.has_connect();
    case pb::BaseCommand::CONNECTED:
      return command.has_connected();
    case pb::BaseCommand::SUBSCRIBE:
      return command.has_subscribe();
    case pb::BaseCommand::PRODUCER:
      return command.has_producer();
    case pb::BaseCommand::SEND:
      return command.has_send();
    case pb::BaseCommand::SEND_RECEIPT:
      return command.has_send_receipt();
    case pb::BaseCommand::SEND_ERROR:
      return command.has_send_error();
    case pb::BaseCommand::MESSAGE:
      return command.has_message();
    case pb::BaseCommand::ACK:
      return command.has_ack();
    case pb::BaseCommand::FLOW:
      return command.has_flow();
    case pb::BaseCommand::UNSUBSCRIBE:
      return command.has_unsubscribe();
    case pb::BaseCommand::SUCCESS:
      return command.has_success();
    case pb::BaseCommand::ERROR:
      return command.has_error();
    case pb::BaseCommand::CLOSE_PRODUCER:
      return command.has_close_producer();
    case pb::BaseCommand::CLOSE_CONSUMER:
      return command.has_close_consumer();
    case pb::BaseCommand::PRODUCER_SUCCESS:
      return command.has_producer_success();
    case pb::BaseCommand::PING:
      return command.has_ping();
    case pb::BaseCommand::PONG:
      return command.has_pong();
    case pb::BaseCommand::REDELIVER_UNACKNOWLEDGED_MESSAGES:
      return command.has_redeliverunacknowledgedmessages();
    case pb::BaseCommand::PARTITIONED_METADATA:
      return command.has_partitionmetadata();
    case pb::BaseCommand::PARTITIONED_METADATA_RESPONSE:
      return command.has_partitionmetadataresponse();
    case pb::BaseCommand::LOOKUP:
      return command.has_lookuptopic();
    case pb::BaseCommand::LOOKUP_RESPONSE:
      return command.has_lookuptopicresponse();
    case pb::BaseCommand::CONSUMER_STATS:
      return command.has_consumerstats();
    case pb::BaseCommand::CONSUMER_STATS_RESPONSE:
      return command.has_consumerstatsresponse();
    case pb::BaseCommand::REACHED_END_OF_TOPIC:
      return command.has_reachedendoftopic();
    case pb::BaseCommand::SEEK:
      return command.has_seek();
    case pb::BaseCommand::GET_LAST_MESSAGE_ID:
      return command.has_getlastmessageid();
    case pb::BaseCommand::GET_LAST_MESSAGE_ID_RESPONSE:
      return command.has_getlastmessageidresponse();
    case pb::BaseCommand::ACTIVE_CONSUMER_CHANGE:
      return command.has_active_consumer_change();
    case pb::BaseCommand::GET_TOPICS_OF_NAMESPACE:
      return command.has_gettopicsofnamespace();
    case pb::BaseCommand::GET_TOPICS_OF_NAMESPACE_RESPONSE:
      return command.has_gettopicsofnamespaceresponse();
    case pb::BaseCommand::GET_SCHEMA:
      return command.has_getschema();
    case pb::BaseCommand::GET_SCHEMA_RESPONSE:
      return command.has_getschemaresponse();
    case pb::BaseCommand::AUTH_CHALLENGE:
      return command.has_authchallenge();
    case pb::BaseCommand::AUTH_RESPONSE:
      return command.has_authresponse();
    case pb::BaseCommand::ACK_RESPONSE:
      return command.has_ackresponse();
    case pb::BaseCommand::TOPIC_MIGRATED:
      return command.has_topicmigrated();
    default:
      return true;  // a type we do not handle: nothing to check
  }
}

Status check_sub_command(const pb::BaseCommand& command) {
  if (has_sub_command(command)) return ok_status();
  const auto* field = pb::BaseCommand::descriptor()->FindFieldByNumber(command.type());
  return malformed(8, fmt::format("command {} lacks its '{}' field", pb::BaseCommand::Type_Name(command.type()),
                                  field != nullptr ? field->name() : "?"));
}

// Parses the part after the command: [broker entry metadata][checksum][metadataSize][metadata][payload].
// `pos` is the offset of that part in `frame`.
Status parse_payload_part(std::string_view frame, size_t pos, Frame& out) {
  out.has_payload = true;
  auto remaining = [&] { return frame.size() - pos; };

  if (remaining() >= 2 && load_be16(frame.data() + pos) == kBrokerEntryMetadataMagic) {
    if (remaining() < 6) return malformed(pos, "broker entry metadata section truncated before its size");
    const uint32_t size = load_be32(frame.data() + pos + 2);
    if (size > remaining() - 6) {
      return malformed(pos + 2, fmt::format("broker entry metadata size {} exceeds the {} bytes left in the frame",
                                            size, remaining() - 6));
    }
    pb::BrokerEntryMetadata bem;
    PK_TRY(parse_message(bem, frame.substr(pos + 6, size), "BrokerEntryMetadata", pos + 6));
    out.broker_entry_metadata = std::move(bem);
    pos += 6 + size;
  }

  if (remaining() >= 2 && load_be16(frame.data() + pos) == kChecksumMagic) {
    if (remaining() < 6) return malformed(pos, "checksum section truncated");
    const uint32_t expected = load_be32(frame.data() + pos + 2);
    pos += 6;
    out.checksum_present = true;
    out.checksum_valid = crc32c(frame.data() + pos, remaining()) == expected;
  }

  // With a bad checksum the rest may be garbage: return what can be read, never fail the stream for it.
  const bool lenient = !out.checksum_valid;
  auto fail = [&](Error e) -> Status {
    if (!lenient) return e;
    out.metadata.Clear();
    out.payload.clear();
    return ok_status();
  };

  if (remaining() < 4) {
    return fail(
        malformed(pos, fmt::format("payload section of {} bytes is too short for its metadata size", remaining())));
  }
  const uint32_t metadata_size = load_be32(frame.data() + pos);
  if (metadata_size > remaining() - 4) {
    if (static_cast<unsigned char>(frame[pos]) == (kChecksumMagic >> 8)) {
      return fail(malformed(pos, fmt::format("unknown magic 0x{:04x} (expected 0x0e01 checksum or 0x0e02 broker "
                                             "entry metadata, in that order)",
                                             load_be16(frame.data() + pos))));
    }
    return fail(malformed(
        pos, fmt::format("metadata size {} exceeds the {} bytes left in the frame", metadata_size, remaining() - 4)));
  }
  pos += 4;
  const Status parsed = parse_message(out.metadata, frame.substr(pos, metadata_size), "MessageMetadata", pos);
  if (!parsed.ok()) return fail(parsed.error());
  pos += metadata_size;
  out.payload.assign(frame.data() + pos, remaining());
  return ok_status();
}

}  // namespace

void append_simple_command(std::string& out, const pb::BaseCommand& cmd) {
  assert(cmd.IsInitialized());
  const size_t cmd_size = cmd.ByteSizeLong();
  const size_t start = out.size();
  out.resize(start + 8 + cmd_size);
  char* p = out.data() + start;
  store_be32(p, static_cast<uint32_t>(4 + cmd_size));
  store_be32(p + 4, static_cast<uint32_t>(cmd_size));
  cmd.SerializeWithCachedSizesToArray(as_bytes(p + 8));
}

size_t payload_command_size(const pb::BaseCommand& cmd, const pb::MessageMetadata& metadata, size_t payload_size) {
  return 8 + cmd.ByteSizeLong() + kChecksumSectionSize + 4 + metadata.ByteSizeLong() + payload_size;
}

void append_payload_command(std::string& out, const pb::BaseCommand& cmd, const pb::MessageMetadata& metadata,
                            std::string_view payload) {
  assert(cmd.IsInitialized());
  assert(metadata.IsInitialized());
  const size_t cmd_size = cmd.ByteSizeLong();
  const size_t metadata_size = metadata.ByteSizeLong();
  const size_t header_size = 8 + cmd_size + kChecksumSectionSize + 4 + metadata_size;
  const size_t total_size = header_size - 4 + payload.size();
  assert(total_size <= std::numeric_limits<uint32_t>::max());

  const size_t start = out.size();
  out.reserve(start + header_size + payload.size());
  out.resize(start + header_size);  // zero-fills only the small header part; the payload is appended below
  char* p = out.data() + start;
  store_be32(p, static_cast<uint32_t>(total_size));
  store_be32(p + 4, static_cast<uint32_t>(cmd_size));
  cmd.SerializeWithCachedSizesToArray(as_bytes(p + 8));
  const size_t magic_at = 8 + cmd_size;
  store_be16(p + magic_at, kChecksumMagic);
  const size_t checked_from = magic_at + kChecksumSectionSize;
  store_be32(p + checked_from, static_cast<uint32_t>(metadata_size));
  metadata.SerializeWithCachedSizesToArray(as_bytes(p + checked_from + 4));
  out.append(payload);

  p = out.data() + start;  // re-read after append rather than rely on the reserve above
  const uint32_t crc = crc32c(p + checked_from, out.size() - start - checked_from);
  store_be32(p + magic_at + 2, crc);
}

Status parse_frame(std::string_view frame, Frame& out) {
  out.broker_entry_metadata.reset();
  out.has_payload = false;
  out.metadata.Clear();
  out.payload.clear();
  out.checksum_present = false;
  out.checksum_valid = true;
  if (frame.size() < 8) {
    return malformed(0, fmt::format("frame of {} bytes is shorter than the 8-byte size header", frame.size()));
  }
  const uint32_t total_size = load_be32(frame.data());
  if (total_size != frame.size() - 4) {
    return malformed(
        0, fmt::format("totalSize {} does not match the {} bytes that follow it", total_size, frame.size() - 4));
  }
  const uint32_t command_size = load_be32(frame.data() + 4);
  if (command_size > total_size - 4) {
    return malformed(4, fmt::format("commandSize {} exceeds the {} bytes left in the frame (totalSize {})",
                                    command_size, total_size - 4, total_size));
  }
  PK_TRY(parse_message(out.command, frame.substr(8, command_size), "BaseCommand", 8));
  PK_TRY(check_sub_command(out.command));
  const size_t pos = 8 + size_t{command_size};
  if (pos < frame.size()) PK_TRY(parse_payload_part(frame, pos, out));
  return ok_status();
}

Result<Frame> parse_frame(std::string_view frame) {
  Result<Frame> out{Frame{}};
  PK_TRY(parse_frame(frame, *out));
  return out;
}

}  // namespace pk::pulsar::proto
