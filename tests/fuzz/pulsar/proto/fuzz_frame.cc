// fuzz_pulsar_frame: bytes from a (hostile) broker into FrameDecoder.
// Invariants: decoding never crashes or reads out of bounds; the same bytes fed whole and in arbitrary chunks
// (sizes drawn from the input's own hash, so seeds stay meaningful) give the same frames and the same error;
// every decoded frame re-encodes to bytes that decode to the same frame.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.h"
#include "pulsar/proto/frame.h"
#include "pulsar/proto/frame_decoder.h"
#include "pulsar/proto/murmur3.h"

namespace {

using pk::pulsar::proto::append_payload_command;
using pk::pulsar::proto::append_simple_command;
using pk::pulsar::proto::Frame;
using pk::pulsar::proto::FrameDecoder;
using pk::pulsar::proto::parse_frame;

constexpr size_t kMaxFrame = 1 << 16;

std::string describe(const Frame& f) {
  std::string out = f.command.SerializePartialAsString();
  out += '|';
  if (f.broker_entry_metadata) out += f.broker_entry_metadata->SerializePartialAsString();
  out += f.has_payload ? "P" : "-";
  out += f.checksum_present ? "C" : "-";
  out += f.checksum_valid ? "V" : "-";
  out += f.metadata.SerializePartialAsString();
  out += '|';
  out += f.payload;
  return out;
}

void check_reencodes(const Frame& f) {
  std::string bytes;
  if (!f.has_payload) {
    append_simple_command(bytes, f.command);
  } else if (f.checksum_valid && f.metadata.IsInitialized()) {
    append_payload_command(bytes, f.command, f.metadata, f.payload);
  } else {
    return;  // a corrupt payload is not ours to re-encode
  }
  auto again = parse_frame(bytes);
  PK_FUZZ_CHECK(again.ok());
  PK_FUZZ_CHECK(again->command.SerializePartialAsString() == f.command.SerializePartialAsString());
  PK_FUZZ_CHECK(again->has_payload == f.has_payload);
  if (f.has_payload) {
    PK_FUZZ_CHECK(again->checksum_present && again->checksum_valid);
    PK_FUZZ_CHECK(again->metadata.SerializePartialAsString() == f.metadata.SerializePartialAsString());
    PK_FUZZ_CHECK(again->payload == f.payload);
  }
}

// Decodes everything available; returns the frames' descriptions and, last, the error (or "ok").
std::vector<std::string> drain(FrameDecoder& d, std::vector<std::string> out) {
  while (true) {
    auto next = d.next();
    if (!next.ok()) {
      out.push_back("error: " + next.error().message);
      PK_FUZZ_CHECK(d.failed());
      return out;
    }
    if (!next->has_value()) return out;
    check_reencodes(**next);
    out.push_back(describe(**next));
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  silence_protobuf_logs();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  FrameDecoder whole(kMaxFrame);
  whole.feed(input);
  std::vector<std::string> a = drain(whole, {});

  FrameDecoder chunked(kMaxFrame);
  std::vector<std::string> b;
  uint32_t state = pk::pulsar::proto::murmur3_32(input, 0x5eed) | 1;
  size_t pos = 0;
  while (pos < input.size() && !chunked.failed()) {
    state ^= state << 13;  // xorshift32
    state ^= state >> 17;
    state ^= state << 5;
    const size_t n = std::min<size_t>(1 + state % 64, input.size() - pos);
    if (state & 0x100) {
      chunked.feed(input.substr(pos, n));
    } else {
      auto room = chunked.prepare(n + state % 16);
      std::copy_n(input.data() + pos, n, room.data());
      chunked.commit(n);
    }
    pos += n;
    b = drain(chunked, std::move(b));
  }
  // The whole-input decoder stops at the first error; the chunked one may have stopped at the same point.
  PK_FUZZ_CHECK(a == b);
  return 0;
}
