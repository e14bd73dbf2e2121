#pragma once
// CRC32C (Castagnoli, reflected polynomial 0x82F63B78), as used by Pulsar frames.
// Uses the SSE4.2 crc32 instruction when the CPU has it, a slicing-by-8 table otherwise.
// Pure function over bytes; thread-safe.

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace pk {

// Extends `crc` (the value returned by a previous call, 0 to start) over `data`.
uint32_t crc32c_extend(uint32_t crc, const void* data, size_t size);

inline uint32_t crc32c(const void* data, size_t size) {
  return crc32c_extend(0, data, size);
}
inline uint32_t crc32c(std::string_view data) {
  return crc32c_extend(0, data.data(), data.size());
}

// The portable implementation, exposed so tests can check it against the hardware one.
uint32_t crc32c_extend_portable(uint32_t crc, const void* data, size_t size);

// True when crc32c_extend uses the CPU instruction.
bool crc32c_is_hardware_accelerated();

}  // namespace pk
