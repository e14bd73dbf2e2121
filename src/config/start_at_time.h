#pragma once
// startAtTime (the source's AT_TIMESTAMP position) as a point in time, from the forms a user may write:
//   1704067200000                     epoch milliseconds
//   2024-01-01T00:00:00Z              ISO-8601: date, optional time (HH:MM, :SS, .fraction), optional offset
//   2024-01-01T01:00:00.5+01:00       (Z, +HH:MM, +HHMM or +HH); no offset = UTC; a space may replace the T;
//   2024-01-01                        a date alone is its midnight UTC
//   Mon, 01 Jan 2024 00:00:00 GMT     RFC-1123 (weekday optional; GMT, UT, UTC, Z or +HHMM)
// Pure function; errors say which part is wrong.

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace pk::config {

// Epoch milliseconds of `text`, or kInvalidArgument naming the problem.
Result<int64_t> parse_start_at_time(std::string_view text);

// Epoch milliseconds as ISO-8601 UTC with milliseconds: "2024-01-01T00:00:00.000Z".
std::string format_epoch_ms(int64_t epoch_ms);

}  // namespace pk::config
