#include "common/crc32c.h"

#include <random>
#include <string>

#include <gtest/gtest.h>

namespace pk {
namespace {

TEST(Crc32c, CheckValueOfTheCastagnoliPolynomial) {
  EXPECT_EQ(crc32c("123456789"), 0xE3069283u);
  EXPECT_EQ(crc32c_extend_portable(0, "123456789", 9), 0xE3069283u);
}

TEST(Crc32c, Rfc3720Vectors) {
  // iSCSI (RFC 3720 B.4) test patterns.
  std::string zeros(32, '\0');
  std::string ones(32, '\xff');
  std::string inc(32, '\0');
  std::string dec(32, '\0');
  for (int i = 0; i < 32; ++i) {
    inc[static_cast<size_t>(i)] = static_cast<char>(i);
    dec[static_cast<size_t>(i)] = static_cast<char>(31 - i);
  }
  EXPECT_EQ(crc32c(zeros), 0x8A9136AAu);
  EXPECT_EQ(crc32c(ones), 0x62A8AB43u);
  EXPECT_EQ(crc32c(inc), 0x46DD794Eu);
  EXPECT_EQ(crc32c(dec), 0x113FDB5Cu);
}

TEST(Crc32c, EmptyInputIsZero) {
  EXPECT_EQ(crc32c("", 0), 0u);
}

TEST(Crc32c, ExtendingInPiecesEqualsOneShot) {
  const std::string data = "The quick brown fox jumps over the lazy dog, again and again and again.";
  for (size_t cut = 0; cut <= data.size(); ++cut) {
    const uint32_t first = crc32c(data.data(), cut);
    EXPECT_EQ(crc32c_extend(first, data.data() + cut, data.size() - cut), crc32c(data)) << "cut at " << cut;
  }
}

TEST(Crc32c, HardwareAndPortableAgreeOnRandomInputsOfEveryAlignment) {
  std::mt19937 rng(42);
  std::string buf(4096 + 16, '\0');
  for (auto& c : buf) c = static_cast<char>(rng());
  for (size_t offset = 0; offset < 16; ++offset) {
    for (size_t len : {0u, 1u, 7u, 8u, 9u, 63u, 64u, 65u, 1000u, 4096u}) {
      EXPECT_EQ(crc32c(buf.data() + offset, len), crc32c_extend_portable(0, buf.data() + offset, len))
          << "offset " << offset << " len " << len;
    }
  }
}

}  // namespace
}  // namespace pk
