#include "pulsar/proto/compression.h"

#include <fmt/format.h>
#include <lz4.h>
#include <snappy.h>
#include <zlib.h>
#include <zstd.h>

#include <limits>
#include <memory>

namespace pk::pulsar::proto {
namespace {

// Pulsar's Java and C++ clients compress ZSTD at level 3 and ZLIB at zlib's default level.
constexpr int kZstdLevel = 3;

std::string_view name_of(pb::CompressionType type) {
  const std::string& name = pb::CompressionType_Name(type);
  return name.empty() ? std::string_view("unknown") : std::string_view(name);
}

Error corrupt(pb::CompressionType type, std::string_view what) {
  return make_error(ErrorCode::kMalformedInput, fmt::format("{} payload: {}", name_of(type), what));
}

Error wrong_size(pb::CompressionType type, size_t got, size_t declared) {
  return corrupt(type, fmt::format("decompresses to {} bytes, not the declared uncompressed_size {}", got, declared));
}

struct ZstdCctxDeleter {
  void operator()(ZSTD_CCtx* c) const { ZSTD_freeCCtx(c); }
};
struct ZstdDctxDeleter {
  void operator()(ZSTD_DCtx* d) const { ZSTD_freeDCtx(d); }
};

// A context per thread: creating one per call costs more than compressing a small batch.
ZSTD_CCtx* zstd_cctx() {
  thread_local std::unique_ptr<ZSTD_CCtx, ZstdCctxDeleter> ctx(ZSTD_createCCtx());
  return ctx.get();
}
ZSTD_DCtx* zstd_dctx() {
  thread_local std::unique_ptr<ZSTD_DCtx, ZstdDctxDeleter> ctx(ZSTD_createDCtx());
  return ctx.get();
}

Result<std::string> compress_lz4(std::string_view in) {
  if (in.size() > static_cast<size_t>(LZ4_MAX_INPUT_SIZE)) {
    return make_error(ErrorCode::kInvalidArgument,
                      fmt::format("LZ4 cannot compress {} bytes (at most {})", in.size(), LZ4_MAX_INPUT_SIZE));
  }
  std::string out(static_cast<size_t>(LZ4_compressBound(static_cast<int>(in.size()))), '\0');
  const int n = LZ4_compress_default(in.data(), out.data(), static_cast<int>(in.size()), static_cast<int>(out.size()));
  if (n <= 0 && !in.empty()) return make_error(ErrorCode::kInternal, "LZ4 compression failed");
  out.resize(static_cast<size_t>(n));
  return out;
}

Result<std::string> compress_zlib(std::string_view in) {
  uLongf size = compressBound(static_cast<uLong>(in.size()));
  std::string out(size, '\0');
  const int rc = compress2(reinterpret_cast<Bytef*>(out.data()), &size, reinterpret_cast<const Bytef*>(in.data()),
                           static_cast<uLong>(in.size()), Z_DEFAULT_COMPRESSION);
  if (rc != Z_OK) return make_error(ErrorCode::kInternal, fmt::format("ZLIB compression failed (zlib code {})", rc));
  out.resize(size);
  return out;
}

Result<std::string> compress_zstd(std::string_view in) {
  std::string out(ZSTD_compressBound(in.size()), '\0');
  const size_t n = ZSTD_compressCCtx(zstd_cctx(), out.data(), out.size(), in.data(), in.size(), kZstdLevel);
  if (ZSTD_isError(n)) {
    return make_error(ErrorCode::kInternal, fmt::format("ZSTD compression failed: {}", ZSTD_getErrorName(n)));
  }
  out.resize(n);
  return out;
}

Result<std::string> compress_snappy(std::string_view in) {
  std::string out(snappy::MaxCompressedLength(in.size()), '\0');
  size_t n = 0;
  snappy::RawCompress(in.data(), in.size(), out.data(), &n);
  out.resize(n);
  return out;
}

Result<std::string> decompress_lz4(std::string_view in, size_t size) {
  if (in.size() > static_cast<size_t>(std::numeric_limits<int>::max())) {
    return corrupt(pb::LZ4, fmt::format("{} compressed bytes is more than LZ4 can hold", in.size()));
  }
  std::string out(size, '\0');
  const int n = LZ4_decompress_safe(in.data(), out.data(), static_cast<int>(in.size()), static_cast<int>(size));
  if (n < 0) {
    return corrupt(pb::LZ4, fmt::format("not a valid LZ4 block that fits the declared uncompressed_size {}", size));
  }
  if (static_cast<size_t>(n) != size) return wrong_size(pb::LZ4, static_cast<size_t>(n), size);
  return out;
}

Result<std::string> decompress_zlib(std::string_view in, size_t size) {
  std::string out(size, '\0');
  uLongf got = size;
  uLong consumed = in.size();
  const int rc =
      uncompress2(reinterpret_cast<Bytef*>(out.data()), &got, reinterpret_cast<const Bytef*>(in.data()), &consumed);
  if (rc == Z_BUF_ERROR && got == size) {
    return corrupt(pb::ZLIB,
                   fmt::format("inflates to more than the declared uncompressed_size {}, or is truncated", size));
  }
  if (rc != Z_OK) return corrupt(pb::ZLIB, fmt::format("not a valid zlib stream (zlib code {})", rc));
  if (got != size) return wrong_size(pb::ZLIB, got, size);
  return out;
}

Result<std::string> decompress_zstd(std::string_view in, size_t size) {
  std::string out(size, '\0');
  const size_t n = ZSTD_decompressDCtx(zstd_dctx(), out.data(), out.size(), in.data(), in.size());
  if (ZSTD_isError(n)) {
    return corrupt(pb::ZSTD, fmt::format("{} (declared uncompressed_size {})", ZSTD_getErrorName(n), size));
  }
  if (n != size) return wrong_size(pb::ZSTD, n, size);
  return out;
}

Result<std::string> decompress_snappy(std::string_view in, size_t size) {
  size_t length = 0;
  if (!snappy::GetUncompressedLength(in.data(), in.size(), &length)) {
    return corrupt(pb::SNAPPY, "no valid length header");
  }
  if (length != size) return wrong_size(pb::SNAPPY, length, size);
  std::string out(size, '\0');
  if (!snappy::RawUncompress(in.data(), in.size(), out.data())) return corrupt(pb::SNAPPY, "not a valid snappy block");
  return out;
}

}  // namespace

Result<std::string> compress(pb::CompressionType type, std::string_view input) {
  switch (type) {
    case pb::NONE:
      return std::string(input);
    case pb::LZ4:
      return compress_lz4(input);
    case pb::ZLIB:
      return compress_zlib(input);
    case pb::ZSTD:
      return compress_zstd(input);
    case pb::SNAPPY:
      return compress_snappy(input);
  }
  return make_error(ErrorCode::kUnsupported, fmt::format("unknown compression type {}", static_cast<int>(type)));
}

Result<std::string> decompress(pb::CompressionType type, std::string_view input, size_t uncompressed_size,
                               size_t max_uncompressed_size) {
  if (type == pb::NONE) return std::string(input);
  if (!pb::CompressionType_IsValid(type)) {
    return make_error(ErrorCode::kUnsupported, fmt::format("unknown compression type {}", static_cast<int>(type)));
  }
  if (uncompressed_size > max_uncompressed_size) {
    return corrupt(type, fmt::format("declared uncompressed_size {} exceeds the maximum message size {}",
                                     uncompressed_size, max_uncompressed_size));
  }
  switch (type) {
    case pb::LZ4:
      return decompress_lz4(input, uncompressed_size);
    case pb::ZLIB:
      return decompress_zlib(input, uncompressed_size);
    case pb::ZSTD:
      return decompress_zstd(input, uncompressed_size);
    case pb::SNAPPY:
      return decompress_snappy(input, uncompressed_size);
    case pb::NONE:
      break;
  }
  return make_error(ErrorCode::kInternal, "unreachable compression type");
}

}  // namespace pk::pulsar::proto
