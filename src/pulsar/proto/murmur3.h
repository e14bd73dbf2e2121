#pragma once
// The hashes Pulsar uses to place keys: partition routing (the Java client's Murmur3_32Hash, which Pulsar
// Functions/IO producers such as the Kinesis connector use) and the broker's Key_Shared sticky-key hash.
// Pure functions; thread-safe.

#include <cstdint>
#include <string_view>

namespace pk::pulsar::proto {

// MurmurHash3_x86_32 (Austin Appleby's reference algorithm): 4-byte little-endian blocks, tail bytes taken
// unsigned, length mixed in before the final avalanche.
uint32_t murmur3_32(std::string_view data, uint32_t seed = 0);

// org.apache.pulsar.client.impl.Murmur3_32Hash: murmur3_32 with seed 0 of the key's UTF-8 bytes, masked with
// Integer.MAX_VALUE, so never negative.
int32_t murmur3_32_pulsar(std::string_view key);

// The partition the Java client's key-based routing picks: murmur3_32_pulsar(key) % num_partitions
// (num_partitions > 0).
int32_t partition_for_key(std::string_view key, int32_t num_partitions);

// Key_Shared: the broker hashes the sticky key (ordering_key if set, else the partition key's bytes, base64
// decoded when partition_key_b64_encoded, else "NONE_KEY") into [0, 65536).
inline constexpr int32_t kKeySharedHashRangeSize = 65536;

// The hash Pulsar 4.x brokers give a sticky key: murmur3_32_pulsar(key) % 65536, with 0 mapped to 1 (0 is
// reserved by their dispatchers; 3.x brokers did not remap it, which moves 1 key in 65536).
int32_t key_shared_hash(std::string_view sticky_key);

}  // namespace pk::pulsar::proto
