#include "kinesis/hash_key.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cstring>

#include <fmt/format.h>

namespace pk::kinesis {
namespace {

constexpr uint64_t kTen19 = 10'000'000'000'000'000'000ull;  // the largest power of ten in 64 bits

// One digest context and one fetched MD5 per thread: EVP_Digest would allocate both on every call, and the
// producer hashes every partition key.
class Md5 {
 public:
  Md5() : md_(EVP_MD_fetch(nullptr, "MD5", nullptr)), ctx_(EVP_MD_CTX_new()) {}
  ~Md5() {
    EVP_MD_CTX_free(ctx_);
    EVP_MD_free(md_);
  }
  Md5(const Md5&) = delete;
  Md5& operator=(const Md5&) = delete;

  // False only if OpenSSL has no MD5 (a FIPS-only provider): the caller falls back to EVP_Digest.
  bool digest(std::string_view in, unsigned char out[16]) {
    if (md_ == nullptr || ctx_ == nullptr) return false;
    unsigned int len = 0;
    return EVP_DigestInit_ex(ctx_, md_, nullptr) == 1 && EVP_DigestUpdate(ctx_, in.data(), in.size()) == 1 &&
           EVP_DigestFinal_ex(ctx_, out, &len) == 1 && len == 16;
  }

 private:
  EVP_MD* md_;
  EVP_MD_CTX* ctx_;
};

// Writes `v` (< 10^19) as exactly 19 digits, zero padded.
void write19(uint64_t v, char* out) {
  for (int i = 18; i >= 0; --i) {
    out[i] = static_cast<char>('0' + v % 10);
    v /= 10;
  }
}

}  // namespace

Result<HashKey> HashKey::parse(std::string_view decimal, std::string_view what) {
  if (decimal.empty()) return make_error(ErrorCode::kInvalidArgument, fmt::format("{}: empty", what));
  if (decimal.size() > kMaxDigits) {
    return make_error(ErrorCode::kInvalidArgument, fmt::format("{}: {} digits, more than the {} of a 128-bit key", what,
                                                               decimal.size(), kMaxDigits));
  }
  uint128 v = 0;
  constexpr uint128 kMax = ~static_cast<uint128>(0);
  for (size_t i = 0; i < decimal.size(); ++i) {
    const char c = decimal[i];
    if (c < '0' || c > '9') {
      return make_error(ErrorCode::kInvalidArgument, fmt::format("{}: character {} is not a decimal digit", what, i));
    }
    const auto d = static_cast<unsigned>(c - '0');
    if (v > (kMax - d) / 10) {
      return make_error(ErrorCode::kInvalidArgument, fmt::format("{}: greater than 2^128 - 1", what));
    }
    v = v * 10 + d;
  }
  return HashKey(v);
}

HashKey HashKey::of_partition_key(std::string_view partition_key) {
  unsigned char digest[16];
  thread_local Md5 md5;
  if (!md5.digest(partition_key, digest)) {
    unsigned int len = 0;
    EVP_Digest(partition_key.data(), partition_key.size(), digest, &len, EVP_md5(), nullptr);
  }
  uint128 v = 0;
  for (unsigned char b : digest) v = (v << 8) | b;
  return HashKey(v);
}

size_t HashKey::write_decimal(char* out) const {
  // Split into base-10^19 limbs so that each limb is printed with 64-bit arithmetic.
  const uint128 ten19 = kTen19;
  const auto low = static_cast<uint64_t>(value_ % ten19);
  const uint128 rest = value_ / ten19;
  const auto mid = static_cast<uint64_t>(rest % ten19);
  const auto high = static_cast<uint64_t>(rest / ten19);  // < 10^2 since 2^128 < 10^39
  char buf[3 * 19];
  write19(high, buf);
  write19(mid, buf + 19);
  write19(low, buf + 38);
  const char* first = std::find_if(buf, buf + sizeof(buf) - 1, [](char c) { return c != '0'; });
  const auto n = static_cast<size_t>(buf + sizeof(buf) - first);
  std::memcpy(out, first, n);
  return n;
}

std::string HashKey::to_string() const {
  char buf[kMaxDigits];
  return std::string(buf, write_decimal(buf));
}

}  // namespace pk::kinesis
