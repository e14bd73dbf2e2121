#pragma once
// CRC32 (IEEE 802.3 / zlib), as used by AWS event-stream frames. Thin wrapper over zlib.

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace pk {

uint32_t crc32_extend(uint32_t crc, const void* data, size_t size);
inline uint32_t crc32(const void* data, size_t size) {
  return crc32_extend(0, data, size);
}
inline uint32_t crc32(std::string_view data) {
  return crc32_extend(0, data.data(), data.size());
}

}  // namespace pk
