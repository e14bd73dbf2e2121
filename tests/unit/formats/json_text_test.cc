#include "formats/json_text.h"

#include <cmath>
#include <limits>

#include <gtest/gtest.h>

namespace pk::formats {
namespace {

std::string gson(std::string_view s) {
  std::string out;
  append_gson_string(s, out);
  return out;
}
std::string jackson(std::string_view s) {
  std::string out;
  append_jackson_string(s, out);
  return out;
}
std::string dbl(double v) {
  std::string out;
  append_java_double(v, out);
  return out;
}
std::string flt(float v) {
  std::string out;
  append_java_float(v, out);
  return out;
}
std::string big(bool negative, std::string digits, int64_t scale) {
  std::string out;
  append_big_decimal({negative, std::move(digits), scale}, out);
  return out;
}

TEST(JsonText, GsonEscapes) {
  EXPECT_EQ(gson("plain"), "\"plain\"");
  EXPECT_EQ(gson("q\"b\\"), "\"q\\\"b\\\\\"");
  EXPECT_EQ(gson("\t\b\n\r\f"), "\"\\t\\b\\n\\r\\f\"");
  EXPECT_EQ(gson(std::string("\x00\x01\x1f", 3)), "\"\\u0000\\u0001\\u001f\"");  // lower-case hex
  EXPECT_EQ(gson("\x7f"), "\"\x7f\"");
  EXPECT_EQ(gson("a\xe2\x80\xa8z\xe2\x80\xa9"), "\"a\\u2028z\\u2029\"");
  EXPECT_EQ(gson("\xe2\x80\xa7"), "\"\xe2\x80\xa7\"");  // U+2027 stays raw
  EXPECT_EQ(gson("<a href='x'>&=/"), "\"<a href='x'>&=/\"");
  EXPECT_EQ(gson("\xf0\x9f\x98\x80"), "\"\xf0\x9f\x98\x80\"");
  EXPECT_EQ(gson("\xff"), "\"\xef\xbf\xbd\"");  // read as Java reads it
}

TEST(JsonText, JacksonEscapes) {
  EXPECT_EQ(jackson("q\"b\\"), "\"q\\\"b\\\\\"");
  EXPECT_EQ(jackson("\t\b\n\r\f"), "\"\\t\\b\\n\\r\\f\"");
  EXPECT_EQ(jackson(std::string("\x00\x01\x1f", 3)), "\"\\u0000\\u0001\\u001F\"");  // upper-case hex
  EXPECT_EQ(jackson("\x7f\xe2\x80\xa8"), "\"\x7f\xe2\x80\xa8\"");                   // DEL and U+2028 raw
  EXPECT_EQ(jackson("<&>'/"), "\"<&>'/\"");
}

TEST(JsonText, JavaDoubleToString) {
  EXPECT_EQ(dbl(0.0), "0.0");
  EXPECT_EQ(dbl(-0.0), "-0.0");
  EXPECT_EQ(dbl(1.0), "1.0");
  EXPECT_EQ(dbl(0.1), "0.1");
  EXPECT_EQ(dbl(100.0), "100.0");
  EXPECT_EQ(dbl(0.001), "0.001");        // 10^-3 is still plain
  EXPECT_EQ(dbl(9.999e-4), "9.999E-4");  // below: scientific
  EXPECT_EQ(dbl(9999999.0), "9999999.0");
  EXPECT_EQ(dbl(1e7), "1.0E7");
  EXPECT_EQ(dbl(1.5e10), "1.5E10");
  EXPECT_EQ(dbl(1e-5), "1.0E-5");
  EXPECT_EQ(dbl(123456789.0), "1.23456789E8");
  EXPECT_EQ(dbl(-1.5), "-1.5");
  EXPECT_EQ(dbl(1.0 / 3), "0.3333333333333333");
  EXPECT_EQ(dbl(1e23), "1.0E23");  // JDK 19+; JDK 17 says 9.999999999999999E22
  EXPECT_EQ(dbl(2e23), "2.0E23");
  EXPECT_EQ(dbl(5e-324), "4.9E-324");  // two digits when they are closer than one
  EXPECT_EQ(dbl(1.7976931348623157e308), "1.7976931348623157E308");
  EXPECT_EQ(dbl(std::numeric_limits<double>::quiet_NaN()), "NaN");
  EXPECT_EQ(dbl(-std::numeric_limits<double>::infinity()), "-Infinity");
}

TEST(JsonText, JavaFloatToString) {
  EXPECT_EQ(flt(0.1f), "0.1");
  EXPECT_EQ(flt(1.5f), "1.5");
  EXPECT_EQ(flt(1e10f), "1.0E10");
  EXPECT_EQ(flt(16777216.0f), "1.6777216E7");
  EXPECT_EQ(flt(3.4028235e38f), "3.4028235E38");
  EXPECT_EQ(flt(1.4e-45f), "1.4E-45");
  EXPECT_EQ(flt(-4.9601584e25f), "-4.9601584E25");  // JDK 17: -4.9601583E25 (not the closest)
}

TEST(JsonText, BigDecimalToString) {
  EXPECT_EQ(big(false, "0", 0), "0");
  EXPECT_EQ(big(false, "15", 1), "1.5");
  EXPECT_EQ(big(true, "123", 2), "-1.23");
  EXPECT_EQ(big(false, "5", 3), "0.005");
  EXPECT_EQ(big(false, "1", 6), "0.000001");  // adjusted exponent -6: still plain
  EXPECT_EQ(big(false, "1", 7), "1E-7");
  EXPECT_EQ(big(false, "15", 8), "1.5E-7");
  EXPECT_EQ(big(false, "1", -2), "1E+2");
  EXPECT_EQ(big(false, "123", -2), "1.23E+4");
  EXPECT_EQ(big(false, "0", 2), "0.00");
}

TEST(JsonText, DecimalHelpers) {
  Decimal d{false, "1500", 3};
  strip_trailing_zeros(d);
  EXPECT_EQ(d.digits, "15");
  EXPECT_EQ(d.scale, 1);
  Decimal z{true, "0", 5};
  strip_trailing_zeros(z);
  EXPECT_FALSE(z.negative);
  EXPECT_EQ(z.scale, 0);
  const Decimal of = decimal_of_double(1.0e10);  // "1.0E10": unscaled 10, scale -9
  EXPECT_EQ(of.digits, "10");
  EXPECT_EQ(of.scale, -9);
  EXPECT_TRUE(same_value({false, "100", 2}, {false, "1", 0}));
  EXPECT_FALSE(same_value({false, "100", 2}, {true, "1", 0}));
  EXPECT_EQ(decimal_to_double({false, "15", 1}), 1.5);
  EXPECT_TRUE(std::isinf(decimal_to_double({false, "1", -400})));
  EXPECT_EQ(decimal_to_double({false, "1", 400}), 0.0);
}

}  // namespace
}  // namespace pk::formats
