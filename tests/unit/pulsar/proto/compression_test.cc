#include "pulsar/proto/compression.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <optional>
#include <random>
#include <string>

#include "test_bytes.h"

namespace pk::pulsar::proto {
namespace {

using ::testing::HasSubstr;
using testing::hex_bytes;

const pb::CompressionType kCodecs[] = {pb::LZ4, pb::ZLIB, pb::ZSTD, pb::SNAPPY};

std::string text() {
  std::string s;
  for (int i = 0; i < 6; ++i) s += "Pulsar batches compress as one payload. ";
  return s;  // 240 bytes
}

// Vectors of text() made by independent tools (see each), so decompress is checked against the formats
// themselves rather than against our own compress().
// python3 zlib.compress(text)
const char* const kZlibVector =
    "789c0b28cd294e2c52484a2c49ce482d5648cecf2d284a2d2e56482c56c8cf4b552848acccc94f4cd153081826ea00a5e55803";
// zstd v1.5.4 CLI: zstd -3 --no-check
const char* const kZstdVector =
    "28b52ffd20f08d0100840250756c736172206261746368657320636f6d7072657373206173206f6e65207061796c6f61642e"
    "200100282e4a9501";
// lz4 v1.9.4 CLI (lz4 -B4 -BD --no-frame-crc), the single data block taken out of its LZ4 frame.
const char* const kLz4BlockVector =
    "ff1950756c736172206261746368657320636f6d7072657373206173206f6e65207061796c6f61642e202800b0506f61642e20";

TEST(Compression, DecompressesVectorsFromIndependentTools) {
  for (const auto& [type, hex] :
       {std::pair{pb::ZLIB, kZlibVector}, std::pair{pb::ZSTD, kZstdVector}, std::pair{pb::LZ4, kLz4BlockVector}}) {
    auto out = decompress(type, hex_bytes(hex), text().size());
    ASSERT_TRUE(out.ok()) << out.error().to_string();
    EXPECT_EQ(*out, text()) << pb::CompressionType_Name(type);
  }
}

TEST(Compression, DecompressesHandWrittenBlocks) {
  // LZ4 block: token 0x48 (4 literals, match length 8+4), "abcd", offset 4; token 0x50 (5 literals), "XXXXX".
  auto lz4 = decompress(pb::LZ4, hex_bytes("48 61 62 63 64 04 00 50 58 58 58 58 58"), 21);
  ASSERT_TRUE(lz4.ok()) << lz4.error().to_string();
  EXPECT_EQ(*lz4, "abcdabcdabcdabcdXXXXX");
  // Snappy raw block: varint length 12; literal tag (3-1)<<2, "abc"; copy-1 tag (9-4)<<2|1 with offset 3.
  auto snappy = decompress(pb::SNAPPY, hex_bytes("0c 08 61 62 63 15 03"), 12);
  ASSERT_TRUE(snappy.ok()) << snappy.error().to_string();
  EXPECT_EQ(*snappy, "abcabcabcabc");
  auto hello = decompress(pb::SNAPPY, hex_bytes("05 10 68 65 6c 6c 6f"), 5);
  ASSERT_TRUE(hello.ok());
  EXPECT_EQ(*hello, "hello");
}

// Reference decoders written from the LZ4 block and Snappy format descriptions, to check that what we
// compress is the raw block format the other clients expect (not a frame).
std::optional<std::string> lz4_reference_decode(std::string_view in) {
  std::string out;
  size_t i = 0;
  auto byte = [&](size_t at) { return static_cast<unsigned char>(in[at]); };
  auto extend = [&](size_t& len) {
    unsigned char b = 255;
    while (b == 255) {
      if (i >= in.size()) return false;
      b = byte(i++);
      len += b;
    }
    return true;
  };
  while (i < in.size()) {
    const unsigned char token = byte(i++);
    size_t literals = token >> 4;
    if (literals == 15 && !extend(literals)) return std::nullopt;
    if (literals > in.size() - i) return std::nullopt;
    out.append(in.substr(i, literals));
    i += literals;
    if (i == in.size()) break;  // the last sequence has literals only
    if (in.size() - i < 2) return std::nullopt;
    const size_t offset = byte(i) | size_t{byte(i + 1)} << 8;
    i += 2;
    size_t match = token & 15;
    if (match == 15 && !extend(match)) return std::nullopt;
    match += 4;
    if (offset == 0 || offset > out.size()) return std::nullopt;
    for (size_t k = 0; k < match; ++k) out.push_back(out[out.size() - offset]);
  }
  return out;
}

std::optional<std::string> snappy_reference_decode(std::string_view in) {
  size_t i = 0;
  auto byte = [&](size_t at) { return static_cast<unsigned char>(in[at]); };
  uint64_t length = 0;
  for (int shift = 0;; shift += 7) {
    if (i >= in.size() || shift > 28) return std::nullopt;
    const unsigned char b = byte(i++);
    length |= uint64_t{b & 0x7fu} << shift;
    if (b < 0x80) break;
  }
  auto little_endian = [&](size_t n, size_t& value) {
    if (in.size() - i < n) return false;
    value = 0;
    for (size_t k = 0; k < n; ++k) value |= size_t{byte(i + k)} << (8 * k);
    i += n;
    return true;
  };
  std::string out;
  while (i < in.size()) {
    const unsigned char tag = byte(i++);
    size_t len = 0;
    size_t offset = 0;
    switch (tag & 3) {
      case 0: {  // literal
        len = tag >> 2;
        if (len >= 60 && !little_endian(len - 59, len)) return std::nullopt;
        len += 1;
        if (len > in.size() - i) return std::nullopt;
        out.append(in.substr(i, len));
        i += len;
        continue;
      }
      case 1:  // copy, 1-byte offset
        if (i >= in.size()) return std::nullopt;
        len = ((tag >> 2) & 7) + 4;
        offset = size_t{static_cast<unsigned char>(tag >> 5)} << 8 | byte(i++);
        break;
      case 2:  // copy, 2-byte offset
        len = (tag >> 2) + 1;
        if (!little_endian(2, offset)) return std::nullopt;
        break;
      default:  // copy, 4-byte offset
        len = (tag >> 2) + 1;
        if (!little_endian(4, offset)) return std::nullopt;
        break;
    }
    if (offset == 0 || offset > out.size()) return std::nullopt;
    for (size_t k = 0; k < len; ++k) out.push_back(out[out.size() - offset]);
  }
  if (out.size() != length) return std::nullopt;
  return out;
}

uint32_t adler32_of(std::string_view data) {
  uint32_t a = 1, b = 0;
  for (unsigned char c : data) {
    a = (a + c) % 65521;
    b = (b + a) % 65521;
  }
  return b << 16 | a;
}

std::string sample(size_t size, unsigned seed) {
  // Compressible but not trivial: words from a small vocabulary with random numbers.
  std::mt19937 rng(seed);
  static const char* const kWords[] = {"shard", "record", "pulsar ", "kinesis", "{\"k\":", "}, ", "payload"};
  std::string s;
  while (s.size() < size) {
    s += kWords[rng() % 7];
    s += std::to_string(rng() % 1000);
  }
  s.resize(size);
  return s;
}

TEST(Compression, OurOutputIsTheRawFormatOtherClientsRead) {
  for (size_t size : {size_t{0}, size_t{1}, size_t{100}, size_t{70000}}) {
    const std::string in = sample(size, 1);
    SCOPED_TRACE(size);

    auto lz4 = compress(pb::LZ4, in);
    ASSERT_TRUE(lz4.ok());
    EXPECT_EQ(lz4_reference_decode(*lz4), in);

    auto snappy = compress(pb::SNAPPY, in);
    ASSERT_TRUE(snappy.ok());
    EXPECT_EQ(snappy_reference_decode(*snappy), in);

    // zlib wrapper (RFC 1950): CMF 0x78 (deflate, 32 KiB window), header check, Adler-32 trailer big-endian.
    auto zlib = compress(pb::ZLIB, in);
    ASSERT_TRUE(zlib.ok());
    ASSERT_GE(zlib->size(), 6u);
    const auto* z = reinterpret_cast<const unsigned char*>(zlib->data());
    EXPECT_EQ(z[0], 0x78);
    EXPECT_EQ((z[0] * 256 + z[1]) % 31, 0);
    const size_t n = zlib->size();
    EXPECT_EQ(uint32_t{z[n - 4]} << 24 | uint32_t{z[n - 3]} << 16 | uint32_t{z[n - 2]} << 8 | z[n - 1], adler32_of(in));

    // A standard zstd frame starts with the magic 0xFD2FB528 (little-endian).
    auto zstd = compress(pb::ZSTD, in);
    ASSERT_TRUE(zstd.ok());
    EXPECT_EQ(zstd->substr(0, 4), hex_bytes("28 b5 2f fd"));
  }
}

TEST(Compression, RoundTripsEveryCodec) {
  for (pb::CompressionType type : kCodecs) {
    for (size_t size : {size_t{0}, size_t{1}, size_t{1000}, size_t{128 * 1024}}) {
      const std::string in = sample(size, 7);
      auto packed = compress(type, in);
      ASSERT_TRUE(packed.ok()) << packed.error().to_string();
      if (size == 128 * 1024) {
        EXPECT_LT(packed->size(), in.size() / 2) << pb::CompressionType_Name(type);
      }
      auto unpacked = decompress(type, *packed, in.size());
      ASSERT_TRUE(unpacked.ok()) << pb::CompressionType_Name(type) << " " << unpacked.error().to_string();
      EXPECT_EQ(*unpacked, in) << pb::CompressionType_Name(type) << " size " << size;
    }
  }
}

TEST(Compression, NoneIsACopy) {
  auto c = compress(pb::NONE, "abc");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(*c, "abc");
  auto d = decompress(pb::NONE, "abc", 0);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(*d, "abc");
}

void expect_refused(pb::CompressionType type, std::string_view in, size_t size, std::string_view what,
                    size_t max = kDefaultMaxMessageSize) {
  auto out = decompress(type, in, size, max);
  ASSERT_FALSE(out.ok()) << pb::CompressionType_Name(type) << " accepted";
  EXPECT_EQ(out.error().code, ErrorCode::kMalformedInput);
  EXPECT_THAT(out.error().message, HasSubstr(pb::CompressionType_Name(type) + " payload: "));
  EXPECT_THAT(out.error().message, HasSubstr(what)) << out.error().message;
}

TEST(Compression, RefusesSizesAboveTheMaximumBeforeAllocating) {
  for (pb::CompressionType type : kCodecs) {
    expect_refused(type, "x", 2'000'000'000, "declared uncompressed_size 2000000000 exceeds the maximum message size");
    expect_refused(type, "x", 1001, "exceeds the maximum message size 1000", 1000);
  }
}

TEST(Compression, RefusesABombThatInflatesBeyondItsDeclaredSize) {
  const std::string zeros(4 * 1024 * 1024, '\0');
  for (pb::CompressionType type : kCodecs) {
    auto packed = compress(type, zeros);
    ASSERT_TRUE(packed.ok());
    EXPECT_LT(packed->size(), 300'000u);  // a real bomb: tiny input
    auto out = decompress(type, *packed, 1000);
    ASSERT_FALSE(out.ok()) << pb::CompressionType_Name(type);
    EXPECT_EQ(out.error().code, ErrorCode::kMalformedInput);
  }
}

TEST(Compression, RefusesAWrongDeclaredSize) {
  const std::string in = sample(5000, 3);
  for (pb::CompressionType type : kCodecs) {
    auto packed = compress(type, in);
    ASSERT_TRUE(packed.ok());
    auto smaller = decompress(type, *packed, in.size() - 1);
    EXPECT_FALSE(smaller.ok()) << pb::CompressionType_Name(type);
    auto larger = decompress(type, *packed, in.size() + 1);
    ASSERT_FALSE(larger.ok()) << pb::CompressionType_Name(type);
    EXPECT_EQ(larger.error().code, ErrorCode::kMalformedInput);
  }
  expect_refused(pb::SNAPPY, hex_bytes("05 10 68 65 6c 6c 6f"), 4,
                 "decompresses to 5 bytes, not the declared uncompressed_size 4");
  expect_refused(pb::ZLIB, hex_bytes(kZlibVector), 241, "decompresses to 240 bytes, not the declared");
  expect_refused(pb::ZSTD, hex_bytes(kZstdVector), 239, "");
}

TEST(Compression, RefusesCorruptAndTruncatedInput) {
  for (pb::CompressionType type : kCodecs) {
    const std::string in = sample(3000, 5);
    auto packed = compress(type, in);
    ASSERT_TRUE(packed.ok());
    for (size_t cut : {size_t{0}, size_t{1}, packed->size() / 2, packed->size() - 1}) {
      auto out = decompress(type, std::string_view(*packed).substr(0, cut), in.size());
      EXPECT_FALSE(out.ok()) << pb::CompressionType_Name(type) << " truncated to " << cut;
    }
    auto garbage = decompress(type, std::string(200, '\xa5'), in.size());
    EXPECT_FALSE(garbage.ok()) << pb::CompressionType_Name(type);
  }
  expect_refused(pb::ZLIB, "not zlib", 10, "not a valid zlib stream");
  expect_refused(pb::SNAPPY, "\xff\xff\xff\xff\xff\xff", 10, "no valid length header");
  expect_refused(pb::LZ4, hex_bytes("48 61 62 63 64 09 00"), 21, "not a valid LZ4 block");  // offset before start
  expect_refused(pb::ZSTD, "not zstd", 10, "declared uncompressed_size 10");
}

TEST(Compression, UnknownTypeIsUnsupported) {
  const auto bogus = static_cast<pb::CompressionType>(9);
  auto c = compress(bogus, "x");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().code, ErrorCode::kUnsupported);
  auto d = decompress(bogus, "x", 1);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().code, ErrorCode::kUnsupported);
  EXPECT_THAT(d.error().message, HasSubstr("unknown compression type 9"));
}

}  // namespace
}  // namespace pk::pulsar::proto
