#pragma once
// The pieces of the Prometheus text exposition format 0.0.4 that are pure text: escaping of HELP text and label
// values, sample values, and the syntax of metric and label names. The registry renders with these.

#include <cstdint>
#include <string>
#include <string_view>

namespace pk::metrics {

// HELP text: backslash and line feed escaped (\\, \n).
void append_escaped_help(std::string& out, std::string_view help);
// A label value inside its quotes: backslash, double quote and line feed escaped (\\, \", \n). Bytes that are not
// valid UTF-8 (the format requires it) become U+FFFD, so one odd topic name cannot break every scrape.
void append_escaped_label_value(std::string& out, std::string_view value);

// `text` with every byte that is not part of a well-formed UTF-8 sequence replaced by U+FFFD.
void append_valid_utf8(std::string& out, std::string_view text);
bool is_valid_utf8(std::string_view text);

// A sample value: integers as they are, other numbers in the shortest form that reads back exactly, and the
// format's +Inf, -Inf and NaN.
void append_value(std::string& out, uint64_t value);
void append_value(std::string& out, double value);

// [a-zA-Z_:][a-zA-Z0-9_:]*
bool is_valid_metric_name(std::string_view name);
// [a-zA-Z_][a-zA-Z0-9_]*, not starting with "__" (reserved for Prometheus itself).
bool is_valid_label_name(std::string_view name);

}  // namespace pk::metrics
