#include "common/base64.h"

#include <random>
#include <string>

#include <gtest/gtest.h>

namespace pk {
namespace {

TEST(Base64, Rfc4648Vectors) {
  const std::pair<std::string, std::string> vectors[] = {
      {"", ""},
      {"f", "Zg=="},
      {"fo", "Zm8="},
      {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="},
      {"fooba", "Zm9vYmE="},
      {"foobar", "Zm9vYmFy"},
  };
  for (const auto& [plain, encoded] : vectors) {
    EXPECT_EQ(base64_encode(plain), encoded);
    auto decoded = base64_decode(encoded);
    ASSERT_TRUE(decoded.ok()) << decoded.error().to_string();
    EXPECT_EQ(*decoded, plain);
  }
}

TEST(Base64, UsesPlusAndSlashOfTheStandardAlphabet) {
  EXPECT_EQ(base64_encode(std::string("\xfb\xff\xbf", 3)), "+/+/");
  EXPECT_EQ(*base64_decode("+/+/"), std::string("\xfb\xff\xbf", 3));
}

TEST(Base64, RoundTripsRandomBinaryOfEveryLength) {
  std::mt19937 rng(7);
  for (size_t len = 0; len < 300; ++len) {
    std::string data(len, '\0');
    for (auto& c : data) c = static_cast<char>(rng());
    const std::string encoded = base64_encode(data);
    EXPECT_EQ(encoded.size(), base64_encoded_size(len));
    auto decoded = base64_decode(encoded);
    ASSERT_TRUE(decoded.ok()) << "len " << len << ": " << decoded.error().to_string();
    EXPECT_EQ(*decoded, data);
  }
}

TEST(Base64, RejectsCharactersOutsideTheAlphabetAndNamesTheOffset) {
  auto r = base64_decode("Zm9v*mFy");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kMalformedInput);
  EXPECT_NE(r.error().message.find("offset 4"), std::string::npos) << r.error().message;
  EXPECT_FALSE(base64_decode("Zm9-").ok());  // url-safe alphabet is not accepted
  EXPECT_FALSE(base64_decode("Zm9_").ok());
  EXPECT_FALSE(base64_decode("Zm 9").ok());
}

TEST(Base64, RejectsBadLengthAndBadPadding) {
  EXPECT_FALSE(base64_decode("Zm9").ok());
  EXPECT_FALSE(base64_decode("Z===").ok());
  EXPECT_FALSE(base64_decode("Zg=a").ok());
  EXPECT_FALSE(base64_decode("Zg==Zg==").ok());  // padding in the middle
  EXPECT_FALSE(base64_decode("Zh==").ok());      // non-zero bits under the padding
  EXPECT_FALSE(base64_decode("Zm9=").ok());
}

TEST(Base64, AppendLeavesOutputUntouchedOnError) {
  std::string out = "prefix";
  EXPECT_FALSE(base64_decode_append("@@@@", out).ok());
  EXPECT_EQ(out, "prefix");
  ASSERT_TRUE(base64_decode_append("Zm9v", out).ok());
  EXPECT_EQ(out, "prefixfoo");
  base64_append("bar", out);
  EXPECT_EQ(out, "prefixfooYmFy");
}

TEST(Base64, NamesTheOffendingCharacterOfTheLastQuad) {
  const std::pair<std::string, std::string> cases[] = {
      {"Zm9vZ===", "offset 5"},  // a third '=' where a character belongs
      {"Zm9vZg=a", "offset 6"},  // '=' before a character
      {"Zm9v*g==", "offset 4"},
      {"Zm9vZh==", "non-zero bits before padding at offset 4"},
  };
  for (const auto& [text, expected] : cases) {
    auto r = base64_decode(text);
    ASSERT_FALSE(r.ok()) << text;
    EXPECT_NE(r.error().message.find(expected), std::string::npos) << text << ": " << r.error().message;
  }
}

// The two halves of a decode whose end is not known in advance (what the GetRecords scanner does): leading whole
// quads up to the first quad that is not four alphabet characters, then the last quad, padded or not.
TEST(Base64, DecodesLeadingQuadsUpToTheFirstOtherCharacter) {
  char out[64];
  EXPECT_EQ(base64_decode_leading_quads("Zm9vYmFy\"", out), 8u);
  EXPECT_EQ(std::string(out, 6), "foobar");
  EXPECT_EQ(base64_decode_leading_quads("Zm9vYg==\"", out), 4u);  // stops before the padded quad
  EXPECT_EQ(base64_decode_leading_quads("Zm9vYmF", out), 4u);     // fewer than 4 left
  EXPECT_EQ(base64_decode_leading_quads("", out), 0u);
  EXPECT_EQ(base64_decode_leading_quads("*m9vYmFy", out), 0u);
  EXPECT_EQ(base64_decode_leading_quads("Zm9vYm*y", out), 4u);
}

TEST(Base64, DecodesAFinalQuadWithOrWithoutPadding) {
  char out[3];
  EXPECT_EQ(base64_decode_final_quad("Zm9v", out), 3);
  EXPECT_EQ(std::string(out, 3), "foo");
  EXPECT_EQ(base64_decode_final_quad("Zm8=", out), 2);
  EXPECT_EQ(std::string(out, 2), "fo");
  EXPECT_EQ(base64_decode_final_quad("Zg==", out), 1);
  EXPECT_EQ(out[0], 'f');
  for (const char* bad : {"Z===", "Zg=a", "====", "Zh==", "Zm9=", "Zm*v", "=Zg="}) {
    EXPECT_EQ(base64_decode_final_quad(bad, out), -1) << bad;
  }
}

}  // namespace
}  // namespace pk
