#include "common/md5.h"

#include <openssl/evp.h>

#include <cstdlib>

namespace pk {

// EVP_Digest would fetch the algorithm and allocate a context on every call; this keeps both. When OpenSSL
// offers no MD5 (a FIPS-only provider) nothing here can work: that is a deployment error, reported by aborting on
// first use rather than by producing wrong digests.
Md5::Md5() : md_(EVP_MD_fetch(nullptr, "MD5", nullptr)), ctx_(EVP_MD_CTX_new()) {
  if (md_ == nullptr || ctx_ == nullptr) std::abort();
}

Md5::~Md5() {
  EVP_MD_CTX_free(ctx_);
  EVP_MD_free(md_);
}

void Md5::begin() {
  if (EVP_DigestInit_ex(ctx_, md_, nullptr) != 1) std::abort();
}

void Md5::update(std::string_view bytes) {
  if (EVP_DigestUpdate(ctx_, bytes.data(), bytes.size()) != 1) std::abort();
}

Md5Digest Md5::finish() {
  Md5Digest out{};
  unsigned int len = 0;
  if (EVP_DigestFinal_ex(ctx_, out.data(), &len) != 1 || len != out.size()) std::abort();
  return out;
}

Md5Digest md5(std::string_view bytes) {
  thread_local Md5 context;
  context.begin();
  context.update(bytes);
  return context.finish();
}

}  // namespace pk
