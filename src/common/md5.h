#pragma once
// MD5 digests (OpenSSL) without an allocation per call: Kinesis places records by the MD5 of their partition
// key and the KPL aggregated-record format ends with the MD5 of its protobuf body, both on per-record paths.

#include <array>
#include <cstdint>
#include <string_view>

// OpenSSL's EVP_MD and EVP_MD_CTX, declared here so that users of this header need no OpenSSL headers.
struct evp_md_st;
struct evp_md_ctx_st;

namespace pk {

using Md5Digest = std::array<uint8_t, 16>;

// An incremental MD5 over one or more pieces: begin(), update() each piece, finish(). Owns one OpenSSL digest
// context; one owner at a time (not thread-safe). md5() below keeps one per thread.
class Md5 {
 public:
  Md5();
  ~Md5();
  Md5(const Md5&) = delete;
  Md5& operator=(const Md5&) = delete;

  void begin();
  void update(std::string_view bytes);
  Md5Digest finish();

 private:
  evp_md_st* md_;
  evp_md_ctx_st* ctx_;
};

// The MD5 of `bytes` (one context per thread, reused).
Md5Digest md5(std::string_view bytes);

}  // namespace pk
