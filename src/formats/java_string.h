#pragma once
// Java String semantics over UTF-8 bytes: what the Java connector sees when the Pulsar client turns metadata bytes
// into a java.lang.String (new String(bytes, UTF_8): each malformed sequence becomes U+FFFD, following the JDK's
// decoder exactly, docs/formats.md), and what it writes back (String.getBytes(UTF_8): a lone surrogate becomes
// '?'). Hashes and orders are those of String.hashCode / String.compareTo on the decoded UTF-16 code units.
// Pure functions; the fast paths take valid UTF-8 without decoding to UTF-16.

#include <cstdint>
#include <string>
#include <string_view>

namespace pk::formats {

// True when Java decodes `s` without any replacement: well-formed UTF-8 (no overlong forms, no surrogates, nothing
// above U+10FFFF). Then the Java round trip gives back the same bytes.
bool is_java_clean_utf8(std::string_view s);

// Length (1-4) of the well-formed UTF-8 sequence that starts `s` (non-empty), or 0 when it is not one that Java
// decodes unchanged.
int clean_utf8_sequence_length(std::string_view s);

// Appends the UTF-16 code units of new String(bytes, UTF_8).
void java_decode_utf8(std::string_view bytes, std::u16string& out);

// Appends String.getBytes(UTF_8) of `units`: a lone surrogate becomes '?'.
void java_encode_utf8(std::u16string_view units, std::string& out);

// Appends the bytes of new String(bytes, UTF_8).getBytes(UTF_8): `bytes` itself when clean.
void append_java_normalized(std::string_view bytes, std::string& out);

// String.hashCode of new String(bytes, UTF_8).
int32_t java_string_hash(std::string_view bytes);

// org.apache.avro.util.Utf8.hashCode: h = 31 * h + (signed byte), over the raw bytes.
int32_t avro_utf8_hash(std::string_view bytes);

// Sign of String.compareTo of the two decoded strings (UTF-16 code unit order).
int java_compare(std::string_view a, std::string_view b);

// String.length() of new String(bytes, UTF_8).
size_t java_length(std::string_view bytes);

}  // namespace pk::formats
