#pragma once
// SHA-256 and HMAC-SHA256 (OpenSSL EVP) for SigV4, plus lowercase hex. Pure functions; thread-safe.
// The digest implementation is fetched once per process so that hashing a large body costs what the hash
// itself costs (SHA-NI / AVX2 code paths inside OpenSSL).

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace pk::aws {

using Digest = std::array<uint8_t, 32>;

Digest sha256(std::string_view data);
Digest hmac_sha256(std::string_view key, std::string_view data);
inline Digest hmac_sha256(const Digest& key, std::string_view data) {
  return hmac_sha256(std::string_view(reinterpret_cast<const char*>(key.data()), key.size()), data);
}

// Lowercase hex of `bytes`.
std::string hex_encode(std::string_view bytes);
inline std::string hex_encode(const Digest& d) {
  return hex_encode(std::string_view(reinterpret_cast<const char*>(d.data()), d.size()));
}
inline std::string sha256_hex(std::string_view data) {
  return hex_encode(sha256(data));
}

}  // namespace pk::aws
