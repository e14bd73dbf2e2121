#include "pulsar/proto/murmur3.h"

#include <bit>
#include <cassert>

namespace pk::pulsar::proto {
namespace {

constexpr uint32_t kC1 = 0xcc9e2d51u;
constexpr uint32_t kC2 = 0x1b873593u;

uint32_t mix_k1(uint32_t k1) {
  k1 *= kC1;
  k1 = std::rotl(k1, 15);
  return k1 * kC2;
}

uint32_t mix_h1(uint32_t h1, uint32_t k1) {
  h1 ^= k1;
  h1 = std::rotl(h1, 13);
  return h1 * 5 + 0xe6546b64u;
}

uint32_t final_mix(uint32_t h) {
  h ^= h >> 16;
  h *= 0x85ebca6bu;
  h ^= h >> 13;
  h *= 0xc2b2ae35u;
  h ^= h >> 16;
  return h;
}

}  // namespace

uint32_t murmur3_32(std::string_view data, uint32_t seed) {
  const auto* p = reinterpret_cast<const unsigned char*>(data.data());
  const size_t n = data.size();
  uint32_t h1 = seed;
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    const uint32_t k1 = uint32_t{p[i]} | uint32_t{p[i + 1]} << 8 | uint32_t{p[i + 2]} << 16 | uint32_t{p[i + 3]} << 24;
    h1 = mix_h1(h1, mix_k1(k1));
  }
  uint32_t k1 = 0;
  for (size_t j = 0; i + j < n; ++j) k1 ^= uint32_t{p[i + j]} << (8 * j);
  h1 ^= mix_k1(k1);  // mix_k1(0) == 0: no effect without a tail, as in the reference
  h1 ^= static_cast<uint32_t>(n);
  return final_mix(h1);
}

int32_t murmur3_32_pulsar(std::string_view key) {
  return static_cast<int32_t>(murmur3_32(key) & 0x7fffffffu);
}

int32_t partition_for_key(std::string_view key, int32_t num_partitions) {
  assert(num_partitions > 0);
  return murmur3_32_pulsar(key) % num_partitions;
}

int32_t key_shared_hash(std::string_view sticky_key) {
  const int32_t hash = murmur3_32_pulsar(sticky_key) % kKeySharedHashRangeSize;
  return hash == 0 ? 1 : hash;
}

}  // namespace pk::pulsar::proto
