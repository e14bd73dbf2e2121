// Log lines as text and JSON, the fields found in a message, the repeat limit.
#include "app/log_line.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "app/log_rate_limit.h"

namespace pk::app {
namespace {

using namespace std::chrono_literals;

const auto kTime = std::chrono::system_clock::time_point(std::chrono::milliseconds(1714557600123));  // 2024-05-01

std::string render(const LogLine& line, LogFormat format) {
  std::string out;
  append_log_line(out, line, format);
  return out;
}

TEST(LogLine, TextNamesThePipelineOnce) {
  LogLine line{.time = kTime,
               .level = "info",
               .logger = "sink",
               .pipeline = "public/default/orders",
               .message = "public/default/orders: subscribed"};
  EXPECT_EQ(render(line, LogFormat::kText),
            "2024-05-01T10:00:00.123Z INFO  [sink] public/default/orders: subscribed\n");
  line.message = "connected to pulsar://b:6650";
  line.logger = "pulsar";
  line.level = "warn";
  EXPECT_EQ(render(line, LogFormat::kText),
            "2024-05-01T10:00:00.123Z WARN  [pulsar] public/default/orders: connected to pulsar://b:6650\n");
  line.pipeline = {};
  line.message = "two\nlines";
  line.suppressed = 3;
  EXPECT_EQ(render(line, LogFormat::kText),
            "2024-05-01T10:00:00.123Z WARN  [pulsar] two\\nlines (+3 similar lines suppressed)\n");
}

TEST(LogLine, JsonCarriesPipelineTopicAndShardAsFields) {
  LogLine line{.time = kTime,
               .level = "error",
               .logger = "source",
               .pipeline = "public/default/back",
               .message =
                   "public/default/back: shard shardId-000000000007: sending to persistent://t/n/out-partition-2: "
                   "\"refused\"",
               .suppressed = 2};
  const std::string text = render(line, LogFormat::kJson);
  ASSERT_EQ(text.back(), '\n');
  rapidjson::Document doc;
  doc.Parse(text.c_str());
  ASSERT_FALSE(doc.HasParseError()) << text;
  EXPECT_STREQ(doc["time"].GetString(), "2024-05-01T10:00:00.123Z");
  EXPECT_STREQ(doc["level"].GetString(), "error");
  EXPECT_STREQ(doc["logger"].GetString(), "source");
  EXPECT_STREQ(doc["pipeline"].GetString(), "public/default/back");
  EXPECT_STREQ(doc["shard"].GetString(), "shardId-000000000007");
  EXPECT_STREQ(doc["topic"].GetString(), "persistent://t/n/out-partition-2");
  EXPECT_EQ(std::string(doc["message"].GetString()), line.message);
  EXPECT_EQ(doc["suppressed"].GetUint64(), 2u);
  // Fields not known are left out; invalid UTF-8 is repaired, never breaking the line.
  LogLine bare{.time = kTime, .level = "info", .logger = "app", .message = "bad \xff byte"};
  doc.Parse(render(bare, LogFormat::kJson).c_str());
  ASSERT_FALSE(doc.HasParseError());
  EXPECT_FALSE(doc.HasMember("pipeline"));
  EXPECT_FALSE(doc.HasMember("shard"));
  EXPECT_FALSE(doc.HasMember("topic"));
  EXPECT_FALSE(doc.HasMember("suppressed"));
  EXPECT_EQ(std::string(doc["message"].GetString()), "bad \xEF\xBF\xBD byte");
}

TEST(LogLine, Subjects) {
  EXPECT_EQ(find_subjects("lease of shard shardId-000000000001 lost").shard, "shardId-000000000001");
  EXPECT_EQ(find_subjects("shardId- alone").shard, "");
  EXPECT_EQ(find_subjects("message 1:2 of persistent://public/default/in not delivered").topic,
            "persistent://public/default/in");
  EXPECT_EQ(find_subjects("to non-persistent://a/b/c.").topic, "non-persistent://a/b/c");
  EXPECT_EQ(find_subjects("'persistent://a/b/c', then").topic, "persistent://a/b/c");
  EXPECT_EQ(find_subjects("no subject").topic, "");
}

TEST(LogRateLimit, OncePerWindowWithTheCountOfWhatWasLeftOut) {
  LogRateLimit limit(10s, 100);
  const auto t0 = std::chrono::steady_clock::time_point() + 1h;
  EXPECT_EQ(limit.admit("a", t0), 0u);
  EXPECT_FALSE(limit.admit("a", t0 + 1s).has_value());
  EXPECT_FALSE(limit.admit("a", t0 + 9s).has_value());
  EXPECT_EQ(limit.admit("b", t0 + 9s), 0u);  // another line is not limited by the first
  EXPECT_EQ(limit.admit("a", t0 + 10s), 2u);
  EXPECT_FALSE(limit.admit("a", t0 + 11s).has_value());
  EXPECT_EQ(limit.admit("a", t0 + 25s), 1u);
  EXPECT_EQ(limit.admit("a", t0 + 40s), 0u);
}

TEST(LogRateLimit, LinesOfTheSameShapeAreTheSameLine) {
  EXPECT_EQ(line_shape("message 12:3:-1:-1 of persistent://a/b/t-partition-2 not delivered"),
            "message #:#:-#:-# of persistent://a/b/t-partition-# not delivered");
  EXPECT_EQ(line_shape("shard shardId-000000000012: read 500 records"), "shard shardId-000000000012: read # records");
  EXPECT_NE(line_shape("shardId-000000000001 failed"), line_shape("shardId-000000000002 failed"));
  EXPECT_EQ(line_shape(""), "");
}

TEST(LogRateLimit, ForgetsOldLinesWhenFullAndNeverDropsNewOnes) {
  LogRateLimit limit(10s, 2);
  const auto t0 = std::chrono::steady_clock::time_point() + 1h;
  EXPECT_EQ(limit.admit("a", t0), 0u);
  EXPECT_EQ(limit.admit("b", t0 + 1s), 0u);
  EXPECT_EQ(limit.admit("c", t0 + 2s), 0u);  // full: written, not tracked
  EXPECT_EQ(limit.admit("c", t0 + 3s), 0u);
  EXPECT_EQ(limit.tracked(), 2u);
  EXPECT_EQ(limit.admit("d", t0 + 10s), 0u);  // "a" is older than the window: forgotten, "d" tracked
  EXPECT_FALSE(limit.admit("d", t0 + 11s).has_value());
}

}  // namespace
}  // namespace pk::app
