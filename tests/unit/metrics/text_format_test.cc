// The text pieces of the exposition format: escaping, sample values, name syntax.
#include "metrics/text_format.h"

#include <limits>

#include <gtest/gtest.h>

namespace pk::metrics {
namespace {

std::string help(std::string_view s) {
  std::string out;
  append_escaped_help(out, s);
  return out;
}

std::string label(std::string_view s) {
  std::string out;
  append_escaped_label_value(out, s);
  return out;
}

template <typename V>
std::string value(V v) {
  std::string out;
  append_value(out, v);
  return out;
}

TEST(TextFormat, HelpEscapesBackslashAndNewlineOnly) {
  EXPECT_EQ(help("plain text"), "plain text");
  EXPECT_EQ(help("a\\b"), "a\\\\b");
  EXPECT_EQ(help("line1\nline2"), "line1\\nline2");
  EXPECT_EQ(help("say \"hi\""), "say \"hi\"");  // quotes stay as they are in HELP
}

TEST(TextFormat, LabelValueEscapesBackslashQuoteAndNewline) {
  EXPECT_EQ(label("persistent://public/default/orders"), "persistent://public/default/orders");
  EXPECT_EQ(label("a\"b"), "a\\\"b");
  EXPECT_EQ(label("a\\b"), "a\\\\b");
  EXPECT_EQ(label("a\nb"), "a\\nb");
  EXPECT_EQ(label("\\\"\n"), "\\\\\\\"\\n");
  EXPECT_EQ(label(""), "");
}

TEST(TextFormat, LabelValueKeepsUtf8AndReplacesBadBytes) {
  EXPECT_EQ(label("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"), "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80");
  EXPECT_EQ(label("a\xFF"
                  "b"),
            "a\xEF\xBF\xBD"
            "b");                                                                            // not a lead byte
  EXPECT_EQ(label("a\xC3"), "a\xEF\xBF\xBD");                                                // truncated sequence
  EXPECT_EQ(label("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");                                  // overlong '/'
  EXPECT_EQ(label("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");                  // a surrogate
  EXPECT_EQ(label("\xF4\x90\x80\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // above U+10FFFF
}

TEST(TextFormat, Values) {
  EXPECT_EQ(value(uint64_t{0}), "0");
  EXPECT_EQ(value(uint64_t{18446744073709551615u}), "18446744073709551615");
  EXPECT_EQ(value(0.0), "0");
  EXPECT_EQ(value(3.0), "3");
  EXPECT_EQ(value(-2.5), "-2.5");
  EXPECT_EQ(value(0.1), "0.1");
  EXPECT_EQ(value(0.005), "0.005");
  EXPECT_EQ(value(1e21), "1e+21");
  EXPECT_EQ(value(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(value(-std::numeric_limits<double>::infinity()), "-Inf");
  EXPECT_EQ(value(std::numeric_limits<double>::quiet_NaN()), "NaN");
}

TEST(TextFormat, Names) {
  EXPECT_TRUE(is_valid_metric_name("pulsar_kinesis_sink_records_put_total"));
  EXPECT_TRUE(is_valid_metric_name("job:rate5m"));
  EXPECT_TRUE(is_valid_metric_name("_x9"));
  EXPECT_FALSE(is_valid_metric_name(""));
  EXPECT_FALSE(is_valid_metric_name("9lives"));
  EXPECT_FALSE(is_valid_metric_name("records-put"));
  EXPECT_FALSE(is_valid_metric_name("caf\xC3\xA9"));
  EXPECT_TRUE(is_valid_label_name("shard"));
  EXPECT_TRUE(is_valid_label_name("_private"));
  EXPECT_FALSE(is_valid_label_name("__name__"));
  EXPECT_FALSE(is_valid_label_name("a:b"));
  EXPECT_FALSE(is_valid_label_name("1st"));
  EXPECT_FALSE(is_valid_label_name(""));
}

}  // namespace
}  // namespace pk::metrics
