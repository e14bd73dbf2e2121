#pragma once
// Payload compression as Pulsar's clients do it, over the whole (batch) payload:
//   LZ4    raw LZ4 block (no frame header)      ZLIB    zlib-wrapped deflate (RFC 1950)
//   ZSTD   a standard zstd frame (level 3)      SNAPPY  a raw snappy block (no framing format)
// The metadata's uncompressed_size travels with the payload and decompress() insists on it: it is the only
// allocation decompress makes, it is bounded by the maximum message size, and a payload that inflates to any
// other size is refused, so a compression bomb cannot make us allocate more than that bound.
// Pure functions; thread-safe (ZSTD contexts are per thread).

#include <cstddef>
#include <string>
#include <string_view>

#include "common/result.h"
#include "pulsar/proto/frame.h"
#include "pulsar/proto/pulsar_wire.pb.h"

namespace pk::pulsar::proto {

// Compresses `input`. NONE returns a copy. Fails with kUnsupported for a type this build does not know and
// kInvalidArgument for input a codec cannot take (LZ4 is limited to ~2 GiB).
Result<std::string> compress(pb::CompressionType type, std::string_view input);

// Decompresses `input` into exactly `uncompressed_size` bytes. Fails with kMalformedInput (naming the type)
// when uncompressed_size exceeds `max_uncompressed_size` (the broker's max message size) or the data is corrupt
// or inflates to another size. NONE returns a copy of the input whatever the sizes say.
Result<std::string> decompress(pb::CompressionType type, std::string_view input, size_t uncompressed_size,
                               size_t max_uncompressed_size = kDefaultMaxMessageSize);

}  // namespace pk::pulsar::proto
