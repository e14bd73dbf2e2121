#include "common/md5.h"

#include <string>

#include <gtest/gtest.h>

namespace pk {
namespace {

std::string hex(const Md5Digest& digest) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (uint8_t b : digest) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 15]);
  }
  return out;
}

// RFC 1321 appendix A.5.
TEST(Md5, Rfc1321Vectors) {
  EXPECT_EQ(hex(md5("")), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(hex(md5("a")), "0cc175b9c0f1b6a831c399e269772661");
  EXPECT_EQ(hex(md5("abc")), "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(hex(md5("message digest")), "f96b697d7cb7938d525a2f31aaf161d0");
  EXPECT_EQ(hex(md5("12345678901234567890123456789012345678901234567890123456789012345678901234567890")),
            "57edf4a22be3c955ac49da2e2107b67a");
}

TEST(Md5, PiecesGiveTheDigestOfTheWhole) {
  Md5 context;
  context.begin();
  context.update("message ");
  context.update("");
  context.update("digest");
  EXPECT_EQ(hex(context.finish()), "f96b697d7cb7938d525a2f31aaf161d0");
  context.begin();  // reusable
  context.update("abc");
  EXPECT_EQ(hex(context.finish()), "900150983cd24fb0d6963f7d28e17f72");
}

}  // namespace
}  // namespace pk
