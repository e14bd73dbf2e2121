#include "common/crc32.h"

#include <gtest/gtest.h>

namespace pk {
namespace {

TEST(Crc32, CheckValueOfTheIeeePolynomial) {
  EXPECT_EQ(crc32("123456789"), 0xCBF43926u);
}

TEST(Crc32, EventStreamEmptyMessagePreludeVector) {
  // AWS event-stream: the empty message 00000010 00000000 05c248eb 7d98c8ff.
  const unsigned char prelude[] = {0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x00};
  EXPECT_EQ(crc32(prelude, sizeof prelude), 0x05C248EBu);
  const unsigned char message[] = {0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x00, 0x05, 0xc2, 0x48, 0xeb};
  EXPECT_EQ(crc32(message, sizeof message), 0x7D98C8FFu);
}

TEST(Crc32, ExtendingInPiecesEqualsOneShot) {
  const std::string data = "event stream frames are checked twice";
  EXPECT_EQ(crc32_extend(crc32(data.data(), 10), data.data() + 10, data.size() - 10), crc32(data));
}

}  // namespace
}  // namespace pk
