#pragma once
// JSON text the way the Java connector's two JSON libraries write it. Gson (FULL_MESSAGE_IN_JSON) and Jackson
// (FULL_MESSAGE_IN_JSON_EXPAND_VALUE) escape strings differently; numbers are written as Java's toString of their
// type (Double.toString, Float.toString, BigDecimal.toString). Inputs are UTF-8 bytes; bytes that are not valid
// UTF-8 are first read the way Java decodes them (java_string.h). All functions append to `out`.

#include <cstdint>
#include <string>
#include <string_view>

namespace pk::formats {

// A quoted string as Gson's JsonWriter writes it (not HTML-safe): `"` and `\` escaped; \t \b \n \r \f; other
// characters below 0x20 as \u00xx (lower-case hex); U+2028 and U+2029 as \u2028 / \u2029; everything else raw.
void append_gson_string(std::string_view utf8, std::string& out);

// A quoted string as Jackson's generator writes it: `"` and `\` escaped; \b \t \n \f \r; other characters below
// 0x20 as \u00XX (upper-case hex); everything else raw (DEL, U+2028 and U+2029 included).
void append_jackson_string(std::string_view utf8, std::string& out);
// The same without the quotes.
void append_jackson_escaped(std::string_view utf8, std::string& out);

// Long.toString.
void append_java_long(int64_t v, std::string& out);

// Double.toString (JDK 19 and later: the shortest decimal that rounds to the value, two digits when one would do
// but two are closer; plain notation from 10^-3 up to 10^7, else computerized scientific "1.0E10").
void append_java_double(double v, std::string& out);
// Float.toString (same rules at float precision).
void append_java_float(float v, std::string& out);

// A java.math.BigDecimal value: unscaled digits (no leading zeros; "0" for zero) times 10^-scale.
struct Decimal {
  bool negative = false;
  std::string digits = "0";
  int64_t scale = 0;
};
// BigDecimal.toString: plain when scale >= 0 and the adjusted exponent >= -6, else scientific ("1E+2").
void append_big_decimal(const Decimal& d, std::string& out);
// BigDecimal.stripTrailingZeros (zero becomes BigDecimal.ZERO).
void strip_trailing_zeros(Decimal& d);
// BigDecimal.valueOf(double): the decimal of Double.toString(v). v must be finite.
Decimal decimal_of_double(double v);
// Numeric equality (BigDecimal.compareTo == 0).
bool same_value(const Decimal& a, const Decimal& b);
// BigDecimal.doubleValue (correctly rounded; may be infinite).
double decimal_to_double(const Decimal& d);

}  // namespace pk::formats
