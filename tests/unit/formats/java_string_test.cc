#include "formats/java_string.h"

#include <gtest/gtest.h>

namespace pk::formats {
namespace {

std::string normalized(std::string_view bytes) {
  std::string out;
  append_java_normalized(bytes, out);
  return out;
}

TEST(JavaString, CleanUtf8IsKeptAsItIs) {
  for (std::string_view s : {"", "ascii", "h\xc3\xa9llo", "\xe2\x82\xac", "\xf0\x9f\x98\x80", "\xef\xbf\xbf",
                             "\xf4\x8f\xbf\xbf", "\xed\x9f\xbf"}) {
    EXPECT_TRUE(is_java_clean_utf8(s)) << s;
    EXPECT_EQ(normalized(s), s);
  }
}

// What new String(bytes, UTF_8) makes of malformed input, each U+FFFD written back as EF BF BD. The expectations
// follow the JDK decoder's rules (docs/formats.md): an encoded surrogate is one bad sequence of three bytes; a
// lead byte whose second byte cannot follow it is bad alone; a truncated sequence at the end is one U+FFFD.
TEST(JavaString, MalformedSequencesBecomeReplacementCharacters) {
  const std::string r = "\xef\xbf\xbd";
  const std::pair<std::string_view, std::string> cases[] = {
      {"\x80", r},
      {"\xc0\x80", r + r},            // C0 is never a lead byte
      {"\xc2", r},                    // truncated at the end
      {"\xc2\x41", r + "A"},          // bad continuation: the A survives
      {"\xe0\x80", r + r},            // overlong E0 80: E0 alone, then 80
      {"\xe0\xa0", r},                // truncated three-byte sequence: one replacement
      {"\xe0\x9f\x80", r + r + r},    // overlong: each byte alone
      {"\xed\xa0\x80", r},            // an encoded surrogate: one replacement for three bytes
      {"\xf0\x9f\x98", r},            // truncated four-byte sequence
      {"\xf0\x90\x80\x41", r + "A"},  // four-byte sequence broken by A
      {"\xf0\x8f\x80\x80", r + r + r + r},
      {"\xf4\x90\x80\x80", r + r + r + r},  // above U+10FFFF
      {"\xf5", r},
      {"\xff\xfe", r + r},
  };
  for (const auto& [in, want] : cases) {
    EXPECT_FALSE(is_java_clean_utf8(in));
    EXPECT_EQ(normalized(in), want) << "input length " << in.size();
  }
}

TEST(JavaString, HashCodeIsOverUtf16CodeUnits) {
  EXPECT_EQ(java_string_hash(""), 0);
  EXPECT_EQ(java_string_hash("a"), 97);
  EXPECT_EQ(java_string_hash("Aa"), 2112);
  EXPECT_EQ(java_string_hash("BB"), 2112);
  EXPECT_EQ(java_string_hash("key"), 106079);
  EXPECT_EQ(java_string_hash("value"), 111972721);
  // U+1F600 is D83D DE00: 0xD83D * 31 + 0xDE00.
  EXPECT_EQ(java_string_hash("\xf0\x9f\x98\x80"), 0xD83D * 31 + 0xDE00);
  // Overflow wraps like Java's int.
  EXPECT_EQ(java_string_hash("polygenelubricants"), static_cast<int32_t>(0x80000000u));
  // A replaced byte hashes as U+FFFD.
  EXPECT_EQ(java_string_hash("\xff"), 0xFFFD);
}

TEST(JavaString, AvroUtf8HashIsOverSignedBytes) {
  EXPECT_EQ(avro_utf8_hash("a"), 97);
  EXPECT_EQ(avro_utf8_hash("\xc3\xa9"), -61 * 31 + -87);
}

TEST(JavaString, CompareIsUtf16CodeUnitOrder) {
  EXPECT_LT(java_compare("a", "b"), 0);
  EXPECT_LT(java_compare("", "a"), 0);
  EXPECT_GT(java_compare("ab", "a"), 0);
  EXPECT_EQ(java_compare("\xc3\xa9", "\xc3\xa9"), 0);
  // U+1F600 (D83D DE00) sorts before U+E000 and U+FFFD in UTF-16, after them in UTF-8 byte order.
  EXPECT_LT(java_compare("\xf0\x9f\x98\x80", "\xee\x80\x80"), 0);
  EXPECT_LT(java_compare("\xf0\x9f\x98\x80", "\xef\xbf\xbd"), 0);
  EXPECT_GT(java_compare("\xf0\x9f\x98\x80", "\xed\x9f\xbf"), 0);  // U+D7FF < D83D
  EXPECT_LT(java_compare("\xf0\x9f\x98\x80", "\xf0\x9f\x98\x81"), 0);
  // Malformed bytes compare as U+FFFD.
  EXPECT_EQ(java_compare("\xff", "\xef\xbf\xbd"), 0);
}

TEST(JavaString, LengthCountsUtf16Units) {
  EXPECT_EQ(java_length("abc"), 3u);
  EXPECT_EQ(java_length("\xf0\x9f\x98\x80"), 2u);
  EXPECT_EQ(java_length("\xe2\x82\xac"), 1u);
  EXPECT_EQ(java_length("\xed\xa0\x80"), 1u);
}

TEST(JavaString, EncodingWritesALoneSurrogateAsQuestionMark) {
  std::string out;
  java_encode_utf8(u"a\xD83D", out);
  EXPECT_EQ(out, "a?");
  out.clear();
  java_encode_utf8(u"\xDE00\xD83D\xDE00", out);
  EXPECT_EQ(out, "?\xf0\x9f\x98\x80");
}

}  // namespace
}  // namespace pk::formats
