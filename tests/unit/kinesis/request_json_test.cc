#include "kinesis/request_json.h"

#include <gtest/gtest.h>

namespace pk::kinesis {
namespace {

TEST(JsonText, EpochSecondsWithMillisecondFraction) {
  EXPECT_EQ(epoch_seconds_text(Timestamp(std::chrono::milliseconds(1700000000123))), "1700000000.123");
  EXPECT_EQ(epoch_seconds_text(Timestamp(std::chrono::milliseconds(5))), "0.005");
  EXPECT_EQ(epoch_seconds_text(Timestamp(std::chrono::milliseconds(1000))), "1.000");
  EXPECT_EQ(epoch_seconds_text(Timestamp(std::chrono::milliseconds(-1500))), "-2.500");
}

TEST(RequestJson, StreamByArnElseByNameElseAnError) {
  JsonWriter by_arn("Op");
  StreamRef both;
  both.arn = StreamArn("arn:aws:kinesis:us-east-1:000000000000:stream/s");
  both.name = StreamName("s");
  ASSERT_TRUE(write_stream(by_arn, "Op", both).ok());
  EXPECT_EQ(*std::move(by_arn).finish(), R"({"StreamARN":"arn:aws:kinesis:us-east-1:000000000000:stream/s"})");
  JsonWriter none("Op");
  auto refused = write_stream(none, "Op", StreamRef{});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(refused.error().message, "Op: neither StreamName nor StreamARN given");
}

}  // namespace
}  // namespace pk::kinesis
